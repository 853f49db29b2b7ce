import type { IDataObject } from 'n8n-workflow';

import { runAltegio } from '../helpers/engine';
import { locationId, paired, requestsOf, resourceRunner, sent } from '../helpers/locations';
import { sandboxCredentials, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });
const run = resourceRunner('appointment', sandbox);
const MANHATTAN = locationId('38726');

const control = async (name: string, body: object) =>
	await fetch(`${sandbox().url}/__sandbox/${name}`, { method: 'POST', body: JSON.stringify(body) });

/** The appointment as a later Get reads it, straight from the sandbox. */
const stored = async (id: number) => {
	const result = await run({ operation: 'get', locationId: MANHATTAN, appointmentId: String(id) });
	return result.outputs[0][0].json;
};

/** Everything of an appointment but what Set Attendance changes. */
const unchanged = (record: IDataObject) => {
	const rest = { ...record };
	for (const key of ['attendance', 'visit_attendance', 'confirmed', 'last_change_date'])
		delete rest[key];
	return rest;
};

/** Books through the API with save_if_busy, as the front desk can: an overbooked appointment. */
const bookAnyway = async (datetime: string, staffId = 2001) => {
	const result = await run({
		operation: 'create',
		locationId: MANHATTAN,
		teamMemberId: String(staffId),
		serviceIds: '11001',
		startAt: datetime,
		durationMinutes: 60,
		clientPhone: '+14264037640',
		additionalFields: { saveIfBusy: true },
	});
	return (result.outputs[0][0].json as IDataObject).id as number;
};

const setAttendance = (appointmentId: string, attendance: string) => ({
	operation: 'setAttendance',
	locationId: MANHATTAN,
	appointmentId,
	attendance,
});

describe('Appointment → Set Attendance in the n8n engine', () => {
	test.each([
		['confirmed', 2],
		['arrived', 1],
		['waiting', 0],
		['noShow', -1],
	])(
		'"%s" reads the appointment and sends it back whole with attendance %i; a later Get shows it',
		async (name, value) => {
			const before = await stored(61000003);
			sandbox().clearRequests();

			const result = await run(setAttendance('61000003', name));

			const requests = requestsOf(sandbox());
			expect(requests.map(({ method, path }) => `${method} ${path}`)).toEqual([
				'GET /api/v1/record/38726/61000003',
				'PUT /api/v1/record/38726/61000003',
			]);
			expect(requests[1]).toEqual(
				sent('PUT', '/record/38726/61000003', {
					body: {
						staff_id: 2002,
						services: [
							{ id: 11002, first_cost: 35, discount: 0, cost: 35, amount: 1 },
							{ id: 11004, first_cost: 20, discount: 0, cost: 20, amount: 1 },
						],
						datetime: '2026-12-15T16:00:00-05:00',
						seance_length: 2700,
						save_if_busy: true,
						send_sms: false,
						client: { phone: '+13155550175', name: 'James' },
						comment: '',
						attendance: value,
						api_id: '',
						custom_color: '',
					},
				}),
			);
			expect(result.outputs[0]).toHaveLength(1);
			expect(result.outputs[0][0]).toMatchObject(paired(0)({ id: 61000003, attendance: value }));
			const after = await stored(61000003);
			expect(after.attendance).toBe(value);
			expect(unchanged(after)).toEqual(unchanged(before));
		},
	);

	test('an overbooked appointment keeps its time and only its attendance changes', async () => {
		const overbooked = await bookAnyway('2026-12-14T10:30:00-05:00');
		const before = await stored(overbooked);
		sandbox().clearRequests();

		const result = await run(setAttendance(String(overbooked), 'arrived'));

		expect(result.status).toBe('success');
		expect(sandbox().requests.map((request) => request.status)).toEqual([200, 201]);
		const after = await stored(overbooked);
		expect(after.attendance).toBe(1);
		expect(unchanged(after)).toEqual(unchanged(before));
	});

	test('an appointment outside working hours keeps its time and only its attendance changes', async () => {
		await control('working-hours', { locationId: 38726 });
		const late = await bookAnyway('2026-12-16T19:30:00-05:00');
		const before = await stored(late);
		sandbox().clearRequests();

		const result = await run(setAttendance(String(late), 'noShow'));

		expect(result.status).toBe('success');
		const after = await stored(late);
		expect(after.attendance).toBe(-1);
		expect(unchanged(after)).toEqual(unchanged(before));
	});

	test('the sandbox refuses such appointments without save_if_busy, as the API does', async () => {
		await control('working-hours', { locationId: 38726 });
		const late = await run({
			operation: 'update',
			locationId: MANHATTAN,
			appointmentId: '61000002',
			updateFields: { startAt: '2026-12-14T18:30:00-05:00', saveIfBusy: false },
		});
		expect(late.error?.message).toMatch(/busy or non-working/);
	});

	test('a client phone masked by user rights is not sent back: the client is named by its ID', async () => {
		await control('mask-phones', { locationId: 38726 });
		const before = await stored(61000002);
		sandbox().clearRequests();

		const result = await run(setAttendance('61000002', 'arrived'));

		expect(result.status).toBe('success');
		expect(requestsOf(sandbox())[1].body).toMatchObject({
			client: { id: 4240880, name: 'Olivia', email: 'olivia@example.com' },
			attendance: 1,
		});
		expect((requestsOf(sandbox())[1].body as IDataObject).client).not.toHaveProperty('phone');
		const after = await stored(61000002);
		expect(unchanged(after)).toEqual(unchanged(before));
		expect(after.client).toMatchObject({ id: 4240880, phone: '+1426*****40' });
	});

	test('chains from an item by expression, and an attendance given as the API number works too', async () => {
		const result = await run(
			{
				operation: 'setAttendance',
				locationId: locationId('={{ $json.company_id }}'),
				appointmentId: '={{ $json.id }}',
				attendance: '={{ $json.answer }}',
			},
			[{ company_id: 38726, id: 61000002, answer: 2 }],
		);
		expect(result.outputs[0][0]).toMatchObject(paired(0)({ id: 61000002, attendance: 2 }));
	});

	test('an unknown attendance fails the item before any request', async () => {
		const result = await run(setAttendance('61000002', 'late'));
		expect(result.error?.message).toBe(
			'The attendance "late" is not one of confirmed, arrived, waiting or noShow [item 0]',
		);
		expect(sandbox().requests).toEqual([]);
	});

	test('a failing item stops the later ones and the error lists what was written', async () => {
		const result = await runAltegio({
			parameters: {
				resource: 'appointment',
				...setAttendance('={{ $json.id }}', 'noShow'),
			},
			items: [{ id: 61000002 }, { id: 5 }, { id: 61000003 }],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe('Appointment not found [item 1]');
		expect(result.error?.description).toMatch(
			/ Item 0 was written before this failure: appointment 61000002 \(item 0\); item 2 was not sent\. Leave item 0 out when you run the node again$/,
		);
		expect(
			sandbox().requests.map((request) => `${request.method} ${request.path} ${request.status}`),
		).toEqual([
			'GET /api/v1/record/38726/61000002 200',
			'PUT /api/v1/record/38726/61000002 201',
			'GET /api/v1/record/38726/5 404',
		]);
		expect((await stored(61000003)).attendance).toBe(0);
	});
});
