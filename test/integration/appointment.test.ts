import type { IDataObject } from 'n8n-workflow';

import { runAltegio } from '../helpers/engine';
import {
	ACCEPT,
	AUTHORIZATION,
	authorizationsOf,
	locationId,
	paired,
	requestsOf,
	resourceRunner,
	sent,
} from '../helpers/locations';
import { sandboxCredentials, useSandbox } from '../helpers/sandbox';
import record from '../fixtures/locations/record-38726-61000002.json';
import oliviaRecords from '../fixtures/locations/records-38726-client-4240880.json';

const sandbox = useSandbox({ rateLimit: false });
const run = resourceRunner('appointment', sandbox);
const changes = () => {
	const seen: Array<{ resource: string; status: string; resourceId: number }> = [];
	(sandbox() as unknown as { events: NodeJS.EventEmitter }).events.on('change', (change) =>
		seen.push(change),
	);
	return seen;
};

const STAMP = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0500$/);
const MANHATTAN = locationId('38726');

describe('Appointment → Get in the n8n engine', () => {
	test('reads one appointment with one exact request', async () => {
		const result = await run({
			operation: 'get',
			locationId: MANHATTAN,
			appointmentId: '61000002',
		});

		expect(result.outputs[0]).toEqual([paired(0)(record)]);
		expect(requestsOf(sandbox())).toEqual([sent('GET', '/record/38726/61000002')]);
	});

	test('an unknown appointment fails the item with the API message', async () => {
		const result = await run({ operation: 'get', locationId: MANHATTAN, appointmentId: '5' });

		expect(result.error).toMatchObject({
			message: 'Appointment not found [item 0]',
			httpCode: '404',
		});
	});
});

describe('Appointment → Get Many in the n8n engine', () => {
	test('the filters become the documented query, and each appointment is one paired item', async () => {
		const result = await run(
			{
				operation: 'getAll',
				locationId: locationId('={{ $json.company_id }}'),
				returnAll: true,
				filters: {
					clientId: '={{ $json.id }}',
					teamMemberId: '2001',
					startDate: '2026-11-01T00:00:00',
					endDate: '2026-12-31',
					changedAfter: '2026-11-01T00:00:00',
					changedBefore: '2026-12-01T08:00:00-05:00',
				},
			},
			[{ id: 4240880, company_id: 38726 }],
		);

		expect(result.outputs[0]).toEqual(oliviaRecords.map(paired(0)));
		expect(requestsOf(sandbox())).toEqual([
			sent('GET', '/groups'),
			sent('GET', '/records/38726', {
				query: {
					client_id: '4240880',
					staff_id: '2001',
					start_date: '2026-11-01',
					end_date: '2026-12-31',
					changed_after: '2026-11-01T00:00:00',
					changed_before: '2026-12-01T08:00:00',
					page: '1',
					count: '300',
				},
			}),
		]);
	});

	test('Return All reads all 651 appointments though the API serves 200 of the 300 asked per page; Limit stops when it has enough', async () => {
		const all = await run({
			operation: 'getAll',
			locationId: locationId('39287'),
			returnAll: true,
		});
		expect(all.outputs[0]).toHaveLength(651);
		expect(new Set(all.outputs[0].map((item) => item.json.id)).size).toBe(651);
		expect(requestsOf(sandbox()).map((request) => request.query)).toEqual([
			{ page: '1', count: '300' },
			{ page: '2', count: '300' },
			{ page: '3', count: '300' },
			{ page: '4', count: '300' },
		]);
		expect(sandbox().requests.map((request) => request.status)).toEqual([200, 200, 200, 200]);

		sandbox().clearRequests();
		const some = await run({ operation: 'getAll', locationId: locationId('39287'), limit: 3 });
		expect(some.outputs[0].map((item) => item.json.id)).toEqual(
			all.outputs[0].slice(0, 3).map((item) => item.json.id),
		);
		expect(requestsOf(sandbox()).map((request) => request.query)).toEqual([
			{ page: '1', count: '3' },
		]);
	});

	test('"changed after" typed in UTC is sent as the location\'s wall time; the zone is read once per run', async () => {
		const result = await run(
			{
				operation: 'getAll',
				locationId: MANHATTAN,
				returnAll: true,
				filters: { changedAfter: '={{ $json.since }}' },
			},
			// 61000003 was last changed at 2026-11-25T18:30:00-05:00, which is 23:30 UTC.
			[{ since: '2026-11-25T23:20:00Z' }, { since: '2026-11-25T23:40:00Z' }],
		);

		expect(requestsOf(sandbox())).toEqual([
			sent('GET', '/groups'),
			sent('GET', '/records/38726', {
				query: { changed_after: '2026-11-25T18:20:00', page: '1', count: '300' },
			}),
			sent('GET', '/records/38726', {
				query: { changed_after: '2026-11-25T18:40:00', page: '1', count: '300' },
			}),
		]);
		expect(result.outputs[0].map((item) => [item.json.id, item.pairedItem])).toEqual([
			[61000003, { item: 0 }],
		]);
	});

	test('"changed after" with an offset fails the item when no chain lists the location, so its time zone is unknown', async () => {
		const result = await run({
			operation: 'getAll',
			locationId: locationId('1'),
			returnAll: true,
			filters: { changedAfter: '2026-11-25T23:20:00Z' },
		});

		expect(result.error).toMatchObject({
			message:
				'The time zone of location 1 is unknown, so the "changed after" time "2026-11-25T23:20:00+00:00" cannot be turned into its local time [item 0]',
			description:
				"Enter the time without an offset, as the location's local time, such as 2026-01-21T23:00:00",
		});
		expect(requestsOf(sandbox())).toEqual([sent('GET', '/groups')]);
	});

	test('a date that is not real fails the item before any request', async () => {
		const result = await run({
			operation: 'getAll',
			locationId: MANHATTAN,
			returnAll: true,
			filters: { startDate: '2026-02-30' },
		});

		expect(result.error).toMatchObject({
			message: 'The start date "2026-02-30" is not a real date [item 0]',
			description: 'Enter a date as YYYY-MM-DD, such as 2026-12-14',
		});
		expect(sandbox().requests).toHaveLength(0);
	});
});

