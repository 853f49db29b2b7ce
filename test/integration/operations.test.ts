import { runAltegio } from '../helpers/engine';
import { expectNoSecrets } from '../helpers/fakeExecuteFunctions';
import { byPhone, getChains, sandboxCredentials, secretsOf, useSandbox } from '../helpers/sandbox';
import olivia from '../fixtures/integration/chain-509-olivia.json';

const sandbox = useSandbox({ rateLimit: false });

const apiRequests = () =>
	sandbox().requests.map(({ method, path, query, headers }) => ({
		method,
		path,
		query,
		authorization: headers.authorization,
		accept: headers.accept,
	}));

describe('Get Chains in the n8n engine', () => {
	test('one item per chain, paired to the input item, from one exact request', async () => {
		const run = await runAltegio({
			parameters: getChains,
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.status).toBe('success');
		expect(run.outputs[0]).toEqual(
			sandbox().seed.chains!.map((chain) => ({ json: chain, pairedItem: { item: 0 } })),
		);
		expect(apiRequests()).toEqual([
			{
				method: 'GET',
				path: '/api/v1/groups',
				query: {},
				authorization: 'Bearer sandbox-partner-token-3f9a, User sandbox-user-token-7c21',
				accept: 'application/vnd.api.v2+json',
			},
		]);
	});

	test('three input items share one request and each gets every chain', async () => {
		const run = await runAltegio({
			parameters: getChains,
			items: [{}, {}, {}],
			credentials: sandboxCredentials(sandbox()),
		});

		const chains = sandbox().seed.chains!;
		expect(run.outputs[0]).toEqual(
			[0, 1, 2].flatMap((item) => chains.map((chain) => ({ json: chain, pairedItem: { item } }))),
		);
		expect(sandbox().requests).toHaveLength(1);
	});
});

describe('Get Chain Client by Phone in the n8n engine', () => {
	test('phones as people type them are sent as digits, and clients come back paired', async () => {
		const run = await runAltegio({
			parameters: byPhone(),
			items: [
				{ phone: '+1 (426) 403-76-40' },
				{ phone: '13155550175 ' },
				{ phone: '+7 926 403-76-40' },
				{ phone: 14264037640 },
			],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.status).toBe('success');
		expect(run.outputs[0]).toEqual([
			...olivia.map((json) => ({ json, pairedItem: { item: 0 } })),
			{
				json: {
					id: 4250001,
					company_id: 38726,
					name: 'James Smith',
					email: '',
					salon_group_id: 509,
					phone: '+13155550175',
				},
				pairedItem: { item: 1 },
			},
			{
				json: {
					id: 4250002,
					company_id: 39287,
					name: 'Ivan Petrov',
					email: 'ivan@example.com',
					salon_group_id: 509,
					phone: '+79264037640',
				},
				pairedItem: { item: 2 },
			},
			...olivia.map((json) => ({ json, pairedItem: { item: 3 } })),
		]);

		const sent = apiRequests();
		expect(sent.map((request) => request.query.phone).sort()).toEqual([
			'13155550175',
			'14264037640',
			'79264037640',
		]);
		for (const request of sent) {
			expect(request).toMatchObject({
				method: 'GET',
				path: '/api/v1/group/509/clients',
				authorization: 'Bearer sandbox-partner-token-3f9a, User sandbox-user-token-7c21',
				accept: 'application/vnd.api.v2+json',
			});
		}
	});

	test('nobody found (404 "Client not found" or an empty list) gives no items and no error', async () => {
		const run = await runAltegio({
			parameters: byPhone(),
			items: [{ phone: '12025550199' }, { phone: '10000000000' }, { phone: '13155550175' }],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.status).toBe('success');
		expect(run.outputs[0].map((item) => [item.json.id, item.pairedItem])).toEqual([
			[4250001, { item: 2 }],
		]);
		expect(
			sandbox()
				.requests.map((request) => request.status)
				.sort(),
		).toEqual([200, 200, 404]);
	});

	test('the chain picked from the list and a chain ID from an expression both reach the path', async () => {
		const run = await runAltegio({
			parameters: {
				...byPhone(),
				chainId: { __rl: true, mode: 'list', value: '={{ $json.chain }}' },
			},
			items: [
				{ chain: 508, phone: '14264037640' },
				{ chain: ' 509 ', phone: '14264037640' },
			],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.outputs[0].map((item) => [item.json.salon_group_id, item.pairedItem])).toEqual([
			[508, { item: 0 }],
			[509, { item: 1 }],
			[509, { item: 1 }],
		]);
		expect(
			sandbox()
				.requests.map((request) => request.path)
				.sort(),
		).toEqual(['/api/v1/group/508/clients', '/api/v1/group/509/clients']);
	});

	test('tokens with surrounding spaces and line breaks are trimmed, and never show in the output', async () => {
		const seed = sandbox().seed;
		const run = await runAltegio({
			parameters: byPhone(),
			items: [{ phone: '13155550175' }, { phone: 'not a phone' }],
			onError: 'continueRegularOutput',
			credentials: sandboxCredentials(sandbox(), {
				partnerToken: `  ${seed.partnerToken}\n`,
				userToken: `\t${seed.userToken}\r\n`,
			}),
		});

		expect(run.outputs[0]).toHaveLength(2);
		expect(apiRequests().map((request) => request.authorization)).toEqual([
			'Bearer sandbox-partner-token-3f9a, User sandbox-user-token-7c21',
		]);
		expectNoSecrets(run, secretsOf(sandbox()));
	});
});
