import { runAltegio } from '../helpers/engine';
import { locationId, paired, requestsOf, sent } from '../helpers/locations';
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

	test('a national number is read in the Default Country of the credential', async () => {
		const result = await runAltegio({
			parameters: byPhone('(426) 403-7640'),
			credentials: sandboxCredentials(sandbox(), { defaultCountry: 'US' }),
		});

		expect(result.outputs[0]).toEqual([paired(0)(locations.loyaltyCards[0].card)]);
		expect(requestsOf(sandbox())).toEqual([sent('GET', '/loyalty/cards/%2B14264037640/509/38726')]);
	});

	test('the documented bare card (no envelope) is read as the card', async () => {
		const result = await runAltegio({
			parameters: byPhone('+1 315 555 0175'),
			credentials: sandboxCredentials(sandbox()),
		});

		expect(result.outputs[0]).toEqual([paired(0)(locations.loyaltyCards[1].card)]);
		expect(requestsOf(sandbox())).toEqual([sent('GET', '/loyalty/cards/%2B13155550175/509/38726')]);
		expect(sandbox().requests[0].status).toBe(200);
	});

	test('the API\'s 404 "Client not found" for the phone gives no items and no error', async () => {
		const result = await runAltegio({
			parameters: byPhone('12125550101'),
			credentials: sandboxCredentials(sandbox()),
		});

		expect(result.status).toBe('success');
		expect(result.outputs[0]).toEqual([]);
		expect(sandbox().requests.map((request) => request.status)).toEqual([404]);
	});

	test('a location that is not in the chain is an error naming the item, not "no cards"', async () => {
		const result = await runAltegio({
			parameters: byPhone('+1 (426) 403-76-40', '38726', '508'),
			credentials: sandboxCredentials(sandbox()),
		});

		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({
			message: 'Location 38726 is not in chain 508. [item 0]',
			httpCode: '404',
		});
	});

	test('an unknown location is an error naming the item, not "no cards"', async () => {
		const result = await runAltegio({
			parameters: byPhone('+1 (426) 403-76-40', '99999'),
			credentials: sandboxCredentials(sandbox()),
		});

		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({
			message: 'Location not found. (Location not found.) [item 0]',
			httpCode: '404',
		});
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