const booking = {
	operation: 'create',
	locationId: MANHATTAN,
	teamMemberId: '2001',
	serviceIds: '11001, 11002',
	startAt: '2026-12-16T11:00:00-05:00',
	durationMinutes: 90,
	clientPhone: '+1 (426) 403-76-40',
	clientName: 'Olivia Brown',
};

describe('Appointment → Create in the n8n engine', () => {
	test('sends the documented body, phone with +, length in seconds; the item is the booked appointment', async () => {
		const seen = changes();
		const result = await run({
			...booking,
			additionalFields: {
				clientEmail: 'olivia@example.com',
				comment: 'First visit',
				sendSms: true,
			},
		});

		expect(requestsOf(sandbox())).toEqual([
			sent('POST', '/records/38726', {
				body: {
					save_if_busy: false,
					send_sms: true,
					staff_id: 2001,
					services: [{ id: 11001 }, { id: 11002 }],
					datetime: '2026-12-16T11:00:00-05:00',
					seance_length: 5400,
					client: { phone: '+14264037640', name: 'Olivia Brown', email: 'olivia@example.com' },
					comment: 'First visit',
				},
			}),
		]);
		expect(result.outputs[0]).toHaveLength(1);
		const booked = result.outputs[0][0];
		expect(booked.pairedItem).toEqual({ item: 0 });
		expect(booked.json).toMatchObject({
			id: 63000650,
			company_id: 38726,
			staff_id: 2001,
			datetime: '2026-12-16T11:00:00-05:00',
			seance_length: 5400,
			comment: 'First visit',
			client: { id: 4240880, phone: '+14264037640' },
			services: [{ id: 11001 }, { id: 11002 }],
			last_change_date: STAMP,
		});
		expect(seen.map(({ resource, status, resourceId }) => [resource, status, resourceId])).toEqual([
			['record', 'create', 63000650],
		]);

		sandbox().clearRequests();
		const read = await run({ operation: 'get', locationId: MANHATTAN, appointmentId: '63000650' });
		expect(read.outputs[0]).toEqual(result.outputs[0]);
	});

	test('a taken time gives the API’s 422 with its details, and nothing is booked', async () => {
		const result = await run(
			{ ...booking, startAt: '2026-12-14T10:00:00-05:00' },
			undefined,
			'continueErrorOutput',
		);

		expect(result.outputs[1].map((item) => [item.json.error, item.pairedItem])).toEqual([
			[
				'An error has occurred. (The selected time is busy or non-working. Choose another time.) [item 0]',
				{ item: 0 },
			],
		]);
		expect(requestsOf(sandbox()).map((request) => [request.method, request.path])).toEqual([
			['POST', '/api/v1/records/38726'],
		]);
	});

	test('bad inputs fail their item with what to enter, before any request', async () => {
		const result = await run(
			{
				...booking,
				serviceIds: '={{ $json.services }}',
				startAt: '={{ $json.start }}',
				durationMinutes: '={{ $json.minutes }}',
			},
			[
				{ services: '11001, haircut', start: '2026-12-16T11:00:00', minutes: 60 },
				{ services: [11001], start: '2026-12-16 25:00', minutes: 60 },
				{ services: '', start: '2026-12-16T11:00:00', minutes: 60 },
				{ services: [11001], start: '2026-12-16T11:00:00', minutes: 0 },
			],
			'continueErrorOutput',
		);

		expect(result.outputs[1].map((item) => [item.json.error, item.pairedItem])).toEqual([
			['The service ID "haircut" is not a positive whole number [item 0]', { item: 0 }],
			['The start "2026-12-16 25:00" is not a real date and time [item 1]', { item: 1 }],
			['No service ID is given [item 2]', { item: 2 }],
			['The duration "0" is not a positive whole number of minutes [item 3]', { item: 3 }],
		]);
		expect(sandbox().requests).toHaveLength(0);
	});
});

