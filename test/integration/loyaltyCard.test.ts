import { runAltegio } from '../helpers/engine';
import { locationId, paired, requestsOf } from '../helpers/locations';
import { sandboxCredentials, useSandbox } from '../helpers/sandbox';
import locations from '../../sandbox/seed-locations.json';

const sandbox = useSandbox({ rateLimit: false });
const byPhone = (phone: string, location = '38726', chain = '509') => ({
	resource: 'loyaltyCard',
	operation: 'getByPhone',
	chainId: { __rl: true, mode: 'id', value: chain },
	locationId: locationId(location),
	phone,
});

describe('Loyalty Card → Get by Phone in the n8n engine', () => {
	test('the phone goes into the path with its + encoded, and each card is a paired item', async () => {
		const result = await runAltegio({
			parameters: byPhone('+1 (426) 403-76-40'),
			credentials: sandboxCredentials(sandbox()),
		});

		expect(result.outputs[0]).toEqual([paired(0)(locations.loyaltyCards[0].card)]);
		expect(
			requestsOf(sandbox()).map(({ method, path, query }) => ({ method, path, query })),
		).toEqual([
			{ method: 'GET', path: '/api/v1/loyalty/cards/%2B14264037640/509/38726', query: {} },
		]);
	});

	test('no card for the phone gives no items and no error', async () => {
		const result = await runAltegio({
			parameters: byPhone('12125550101'),
			credentials: sandboxCredentials(sandbox()),
		});

		expect(result.status).toBe('success');
		expect(result.outputs[0]).toEqual([]);
	});

	test('chain and location from Get Chain Client by Phone items, by expression', async () => {
		const result = await runAltegio({
			parameters: {
				...byPhone('={{ $json.phone }}', '={{ $json.company_id }}', '={{ $json.salon_group_id }}'),
			},
			items: [
				{ id: 4240880, company_id: 38726, salon_group_id: 509, phone: '+14264037640' },
				{ id: 5100001, company_id: 38545, salon_group_id: 508, phone: '+14264037640' },
			],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(result.outputs[0].map((item) => [item.json.id, item.pairedItem])).toEqual([
			[9210520, { item: 0 }],
			[9310001, { item: 1 }],
		]);
	});
});
