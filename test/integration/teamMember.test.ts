import { runAltegio } from '../helpers/engine';
import { locationId, paired, requestsOf, seeded, sent } from '../helpers/locations';
import { sandboxCredentials, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });

describe('Team Member → Get Many in the n8n engine', () => {
	test('one request, one paired item per team member as the API returns it', async () => {
		const result = await runAltegio({
			parameters: { resource: 'teamMember', operation: 'getAll', locationId: locationId('39287') },
			credentials: sandboxCredentials(sandbox()),
		});

		expect(result.outputs[0]).toEqual((seeded('39287', 'staff') as object[]).map(paired(0)));
		expect(requestsOf(sandbox())).toEqual([sent('GET', '/company/39287/staff')]);
	});

	test('the location picked from the list reaches the path', async () => {
		const result = await runAltegio({
			parameters: {
				resource: 'teamMember',
				operation: 'getAll',
				locationId: { __rl: true, mode: 'list', value: '38726' },
			},
			credentials: sandboxCredentials(sandbox()),
		});

		expect(result.outputs[0].map((item) => item.json.name)).toEqual([
			'Emma Wilson',
			'Liam Johnson',
			'Sophia Martinez',
		]);
	});
});
