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