describe('Appointment → Update in the n8n engine', () => {
	test('reads the appointment and resends it whole with the change, as the API requires', async () => {
		const seen = changes();
		const result = await run({
			operation: 'update',
			locationId: MANHATTAN,
			appointmentId: '61000002',
			updateFields: { startAt: '2026-12-14T15:00:00-05:00', comment: 'Moved by phone' },
		});

		expect(requestsOf(sandbox())).toEqual([
			sent('GET', '/record/38726/61000002'),
			sent('PUT', '/record/38726/61000002', {
				body: {
					staff_id: 2001,
					services: [{ id: 11001, first_cost: 60, discount: 0, cost: 60, amount: 1 }],
					datetime: '2026-12-14T15:00:00-05:00',
					seance_length: 3600,
					save_if_busy: false,
					send_sms: false,
					client: { phone: '+14264037640', name: 'Olivia', email: 'olivia@example.com' },
					comment: 'Moved by phone',
					attendance: 2,
					api_id: '',
					custom_color: '',
				},
			}),
		]);
		expect(result.outputs[0]).toEqual([
			paired(0)({
				...record,
				date: '2026-12-14 15:00:00',
				datetime: '2026-12-14T15:00:00-05:00',
				comment: 'Moved by phone',
				last_change_date: STAMP,
			}),
		]);
		expect(seen.map(({ resource, status }) => [resource, status])).toEqual([['record', 'update']]);
	});

	/** Books 10:00–11:00 on 14 December for team member 2001, over 61000002 (10:30–11:30). */
	async function overbook(extra: IDataObject = {}): Promise<number> {
		const response = await fetch(`${sandbox().apiUrl}/records/38726`, {
			method: 'POST',
			headers: { Authorization: AUTHORIZATION, Accept: ACCEPT, 'Content-Type': 'application/json' },
			body: JSON.stringify({
				staff_id: 2001,
				services: [{ id: 11001 }],
				client: { phone: '+13155550175' },
				datetime: '2026-12-14T10:00:00-05:00',
				seance_length: 3600,
				save_if_busy: true,
				send_sms: false,
				...extra,
			}),
		});
		expect(response.status).toBe(201);
		const { data } = (await response.json()) as { data: IDataObject[] };
		sandbox().clearRequests();
		return Number(data[0].id);
	}

	test('an overbooked appointment whose comment alone changes is kept where it is', async () => {
		const id = await overbook();

		const result = await run({
			operation: 'update',
			locationId: MANHATTAN,
			appointmentId: String(id),
			updateFields: { comment: 'Running late' },
		});

		expect(result.status).toBe('success');
		expect(requestsOf(sandbox())[1].body).toMatchObject({
			datetime: '2026-12-14T10:00:00-05:00',
			save_if_busy: true,
			comment: 'Running late',
		});
		expect(result.outputs[0][0].json).toMatchObject({ id, comment: 'Running late' });
	});

	test('a move onto a taken time is refused unless Book Even If Busy is on', async () => {
		await overbook({ datetime: '2026-12-14T11:30:00-05:00' });
		const refused = await run(
			{
				operation: 'update',
				locationId: MANHATTAN,
				appointmentId: '61000002',
				updateFields: { startAt: '2026-12-14T11:00:00-05:00' },
			},
			undefined,
			'continueErrorOutput',
		);

		expect(refused.outputs[1].map((item) => item.json.error)).toEqual([
			'An error has occurred. (The selected time is busy or non-working. Choose another time.) [item 0]',
		]);
		sandbox().clearRequests();
		const moved = await run({
			operation: 'update',
			locationId: MANHATTAN,
			appointmentId: '61000002',
			updateFields: { startAt: '2026-12-14T11:00:00-05:00', saveIfBusy: true },
		});
		expect(requestsOf(sandbox())[1].body).toMatchObject({ save_if_busy: true });
		expect(moved.outputs[0][0].json).toMatchObject({ datetime: '2026-12-14T11:00:00-05:00' });
	});

	test('service amounts and the technical break are sent back as they are', async () => {
		const id = await overbook({
			services: [{ id: 11001, amount: 2 }],
			technical_break_duration: 600,
			datetime: '2026-12-15T10:00:00-05:00',
		});

		const result = await run({
			operation: 'update',
			locationId: MANHATTAN,
			appointmentId: String(id),
			updateFields: { attendance: 1 },
		});

		expect(requestsOf(sandbox())[1].body).toEqual({
			staff_id: 2001,
			services: [{ id: 11001, first_cost: 60, discount: 0, cost: 60, amount: 2 }],
			datetime: '2026-12-15T10:00:00-05:00',
			seance_length: 3600,
			save_if_busy: true,
			send_sms: false,
			client: { phone: '+13155550175', name: 'James' },
			comment: '',
			attendance: 1,
			api_id: '',
			custom_color: '',
			technical_break_duration: 600,
		});
		expect(result.outputs[0][0].json).toMatchObject({
			attendance: 1,
			services: [{ id: 11001, amount: 2 }],
			technical_break_duration: 600,
		});
	});

	test('a client phone masked by user rights is not sent back; the client is named by its ID', async () => {
		await fetch(`${sandbox().url}/__sandbox/mask-phones`, {
			method: 'POST',
			body: JSON.stringify({ locationId: 38726 }),
		});

		const result = await run({
			operation: 'update',
			locationId: MANHATTAN,
			appointmentId: '61000002',
			updateFields: { comment: 'Called back' },
		});

		const [read] = sandbox().requests;
		expect(read.status).toBe(200);
		expect(requestsOf(sandbox())[1].body).toMatchObject({
			client: { id: 4240880, name: 'Olivia', email: 'olivia@example.com' },
			comment: 'Called back',
		});
		expect(result.outputs[0][0].json).toMatchObject({
			comment: 'Called back',
			client: { id: 4240880, phone: '+1426*****40' },
		});
	});
});

