import { locationId, paired, requestsOf, resourceRunner, seeded, sent } from '../helpers/locations';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });
const run = resourceRunner('teamMember', sandbox);

describe('Team Member → Get Many in the n8n engine', () => {
	test('one request, one paired item per team member as the API returns it', async () => {
		const result = await run({ operation: 'getAll', locationId: locationId('39287') });

		expect(result.outputs[0]).toEqual((seeded('39287', 'staff') as object[]).map(paired(0)));
		expect(requestsOf(sandbox())).toEqual([sent('GET', '/company/39287/staff')]);
	});

	test('the location picked from the list reaches the path', async () => {
		const result = await run({
			operation: 'getAll',
			locationId: { __rl: true, mode: 'list', value: '38726' },
		});

		expect(result.outputs[0].map((item) => item.json.name)).toEqual([
			'Emma Wilson',
			'Liam Johnson',
			'Sophia Martinez',
		]);
	});
});
