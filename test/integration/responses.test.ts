import { runAltegio } from '../helpers/engine';
import { byPhone, getChains, sandboxCredentials, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });

const answer = (body: unknown, status = 200) => ({ mode: 'status' as const, status, body });

describe('not found means nobody was found only when the API says so', () => {
	test.each([
		['a wrong base path', (apiUrl: string) => apiUrl.replace('/api/v1', '/api/v9')],
		['an unknown route below the API root', (apiUrl: string) => `${apiUrl}/v2`],
	])(
		'%s: every lookup fails with the 404 and the base URL, not zero items',
		async (_, baseUrlOf) => {
			const baseUrl = baseUrlOf(sandbox().apiUrl);

			const run = await runAltegio({
				parameters: byPhone(),
				items: [{ phone: '13155550175' }],
				credentials: sandboxCredentials(sandbox(), { baseUrl }),
			});

			expect(run.error).toMatchObject({
				message: 'Not found [item 0]',
				description: `Check that the API address ${baseUrl} is the API root, such as https://api.alteg.io/api/v1, and that the IDs in the request exist`,
				httpCode: '404',
			});
		},
	);

	test.each([
		[
			'"Client not found"',
			answer({ success: false, data: null, meta: { message: 'Client not found' } }, 404),
		],
		[
			'an empty clients list',
			answer({
				success: true,
				data: { salon_group_id: 509, phone: '+13155550175', clients: [] },
				meta: [],
			}),
		],
	])('%s: no items and no error', async (_, fault) => {
		sandbox().injectFaults(fault);

		const run = await runAltegio({
			parameters: byPhone(),
			items: [{ phone: '13155550175' }],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.status).toBe('success');
		expect(run.outputs[0]).toEqual([]);
	});
});

describe('the envelope is read strictly', () => {
	test('success: true with an empty errors list is a success', async () => {
		sandbox().injectFaults(
			answer({ success: true, data: [{ id: 1, title: 'One' }], meta: [], errors: [] }),
		);

		const run = await runAltegio({
			parameters: getChains,
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.outputs[0]).toEqual([{ json: { id: 1, title: 'One' }, pairedItem: { item: 0 } }]);
	});

	test.each([
		['"false"', '"false"'],
		['0', 0],
		['missing', undefined],
	])('success %s is not a success', async (_, success) => {
		sandbox().injectFaults(
			answer({ success, data: [{ id: 1 }], meta: { message: 'Something failed' } }),
		);

		const run = await runAltegio({
			parameters: getChains,
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.error?.message).toBe('Something failed [item 0]');
	});

	test.each([
		[
			'a list with null',
			getChains,
			{ success: true, data: [{ id: 1 }, null], meta: [] },
			'The Altegio API returned the chains in an unexpected shape [item 0]',
		],
		[
			'a list of texts',
			getChains,
			{ success: true, data: ['509'], meta: [] },
			'The Altegio API returned the chains in an unexpected shape [item 0]',
		],
		[
			'clients that is not a list',
			byPhone(),
			{ success: true, data: { salon_group_id: 509, clients: { id: 1 } }, meta: [] },
			'The Altegio API returned the clients in an unexpected shape [item 0]',
		],
		[
			'data that is a list instead of a client lookup',
			byPhone(),
			{ success: true, data: [], meta: [] },
			'The Altegio API returned the chain clients in an unexpected shape [item 0]',
		],
	])('%s is an error that names the item, never an item', async (_, parameters, body, message) => {
		sandbox().injectFaults(answer(body));

		const run = await runAltegio({
			parameters,
			items: [{ phone: '13155550175' }],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.status).toBe('error');
		expect(run.error?.message).toBe(message);
	});

	test('records with keys such as json, binary or pairedItem are data: each becomes an item json as it is', async () => {
		const record = {
			id: 7,
			json: { forged: true },
			binary: { file: { data: 'AAAA', mimeType: 'text/plain' } },
			pairedItem: 5,
		};
		sandbox().injectFaults(answer({ success: true, data: [record], meta: [] }));

		const run = await runAltegio({
			parameters: getChains,
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.outputs[0]).toEqual([{ json: record, pairedItem: { item: 0 } }]);
	});
});

describe('the per-run cache of identical requests', () => {
	test('a transient failure is not handed to later items with the same request', async () => {
		sandbox().injectFaults(answer({ success: false, data: null, meta: {} }, 500));
		const items = Array.from({ length: 12 }, () => ({ phone: '13155550175' }));

		const run = await runAltegio({
			parameters: { ...byPhone(), options: { maxRetries: 0 } },
			items,
			onError: 'continueRegularOutput',
			credentials: sandboxCredentials(sandbox()),
		});

		expect(sandbox().requests.map((request) => request.status)).toEqual([500, 200]);
		expect(run.outputs[0].map((item) => item.json.error ?? item.json.id)).toEqual([
			...Array.from(
				{ length: 10 },
				(_, item) => `The Altegio API answered with HTTP 500 [item ${item}]`,
			),
			4250001,
			4250001,
		]);
	});
});
