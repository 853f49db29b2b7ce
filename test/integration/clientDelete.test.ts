import { runAltegio } from '../helpers/engine';
import { locationId, paired, requestsOf, resourceRunner, sent } from '../helpers/locations';
import { sandboxCredentials, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });
const run = resourceRunner('client', sandbox);
const MANHATTAN = locationId('38726');

const readingOnFuture = async (future: 'refuse' | 'delete') =>
	await fetch(`${sandbox().url}/__sandbox/client-delete`, {
		method: 'POST',
		body: JSON.stringify({ future }),
	});

describe('Client → Delete in the n8n engine', () => {
	test('one DELETE; the item says what was deleted, and the client is gone', async () => {
		const result = await run(
			{
				operation: 'delete',
				locationId: locationId('={{ $json.company_id }}'),
				clientId: '={{ $json.id }}',
			},
			[{ company_id: 38726, id: 4250101 }],
		);

		expect(result.outputs[0]).toEqual([paired(0)({ deleted: true, id: 4250101 })]);
		expect(requestsOf(sandbox())).toEqual([sent('DELETE', '/client/38726/4250101')]);
		const later = await run({ operation: 'get', locationId: MANHATTAN, clientId: '4250101' });
		expect(later.error?.message).toBe('Client not found [item 0]');
	});

	test('a client with upcoming appointments, where the API refuses: the item fails with its message and nothing is deleted', async () => {
		await readingOnFuture('refuse');
		const result = await run({ operation: 'delete', locationId: MANHATTAN, clientId: '4240880' });

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'An error has occurred. (The client has 1 upcoming appointment(s). Cancel them before deleting the client.) [item 0]',
		);
		const later = await run({ operation: 'get', locationId: MANHATTAN, clientId: '4240880' });
		expect(later.outputs[0][0].json).toMatchObject({ id: 4240880 });
	});

	test('a client with upcoming appointments, where the API deletes: the client is gone, the appointment stays without a client', async () => {
		await readingOnFuture('delete');
		const result = await run({ operation: 'delete', locationId: MANHATTAN, clientId: '4240880' });

		expect(result.outputs[0]).toEqual([paired(0)({ deleted: true, id: 4240880 })]);
		const appointment = await runAltegio({
			parameters: {
				resource: 'appointment',
				operation: 'get',
				locationId: MANHATTAN,
				appointmentId: '61000002',
			},
			credentials: sandboxCredentials(sandbox()),
		});
		expect(appointment.outputs[0][0].json).toMatchObject({ id: 61000002, client: null });
	});

	test('a failing item stops the later deletes, and the error lists the deleted ones', async () => {
		const result = await run(
			{ operation: 'delete', locationId: MANHATTAN, clientId: '={{ $json.id }}' },
			[{ id: 4250101 }, { id: 4240880 }, { id: 4250001 }],
		);

		expect(result.error?.message).toMatch(/upcoming appointment.*\[item 1\]$/);
		expect(result.error?.description).toMatch(
			/Item 0 was written before this failure: client 4250101 \(item 0\); item 2 was not sent\. Leave item 0 out when you run the node again$/,
		);
		expect(sandbox().requests.map((request) => `${request.path} ${request.status}`)).toEqual([
			'/api/v1/client/38726/4250101 204',
			'/api/v1/client/38726/4240880 422',
		]);
	});

	test('a 502 on the DELETE is not sent again: the API may have deleted the client', async () => {
		sandbox().injectFaults({
			mode: 'status',
			status: 502,
			body: { success: false, data: null, meta: { message: 'Bad gateway' } },
			match: { method: 'DELETE' },
		});
		const result = await run({
			operation: 'delete',
			locationId: MANHATTAN,
			clientId: '4250101',
			options: { maxRetries: 3 },
		});
		expect(result.error?.description).toMatch(
			/was not repeated, because the API may have carried it out/,
		);
		expect(sandbox().requests.map((request) => request.status)).toEqual([502]);
	});
});
