import { runAltegio } from '../helpers/engine';
import { locationId } from '../helpers/locations';
import { sandboxCredentials, useSandbox } from '../helpers/sandbox';

// The write rule of the transport, seen through each operation that writes: a write is sent again
// only after a 429; after a 5xx it is not, and the item says the write may have happened.
const sandbox = useSandbox({ rateLimit: false });
const MANHATTAN = locationId('38726');
const MAY_HAVE_HAPPENED = /was not repeated, because the API may have carried it out/;

/** Operation, parameters, method, path, and the status of the write when it goes through. */
const writes: Array<[string, Record<string, unknown>, string, string, number]> = [
	[
		'Client → Create',
		{
			resource: 'client',
			operation: 'create',
			locationId: MANHATTAN,
			name: 'Zoe',
			phone: '12125550199',
		},
		'POST',
		'/api/v1/clients/38726',
		201,
	],
	[
		'Client → Update',
		{
			resource: 'client',
			operation: 'update',
			locationId: MANHATTAN,
			clientId: '4240880',
			updateFields: { name: 'Olivia', phone: '14264037640', comment: 'VIP' },
		},
		'PUT',
		'/api/v1/client/38726/4240880',
		200,
	],
	[
		'Appointment → Create',
		{
			resource: 'appointment',
			operation: 'create',
			locationId: MANHATTAN,
			teamMemberId: '2001',
			serviceIds: '11001',
			startAt: '2026-12-16T10:00:00-05:00',
			durationMinutes: 60,
			clientPhone: '14264037640',
		},
		'POST',
		'/api/v1/records/38726',
		201,
	],
	[
		'Appointment → Update',
		{
			resource: 'appointment',
			operation: 'update',
			locationId: MANHATTAN,
			appointmentId: '61000002',
			updateFields: { comment: 'Moved' },
		},
		'PUT',
		'/api/v1/record/38726/61000002',
		201,
	],
	[
		'Appointment → Set Attendance',
		{
			resource: 'appointment',
			operation: 'setAttendance',
			locationId: MANHATTAN,
			appointmentId: '61000002',
			attendance: 'arrived',
		},
		'PUT',
		'/api/v1/record/38726/61000002',
		201,
	],
	[
		'Appointment → Delete',
		{
			resource: 'appointment',
			operation: 'delete',
			locationId: MANHATTAN,
			appointmentId: '61000002',
		},
		'DELETE',
		'/api/v1/record/38726/61000002',
		204,
	],
];

const sentOf = (method: string) =>
	sandbox()
		.requests.filter((request) => request.method === method)
		.map((request) => request.status);

