import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/index.js';

type Change = {
	locationId: number;
	resource: string;
	resourceId: number;
	status: string;
	data: any;
};

describe('sandbox locations module', () => {
	let sb: Sandbox;
	let both: string;
	let changes: Change[];

	const call = async (method: string, path: string, body?: unknown, authorization = both) => {
		const res = await fetch(sb.apiUrl + path, {
			method,
			headers: { Authorization: authorization, 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await res.text();
		return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
	};
	const booking = (datetime: string, extra: object = {}) => ({
		staff_id: 2002,
		services: [{ id: 11004 }],
		client: { phone: '+12125550123', name: 'Mason King' },
		datetime,
		seance_length: 900,
		...extra,
	});

	beforeEach(async () => {
		sb = await startSandbox({ rateLimit: false });
		both = `Bearer ${sb.seed.partnerToken}, User ${sb.seed.userToken}`;
		changes = [];
		(sb as unknown as { events: NodeJS.EventEmitter }).events.on('change', (change: Change) =>
			changes.push(change),
		);
	});
	afterEach(async () => await sb.close());

	test.each([
		['GET', '/client/38726/4240880'],
		['POST', '/clients/38726'],
		['POST', '/company/38726/clients/search'],
		['GET', '/records/38726'],
		['DELETE', '/record/38726/61000002'],
		['GET', '/company/38726/services'],
		['GET', '/company/38726/staff'],
		['GET', '/loyalty/cards/14264037640/509/38726'],
	])('%s %s needs the partner and the user token', async (method, path) => {
		const answer = await call(
			method,
			path,
			method === 'GET' ? undefined : {},
			`Bearer ${sb.seed.partnerToken}`,
		);
		expect(answer).toEqual({
			status: 401,
			body: { success: false, data: null, meta: { message: 'Authentication needed.' } },
		});
		expect(changes).toEqual([]);
	});

	test('book_times takes the partner token alone, as the online-booking API documents', async () => {
		const answer = await call(
			'GET',
			'/book_times/38726/2002/2026-12-15',
			undefined,
			`Bearer ${sb.seed.partnerToken}`,
		);
		expect(answer.status).toBe(200);
		expect(
			(await call('GET', '/book_times/38726/2002/2026-12-15', undefined, 'Bearer nope')).status,
		).toBe(401);
		// The less convenient reading: a user token along with the partner token is refused.
		expect((await call('GET', '/book_times/38726/2002/2026-12-15')).status).toBe(401);
	});

	test('GET /company/{id} gives the time zone of the location, with either token', async () => {
		const zone = { timezone: -5, timezone_name: 'Etc/GMT+5' };
		expect((await call('GET', '/company/38726')).body.data).toMatchObject({ id: 38726, ...zone });
		expect(
			(await call('GET', '/company/38726', undefined, `Bearer ${sb.seed.partnerToken}`)).body.data,
		).toMatchObject(zone);
		expect((await call('GET', '/company/1')).status).toBe(404);
	});

	test('loyalty cards come bare as documented; no card is a 404 "Client not found"; a wrong chain is a 404', async () => {
		const one = await call('GET', '/loyalty/cards/%2B13155550175/509/38726');
		expect(one.status).toBe(200);
		expect(one.body).toMatchObject({ id: 9210533, number: '50909210533' });
		expect(one.body).not.toHaveProperty('success');
		expect(await call('GET', '/loyalty/cards/12125550101/509/38726')).toEqual({
			status: 404,
			body: { success: false, data: null, meta: { message: 'Client not found' } },
		});
		expect((await call('GET', '/loyalty/cards/14264037640/508/38726')).body.meta).toEqual({
			message: 'Location 38726 is not in chain 508.',
			errors: [],
		});
	});

	test('unknown locations, clients and appointments are 404; an expired licence is 402', async () => {
		expect((await call('GET', '/client/1/4240880')).status).toBe(404);
		expect((await call('GET', '/client/38726/1')).body).toEqual({
			success: false,
			data: null,
			meta: { message: 'Client not found' },
		});
		expect((await call('PUT', '/record/38726/1', booking('2026-12-15T10:00:00'))).status).toBe(404);
		expect((await call('GET', '/company/38705/services')).body).toEqual({
			success: false,
			data: null,
			meta: { message: 'It is necessary to renew the license in the branch with id: 38705' },
		});
	});

	test('a client write is checked like the API: name and phone required, 422 with field details', async () => {
		expect((await call('POST', '/clients/38726', { email: 'x' })).body).toEqual({
			success: false,
			data: null,
			meta: {
				message: 'An error has occurred.',
				errors: {
					name: ['The name field is required.'],
					phone: ['The phone field is required.'],
					email: ['The email must be a valid email address.'],
				},
			},
		});
		expect((await call('PUT', '/client/38726/4240880', { email: 'new@example.com' })).status).toBe(
			422,
		);
		expect(changes).toEqual([]);
	});

	test('created, updated and deleted clients are stored and reported as changes', async () => {
		const created = await call('POST', '/clients/38545', { name: 'Mason', phone: '12125550123' });
		expect(created.status).toBe(201);
		const id = created.body.data.id;
		expect((await call('GET', `/client/38545/${id}`)).body.data).toEqual(created.body.data);

		const updated = await call('PUT', `/client/38545/${id}`, {
			name: 'Mason',
			phone: '12125550123',
			surname: 'King',
		});
		// As the update_client page shows: 200 with an empty body.
		expect(updated).toEqual({ status: 200, body: undefined });
		const stored = (await call('GET', `/client/38545/${id}`)).body.data;
		expect(stored).toMatchObject({
			surname: 'King',
			display_name: 'Mason King',
			phone: '+12125550123',
		});
		expect(await call('DELETE', `/client/38545/${id}`)).toEqual({ status: 204, body: undefined });
		expect((await call('GET', `/client/38545/${id}`)).status).toBe(404);

		expect(
			changes.map(({ locationId, resource, resourceId, status }) => [
				locationId,
				resource,
				resourceId,
				status,
			]),
		).toEqual([
			[38545, 'client', id, 'create'],
			[38545, 'client', id, 'update'],
			[38545, 'client', id, 'delete'],
		]);
		expect(changes[1].data).toEqual(stored);
		expect(changes[1].data.last_change_date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0500$/);
	});

	test('PUT replaces the card: editable fields not sent are cleared, totals stay', async () => {
		const before = (await call('GET', '/client/38726/4240880')).body.data;
		await call('PUT', '/client/38726/4240880', { name: 'Olivia', phone: '14264037640' });
		expect((await call('GET', '/client/38726/4240880')).body.data).toEqual({
			...before,
			surname: '',
			display_name: 'Olivia',
			email: '',
			card: '',
			birth_date: '',
			importance_id: 0,
			importance: 'No importance class',
			sex_id: 0,
			sex: 'Unknown',
			last_change_date: expect.any(String),
		});
	});

	test('each host reads gender and tags under its own key and ignores the other', async () => {
		const put = (accept: string, body: object) =>
			fetch(`${sb.apiUrl}/client/38726/4250001`, {
				method: 'PUT',
				headers: { Authorization: both, Accept: accept, 'Content-Type': 'application/json' },
				body: JSON.stringify({ name: 'James', phone: '13155550175', ...body }),
			});
		const card = async () => (await call('GET', '/client/38726/4250001')).body.data;

		await put('application/vnd.api.v2+json', { sex_id: 1, categories: [7] });
		expect(await card()).toMatchObject({ sex_id: 0, categories: [] });
		await put('application/vnd.api.v2+json', { gender_id: 1, labels: [7] });
		expect(await card()).toMatchObject({ sex_id: 1, categories: [{ id: 7 }] });
		await put('application/vnd.yclients.v2+json', { gender_id: 2, labels: [8] });
		expect(await card()).toMatchObject({ sex_id: 0, categories: [] });
		await put('application/vnd.yclients.v2+json', { sex_id: 2, categories: [8] });
		expect(await card()).toMatchObject({ sex_id: 2, categories: [{ id: 8 }] });
	});

	test('clients search pages with page and page_size (at most 200) and counts the total', async () => {
		const page = await call('POST', '/company/39287/clients/search', {
			page: 3,
			page_size: 200,
			fields: ['id', 'name'],
		});
		expect(page.body.meta).toEqual({ total_count: 452 });
		expect(page.body.data).toHaveLength(52);
		expect(Object.keys(page.body.data[0])).toEqual(['id', 'name']);
		expect(
			(await call('POST', '/company/39287/clients/search', { page_size: 201 })).body.meta.errors,
		).toEqual({
			page_size: ['The page size must be between 1 and 200.'],
		});
		const onlyIds = await call('POST', '/company/38726/clients/search', {});
		expect(onlyIds.body.data).toEqual([{ id: 4240880 }, { id: 4250001 }, { id: 4250101 }]);
	});

	test('appointments: create needs the documented fields, refuses a taken slot, and is stored', async () => {
		expect((await call('POST', '/records/38726', {})).body.meta.errors).toEqual({
			staff_id: ['The staff id field is required.'],
			services: ['The services field is required.'],
			client: ['The client field is required.'],
			datetime: ['The datetime field is required.'],
			seance_length: ['The seance length field is required.'],
		});
		expect(
			(await call('POST', '/records/38726', booking('2026-12-15T16:10:00-05:00'))).status,
		).toBe(422);
		const kept = await call(
			'POST',
			'/records/38726',
			booking('2026-12-15T16:10:00-05:00', { save_if_busy: true }),
		);
		expect(kept.status).toBe(201);
		const [record] = kept.body.data;
		expect(record).toMatchObject({
			staff_id: 2002,
			datetime: '2026-12-15T16:10:00-05:00',
			seance_length: 900,
			deleted: false,
		});
		expect(changes.map(({ resource, status }) => [resource, status])).toEqual([
			['client', 'create'],
			['record', 'create'],
		]);
		expect(changes[1].data).toEqual(record);
	});

	test('appointments: the list pages with page and count, and deleted ones show only with with_deleted', async () => {
		// A count above 200 is served as 200 (the less convenient reading of an undocumented cap).
		const list = await call('GET', '/records/39287?page=4&count=300');
		expect(list.body.meta).toEqual({ page: 4, total_count: 651 });
		expect(list.body.data).toHaveLength(51);
		expect((await call('GET', '/records/39287?page=1&count=300')).body.data).toHaveLength(200);

		// changed_after is the location's wall time: an offset that comes with it is ignored.
		const since = async (value: string) =>
			(await call('GET', `/records/38726?changed_after=${encodeURIComponent(value)}`)).body.data
				.length;
		expect(await since('2026-11-25T18:20:00')).toBe(1);
		expect(await since('2026-11-25T18:20:00+00:00')).toBe(1);
		expect(await since('2026-11-25T23:20:00Z')).toBe(0);

		expect(await call('DELETE', '/record/38726/61000002')).toEqual({
			status: 204,
			body: undefined,
		});
		expect(
			changes.map(({ resource, status, resourceId }) => [resource, status, resourceId]),
		).toEqual([['record', 'delete', 61000002]]);
		expect(changes[0].data.deleted).toBe(true);
		const ids = async (query: string) =>
			(await call('GET', `/records/38726?client_id=4240880${query}`)).body.data.map(
				(r: { id: number }) => r.id,
			);
		expect(await ids('')).toEqual([61000001]);
		expect(await ids('&with_deleted=1')).toEqual([61000001, 61000002]);
	});

	test('appointments keep service amounts and the technical break; a busy slot needs save_if_busy', async () => {
		const first = await call(
			'POST',
			'/records/38726',
			booking('2026-12-15T10:00:00', {
				services: [{ id: 11004, amount: 2 }],
				technical_break_duration: 600,
			}),
		);
		expect(first.status).toBe(201);
		const id = first.body.data[0].id;
		expect(first.body.data[0]).toMatchObject({
			services: [{ id: 11004, amount: 2 }],
			technical_break_duration: 600,
		});
		const over = await call('POST', '/records/38726', booking('2026-12-15T10:00:00'));
		expect(over.status).toBe(422);
		const saved = await call(
			'POST',
			'/records/38726',
			booking('2026-12-15T10:00:00', { save_if_busy: true }),
		);
		expect(saved.status).toBe(201);

		// A full replacement: a service without its amount counts once, no break is the default.
		const replaced = await call('PUT', `/record/38726/${id}`, booking('2026-12-15T10:00:00'));
		expect(replaced.status).toBe(422);
		const kept = await call(
			'PUT',
			`/record/38726/${id}`,
			booking('2026-12-15T10:00:00', { save_if_busy: true }),
		);
		expect(kept.body.data).toMatchObject({
			services: [{ id: 11004, amount: 1 }],
			technical_break_duration: null,
		});
		expect(
			(
				await call(
					'PUT',
					`/record/38726/${id}`,
					booking('2026-12-15T10:00:00', { save_if_busy: true, technical_break_duration: 100 }),
				)
			).status,
		).toBe(422);
	});

	test('with phones masked, appointments show them masked; a client is named by ID, a masked phone is refused', async () => {
		const mask = await fetch(`${sb.url}/__sandbox/mask-phones`, {
			method: 'POST',
			body: JSON.stringify({ locationId: 38726 }),
		});
		expect(mask.status).toBe(200);
		const record = (await call('GET', '/record/38726/61000002')).body.data;
		expect(record.client).toMatchObject({ id: 4240880, phone: '+1426*****40' });

		const base = {
			staff_id: 2001,
			services: [{ id: 11001 }],
			datetime: record.datetime,
			seance_length: 3600,
		};
		expect(
			(
				await call('PUT', '/record/38726/61000002', {
					...base,
					client: { phone: record.client.phone, name: 'Olivia' },
				})
			).body.meta.errors,
		).toEqual({ 'client.phone': ['The client phone format is invalid.'] });
		expect(
			(await call('PUT', '/record/38726/61000002', { ...base, client: { id: 1 } })).body.meta
				.errors,
		).toEqual({ 'client.id': ['Client with ID 1 was not found in branch 38726.'] });
		const byId = await call('PUT', '/record/38726/61000002', {
			...base,
			client: { id: 4240880 },
		});
		expect(byId.status).toBe(201);
		expect(byId.body.data.client.id).toBe(4240880);
	});

	test('writes count against the rate limit like reads, and a refused write changes nothing', async () => {
		await sb.close();
		sb = await startSandbox({ rateLimit: { perSecond: 2, perMinute: 100 } });
		both = `Bearer ${sb.seed.partnerToken}, User ${sb.seed.userToken}`;
		const statuses = [];
		for (let i = 0; i < 3; i++) {
			statuses.push(
				(await call('POST', '/clients/38726', { name: `Burst ${i}`, phone: `1212555090${i}` }))
					.status,
			);
		}
		expect(statuses).toEqual([201, 201, 429]);
		await new Promise((resolve) => setTimeout(resolve, 1100));
		const search = await call('POST', '/company/38726/clients/search', {
			fields: ['name'],
			filters: [{ type: 'quick_search', state: { value: 'Burst' } }],
		});
		expect(search.body.data.map((row: { name: string }) => row.name)).toEqual([
			'Burst 0',
			'Burst 1',
		]);
	});

	test("with `today`, the seed's appointments move by whole weeks and stay ahead of that day", async () => {
		const moved = await startSandbox({ rateLimit: false, today: '2026-12-16' });
		try {
			const response = await fetch(`${moved.apiUrl}/record/38726/61000002`, {
				headers: { Authorization: both },
			});
			const { data } = (await response.json()) as { data: Record<string, unknown> };
			// 2026-12-16 is two weeks and a day after the seed's 2026-12-01: 14 days on, same weekday.
			expect(data.datetime).toBe('2026-12-28T10:30:00-05:00');
			expect(data.create_date).toBe('2026-12-05T09:14:40-0500');
			expect(moved.modules.locations.seedDate('2026-12-14T10:30:00-05:00')).toBe(data.datetime);
		} finally {
			await moved.close();
		}
		const asWritten = await call('GET', '/record/38726/61000002');
		expect(asWritten.body.data.datetime).toBe('2026-12-14T10:30:00-05:00');
	});
});