describe('Appointment → Delete in the n8n engine', () => {
	test('one DELETE, and the item says what was deleted', async () => {
		const seen = changes();
		const result = await run(
			{
				operation: 'delete',
				locationId: locationId('={{ $json.company_id }}'),
				appointmentId: '={{ $json.id }}',
			},
			[{ id: 61000002, company_id: 38726 }],
		);

		expect(result.status).toBe('success');
		expect(result.outputs[0]).toEqual([paired(0)({ deleted: true, id: 61000002 })]);
		expect(requestsOf(sandbox())).toEqual([sent('DELETE', '/record/38726/61000002')]);
		expect(seen.map(({ resource, status, resourceId }) => [resource, status, resourceId])).toEqual([
			['record', 'delete', 61000002],
		]);

		const again = await run({ operation: 'get', locationId: MANHATTAN, appointmentId: '61000002' });
		expect(again.error).toMatchObject({ httpCode: '404' });
	});
});

describe('Appointment → Get Available Times in the n8n engine', () => {
	const times = {
		operation: 'getAvailableTimes',
		locationId: MANHATTAN,
		teamMemberId: '2001',
		date: '2026-12-14T00:00:00',
		serviceIds: '11001',
	};

	test('asks the online-booking endpoint; each bookable time is a paired item', async () => {
		const result = await run(times);

		// The online-booking endpoint is documented for the partner token alone.
		expect(requestsOf(sandbox()).map(({ authorization: _, ...request }) => request)).toEqual([
			{
				method: 'GET',
				path: '/api/v1/book_times/38726/2001/2026-12-14',
				query: { 'service_ids[]': '11001' },
				body: undefined,
				accept: ACCEPT,
			},
		]);
		expect(await authorizationsOf(sandbox())).toEqual(['Bearer [partner token]']);
		expect(sandbox().requests[0].status).toBe(200);
		const slot = (time: string) => ({
			time,
			seance_length: 3600,
			sum_length: 3600,
			datetime: `2026-12-14T${time}:00-05:00`,
		});
		// 10:30–11:30 is booked, so 10:00 does not fit either; the hour must end by 19:00.
		expect(result.outputs[0]).toEqual(
			[
				'11:30',
				'12:00',
				'12:30',
				'13:00',
				'13:30',
				'14:00',
				'14:30',
				'15:00',
				'15:30',
				'16:00',
				'16:30',
				'17:00',
				'17:30',
				'18:00',
			].map((time) => paired(0)(slot(time))),
		);
	});

	test('with login and password it signs no one in: the partner token alone is sent', async () => {
		const result = await runAltegio({
			parameters: { resource: 'appointment', ...times },
			credentials: sandboxCredentials(sandbox(), {
				userAuth: 'loginPassword',
				userToken: '',
				login: 'owner@example.com',
				password: 'sandbox-password-5d8e',
			}),
		});

		expect(result.status).toBe('success');
		expect(result.outputs[0]).toHaveLength(14);
		expect(sandbox().requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
			'GET /api/v1/book_times/38726/2001/2026-12-14',
		]);
		expect(await authorizationsOf(sandbox())).toEqual(['Bearer [partner token]']);
	});

	test('a returned datetime books that time with Create', async () => {
		const free = await run({ ...times, serviceIds: '11001, 11002' });
		const first = free.outputs[0][0].json;
		expect(first).toEqual({
			time: '11:30',
			seance_length: 6300,
			sum_length: 6300,
			datetime: '2026-12-14T11:30:00-05:00',
		});
		expect(requestsOf(sandbox())[0].query).toEqual({ 'service_ids[]': ['11001', '11002'] });

		const booked = await run({
			...booking,
			serviceIds: '11001, 11002',
			startAt: first.datetime,
			durationMinutes: Number(first.seance_length) / 60,
		});
		expect(booked.status).toBe('success');
		const after = await run(times);
		expect(after.outputs[0].map((item) => item.json.time)).not.toContain('11:30');
	});
});
