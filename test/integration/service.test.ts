import { locationId, paired, requestsOf, resourceRunner, seeded, sent } from '../helpers/locations';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });
const run = resourceRunner('service', sandbox);

describe('Service → Get Many in the n8n engine', () => {
	test('one request per location, one paired item per service as the API returns it', async () => {
		const result = await run(
			{
				operation: 'getAll',
				locationId: locationId('={{ $json.company_id }}'),
			},
			[{ company_id: 38726 }, { company_id: 38545 }],
		);

		expect(result.outputs[0]).toEqual([
			...(seeded('38726', 'services') as object[]).map(paired(0)),
			...(seeded('38545', 'services') as object[]).map(paired(1)),
		]);
		expect(requestsOf(sandbox()).sort((a, b) => a.path.localeCompare(b.path))).toEqual([
			sent('GET', '/company/38545/services'),
			sent('GET', '/company/38726/services'),
		]);
	});

	test("the team member filter asks only for that member's services", async () => {
		const result = await run({
			operation: 'getAll',
			locationId: locationId('38726'),
			filters: { teamMemberId: '2002' },
		});

		expect(result.outputs[0].map((item) => item.json.id)).toEqual([11002, 11004]);
		expect(requestsOf(sandbox())).toEqual([
			sent('GET', '/company/38726/services', { query: { staff_id: '2002' } }),
		]);
	});

	test('an unknown location fails the item with the API message', async () => {
		const result = await run({ operation: 'getAll', locationId: locationId('1') });

		expect(result.error).toMatchObject({
			message: 'Location not found. (Location not found.) [item 0]',
			httpCode: '404',
		});
	});
});
