import type { Envelope, Filter } from '../../../nodes/AltegioTrigger/delivery';
import {
	acceptedEvent,
	deliveryKey,
	parseEnvelope,
	RecentDeliveries,
	secretMatches,
	toItem,
} from '../../../nodes/AltegioTrigger/delivery';

const record = (data: Envelope['data'], status: Envelope['status'] = 'update'): Envelope => ({
	company_id: 38726,
	resource: 'record',
	resource_id: 2,
	status,
	data,
});
const all: Filter = {
	events: ['appointment', 'client', 'teamMember', 'location'],
	statuses: ['create', 'update', 'delete'],
	ignoreAttendanceUpdates: false,
};

describe('secretMatches', () => {
	test('only the exact secret passes', () => {
		expect(secretMatches('s3cret', 's3cret')).toBe(true);
		expect(secretMatches('s3cret', 's3cre')).toBe(false);
		expect(secretMatches('s3cret', undefined)).toBe(false);
		expect(secretMatches('s3cret', ['s3cret'])).toBe(false);
		expect(secretMatches(undefined, undefined)).toBe(false);
		expect(secretMatches('', '')).toBe(false);
	});
});

describe('parseEnvelope', () => {
	test('reads the documented envelope, ids given as numbers or digit strings', () => {
		expect(
			parseEnvelope({
				company_id: '38726',
				resource: 'client',
				resource_id: 5,
				status: 'create',
				data: { id: 5 },
			}),
		).toEqual({
			envelope: {
				company_id: 38726,
				resource: 'client',
				resource_id: 5,
				status: 'create',
				data: { id: 5 },
			},
		});
		expect(
			'envelope' in
				parseEnvelope({
					company_id: 1,
					resource: 'schedule',
					resource_id: 3,
					status: 'update',
					data: [],
				}),
		).toBe(true);
	});

	test('names what is wrong without quoting the body', () => {
		expect(parseEnvelope('{"company_id": 1')).toEqual({ problem: 'the body is not a JSON object' });
		expect(parseEnvelope([1])).toEqual({ problem: 'the body is not a JSON object' });
		expect(parseEnvelope({ company_id: 1, resource: 'record' })).toEqual({
			problem: 'the body has no resource_id, status, data',
		});
		expect(
			parseEnvelope({
				company_id: 'x',
				resource: 'record',
				resource_id: 1,
				status: 'update',
				data: {},
			}),
		).toEqual({ problem: 'company_id is not a positive whole number' });
		expect(
			parseEnvelope({
				company_id: 1,
				resource: 'record',
				resource_id: 1,
				status: 'cancel',
				data: {},
			}),
		).toEqual({ problem: 'status is not create, update or delete' });
		expect(
			parseEnvelope({
				company_id: 1,
				resource: 'record',
				resource_id: 1,
				status: 'update',
				data: 'x',
			}),
		).toEqual({ problem: 'data is not an object' });
	});
});

describe('acceptedEvent', () => {
	test('maps the API`s resource names to the node`s events, and keeps only the chosen ones', () => {
		expect(acceptedEvent(record({}), all)).toBe('appointment');
		expect(acceptedEvent({ ...record({}), resource: 'staff' }, all)).toBe('teamMember');
		expect(acceptedEvent({ ...record({}), resource: 'company' }, all)).toBe('location');
		expect(acceptedEvent({ ...record({}), resource: 'salon' }, all)).toBe('location');
		expect(acceptedEvent({ ...record({}), resource: 'good' }, all)).toBeUndefined();
		expect(acceptedEvent({ ...record({}), resource: 'service' }, all)).toBeUndefined();
		expect(acceptedEvent(record({}), { ...all, events: ['client'] })).toBeUndefined();
	});

	test('keeps only the chosen statuses', () => {
		const created = { ...all, statuses: ['create' as const] };
		expect(acceptedEvent(record({}, 'create'), created)).toBe('appointment');
		expect(acceptedEvent(record({}, 'update'), created)).toBeUndefined();
		expect(acceptedEvent(record({}, 'delete'), created)).toBeUndefined();
	});

	test('ignoreAttendanceUpdates skips appointment updates of visits marked arrived or no-show', () => {
		const ignore = { ...all, ignoreAttendanceUpdates: true };
		expect(acceptedEvent(record({ attendance: 1 }), ignore)).toBeUndefined();
		expect(acceptedEvent(record({ attendance: -1, visit_attendance: -1 }), ignore)).toBeUndefined();
		expect(acceptedEvent(record({ attendance: 0, visit_attendance: '1' }), ignore)).toBeUndefined();
		expect(acceptedEvent(record({ attendance: 0 }), ignore)).toBe('appointment');
		expect(acceptedEvent(record({ attendance: 2 }), ignore)).toBe('appointment');
		expect(acceptedEvent(record({ attendance: 1 }, 'create'), ignore)).toBe('appointment');
		expect(acceptedEvent(record({ attendance: 1 }), all)).toBe('appointment');
	});
});

describe('toItem', () => {
	test('is the contract: resource, status, resourceId, locationId, data, receivedAt', () => {
		const data = { id: 2, attendance: 0 };
		expect(toItem(record(data), 'appointment', new Date('2026-01-02T03:04:05.000Z'))).toEqual({
			resource: 'appointment',
			status: 'update',
			resourceId: 2,
			locationId: 38726,
			data,
			receivedAt: '2026-01-02T03:04:05.000Z',
		});
	});
});

describe('deliveryKey and RecentDeliveries', () => {
	test('the same location, resource, id, status and last_change_date is a repeat within the window', () => {
		const recent = new RecentDeliveries(1000);
		const first = deliveryKey(record({ id: 2, last_change_date: '2026-01-16T20:35:15-0500' }));
		const changed = deliveryKey(record({ id: 2, last_change_date: '2026-01-16T20:36:00-0500' }));
		expect(recent.isRepeat(first, 0)).toBe(false);
		expect(recent.isRepeat(first, 500)).toBe(true);
		expect(recent.isRepeat(changed, 600)).toBe(false);
		expect(
			recent.isRepeat(
				deliveryKey(record({ last_change_date: '2026-01-16T20:35:15-0500' }, 'delete')),
				700,
			),
		).toBe(false);
		expect(recent.isRepeat(first, 1001)).toBe(false);
	});

	test('two changes in the same second differ by their data; a byte-identical retry does not', () => {
		const stamp = '2026-01-16T20:35:15-0500';
		const waiting = deliveryKey(
			record({ id: 2, attendance: 0, last_change_date: stamp }, 'update'),
		);
		const noShow = deliveryKey(record({ id: 2, attendance: 2, last_change_date: stamp }, 'update'));
		const retry = JSON.parse(
			JSON.stringify(record({ id: 2, attendance: 2, last_change_date: stamp }, 'update')),
		);
		expect(noShow).not.toBe(waiting);
		expect(deliveryKey(retry)).toBe(noShow);
	});

	test('without last_change_date, the data itself tells two changes apart', () => {
		const staff = (name: string): Envelope => ({ ...record({ id: 9, name }), resource: 'staff' });
		expect(deliveryKey(staff('Alex'))).toBe(deliveryKey(staff('Alex')));
		expect(deliveryKey(staff('Alex'))).not.toBe(deliveryKey(staff('Alexandra')));
	});

	test('memory stays bounded: the oldest keys are forgotten first', () => {
		const recent = new RecentDeliveries(60_000, 3);
		for (const key of ['a', 'b', 'c', 'd']) recent.isRepeat(key, 1);
		expect(recent.isRepeat('d', 2)).toBe(true);
		expect(recent.isRepeat('a', 2)).toBe(false);
	});
});