describe.each(writes)('%s and the write rule', (_name, parameters, method, path, done) => {
	test('a 502 is not sent again, and the item says the write may have happened', async () => {
		sandbox().injectFaults({
			mode: 'status',
			status: 502,
			body: { success: false, data: null, meta: { message: 'Bad gateway' } },
			match: { method, path },
		});

		const run = await runAltegio({
			parameters: { ...parameters, options: { maxRetries: 3 } },
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.status).toBe('error');
		expect(run.error?.description).toMatch(MAY_HAVE_HAPPENED);
		expect(sentOf(method)).toEqual([502]);
	});

	test('a 429 is sent again: the API did not act on it', async () => {
		sandbox().injectFaults({
			mode: 'status',
			status: 429,
			headers: { 'Retry-After': '0' },
			body: { success: false, data: null, meta: { message: 'Too many requests.' } },
			match: { method, path },
		});

		const run = await runAltegio({
			parameters: { ...parameters, options: { maxRetries: 3 } },
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.status).toBe('success');
		expect(sentOf(method)).toEqual([429, done]);
	});
});

describe('Appointment → Create with 12 items, some of them failing', () => {
	/** 12 bookings half an hour apart; the items in `invalid` name a team member who does not exist. */
	const bookings = (invalid: number[]) =>
		Array.from({ length: 12 }, (_, i) => ({
			staff: invalid.includes(i) ? 999999 : 2001,
			start: `2026-12-17T${String(8 + Math.floor(i / 2)).padStart(2, '0')}:${i % 2 === 0 ? '00' : '30'}:00-05:00`,
		}));
	const create = {
		resource: 'appointment',
		operation: 'create',
		locationId: MANHATTAN,
		teamMemberId: '={{ $json.staff }}',
		serviceIds: '11001',
		startAt: '={{ $json.start }}',
		durationMinutes: 30,
		clientPhone: '14264037640',
	};
	const posts = () => sandbox().requests.filter((request) => request.method === 'POST');
	const STAFF_UNKNOWN =
		'An error has occurred. (staff_id: Team Member with ID 999999 was not found in branch 38726.)';

	test('item 0 fails: exactly one POST, and the error names item 0 and says nothing was written', async () => {
		const run = await runAltegio({
			parameters: create,
			items: bookings([0]),
			credentials: sandboxCredentials(sandbox()),
		});

		expect(posts().map((request) => request.status)).toEqual([422]);
		expect(run.status).toBe('error');
		expect(run.error).toMatchObject({
			message: `${STAFF_UNKNOWN} [item 0]`,
			description: 'No item was written before this failure; items 1–11 were not sent',
		});
	});

	test('item 3 fails: items 0–2 are written one at a time, the error lists them with their IDs', async () => {
		const booked: number[] = [];
		sandbox().events.on(
			'change',
			(change: { resource: string; status: string; resourceId: number }) => {
				if (change.resource === 'record' && change.status === 'create')
					booked.push(change.resourceId);
			},
		);
		const run = await runAltegio({
			parameters: create,
			items: bookings([3, 7]),
			credentials: sandboxCredentials(sandbox()),
		});

		expect(booked).toHaveLength(3);
		expect(posts().map((request) => request.status)).toEqual([201, 201, 201, 422]);
		expect(sandbox().stats().maxConcurrent).toBe(1);
		expect(run.error).toMatchObject({
			message: `${STAFF_UNKNOWN} [item 3]`,
			description: `Items 0–2 were written before this failure: appointment ${booked[0]} (item 0), appointment ${booked[1]} (item 1), appointment ${booked[2]} (item 2); items 4–11 were not sent. Leave items 0–2 out when you run the node again`,
		});
	});

	test('with Continue On Fail every item is sent, and each failed item is its own error item', async () => {
		const run = await runAltegio({
			parameters: create,
			items: bookings([3, 7]),
			onError: 'continueErrorOutput',
			credentials: sandboxCredentials(sandbox()),
		});

		expect(posts().map((request) => request.status)).toEqual([
			201, 201, 201, 422, 201, 201, 201, 422, 201, 201, 201, 201,
		]);
		expect(run.outputs[0].map((item) => item.pairedItem)).toEqual(
			[0, 1, 2, 4, 5, 6, 8, 9, 10, 11].map((item) => ({ item })),
		);
		expect(run.outputs[1].map((item) => [item.json.error, item.pairedItem])).toEqual([
			[`${STAFF_UNKNOWN} [item 3]`, { item: 3 }],
			[`${STAFF_UNKNOWN} [item 7]`, { item: 7 }],
		]);
	});

	// What README says about n8n's Retry On Fail: it runs the whole node again, for every item.
	test('Retry On Fail after item 3 failed: items 0–2 are written again on the next try', async () => {
		const run = await runAltegio({
			parameters: create,
			items: bookings([3]),
			retryOnFail: { maxTries: 2, waitBetweenTries: 0 },
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.status).toBe('error');
		// the second try sends item 0 again; only the time it took on the first try refuses it here
		const start = (request: { body?: unknown }) => (request.body as { datetime: string }).datetime;
		const times = bookings([]).map((item) => item.start);
		expect(posts().map((request) => [start(request), request.status])).toEqual([
			[times[0], 201],
			[times[1], 201],
			[times[2], 201],
			[times[3], 422],
			[times[0], 422],
		]);
	});

	test('Retry On Fail with Continue On Fail: a failed item 0 runs the whole node again', async () => {
		await runAltegio({
			parameters: create,
			items: bookings([0]),
			onError: 'continueErrorOutput',
			retryOnFail: { maxTries: 2, waitBetweenTries: 0 },
			credentials: sandboxCredentials(sandbox()),
		});

		expect(posts()).toHaveLength(24);
	});
});
