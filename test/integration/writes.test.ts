import type { SandboxRouteModule } from '../../sandbox/index.js';
import { runAltegio } from '../helpers/engine';
import { sandboxCredentials, useSandbox } from '../helpers/sandbox';

/** `POST /test/notes`: a write that answers 201 with the note it stored. */
const notes: SandboxRouteModule = {
	create: ({ hasUserAuth }) => {
		let next = 1;
		return {
			route(method, rel, entry) {
				if (rel !== '/test/notes' || method !== 'POST') return undefined;
				if (!hasUserAuth(entry.headers.authorization))
					return [401, '{"success":false,"data":null,"meta":{"message":"Authentication needed."}}'];
				return [
					201,
					JSON.stringify({
						success: true,
						data: { id: next++, ...(entry.body as object) },
						meta: [],
					}),
				];
			},
		};
	},
};

const sandbox = useSandbox({ rateLimit: false, routeModules: [notes] });

const post = {
	request: JSON.stringify({ method: 'POST', endpoint: '/test/notes', body: { text: 'hello' } }),
};
const postsSent = () =>
	sandbox()
		.requests.filter((request) => request.method === 'POST')
		.map((request) => request.status);
const MAY_HAVE_HAPPENED =
	'The POST request was not repeated, because the API may have carried it out. Check in Altegio whether the change was made before you run this item again';

describe('writes (POST, PUT, DELETE)', () => {
	test('a 429 is repeated: the API did not act on it', async () => {
		sandbox().injectFaults({
			mode: 'status',
			status: 429,
			headers: { 'Retry-After': '0' },
			body: { success: false, data: null, meta: { message: 'Too many requests.' } },
			match: { method: 'POST' },
		});

		const run = await runAltegio({
			node: 'api',
			parameters: post,
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.outputs[0]).toEqual([{ json: { id: 1, text: 'hello' }, pairedItem: { item: 0 } }]);
		expect(postsSent()).toEqual([429, 201]);
		expect(sandbox().requests[1].body).toEqual({ text: 'hello' });
	});

	test.each([
		[
			'a 500',
			{ mode: 'status' as const, status: 500, body: { success: false, data: null, meta: {} } },
			'The Altegio API answered with HTTP 500 [item 0]',
			[500],
		],
		[
			'a dropped connection',
			{ mode: 'drop' as const },
			'The Altegio API could not be reached: the connection was closed before an answer came [item 0]',
			['drop'],
		],
		[
			'a timeout',
			{ mode: 'hang' as const },
			'The Altegio API did not answer within 500 ms [item 0]',
			['hang'],
		],
	])(
		'%s is not repeated, and the error says the write may have happened',
		async (_, fault, message, sent) => {
			sandbox().injectFaults({ ...fault, match: { method: 'POST' } });

			const run = await runAltegio({
				node: 'api',
				parameters: { ...post, options: { timeout: 500, maxRetries: 3 } },
				credentials: sandboxCredentials(sandbox()),
			});

			expect(run.error).toMatchObject({ message, description: MAY_HAVE_HAPPENED });
			expect(postsSent()).toEqual(sent);
		},
	);

	test('a GET after the same failures is repeated', async () => {
		sandbox().injectFaults([{ mode: 'drop' }, { mode: 'status', status: 500, body: {} }]);

		const run = await runAltegio({
			node: 'api',
			parameters: { request: JSON.stringify({ endpoint: '/groups' }), options: { maxRetries: 3 } },
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.status).toBe('success');
		expect(sandbox().requests.map((request) => request.status)).toEqual(['drop', 500, 200]);
	});

	test('identical POSTs of two items are both sent: only GETs are shared within a run', async () => {
		const run = await runAltegio({
			node: 'api',
			parameters: post,
			items: [{}, {}],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.outputs[0].map((item) => item.json.id)).toEqual([1, 2]);
		expect(postsSent()).toEqual([201, 201]);
	});

	describe.each(['POST', 'PUT'])('a %s that may have reached the API', (method) => {
		const request = {
			request: JSON.stringify({ method, endpoint: '/test/notes', body: { text: 'hello' } }),
			options: { maxRetries: 3 },
		};
		const MAY_HAVE = `The ${method} request was not repeated, because the API may have carried it out. Check in Altegio whether the change was made before you run this item again`;

		test.each([
			[
				'a 502 HTML page',
				{ mode: 'html' as const, status: 502 },
				'The Altegio API answered with HTTP 502 and a body that is not JSON',
			],
			[
				'an empty 500',
				{ mode: 'status' as const, status: 500, body: '' },
				'The Altegio API answered with HTTP 500 and a body that is not JSON',
			],
			[
				'a JSON 500',
				{
					mode: 'status' as const,
					status: 500,
					body: { success: false, data: null, meta: { message: 'Internal error' } },
				},
				'Internal error',
			],
			[
				'a cut-off 201',
				{ mode: 'malformedJson' as const, status: 201 },
				'The Altegio API answered with HTTP 201 and a body that is not JSON',
			],
			[
				'a cut-off 503',
				{ mode: 'malformedJson' as const, status: 503 },
				'The Altegio API answered with HTTP 503 and a body that is not JSON',
			],
		])('%s: sent once, it may have happened, no advice to retry', async (_, fault, message) => {
			sandbox().injectFaults({ ...fault, match: { method } });

			const run = await runAltegio({
				node: 'api',
				parameters: request,
				credentials: sandboxCredentials(sandbox()),
			});

			expect(sandbox().requests.map((sent) => sent.method)).toEqual([method]);
			expect(run.error).toMatchObject({
				message: `${message} [item 0]`,
				description: MAY_HAVE,
			});
			expect(JSON.stringify(run.error)).not.toMatch(/Retry On Fail|[Tt]ry again/);
		});

		test('a 422 keeps the API’s message: the API did not act on it', async () => {
			sandbox().injectFaults({
				mode: 'status',
				status: 422,
				body: { success: false, data: null, meta: { message: 'An error has occurred.' } },
				match: { method },
			});

			const run = await runAltegio({
				node: 'api',
				parameters: request,
				credentials: sandboxCredentials(sandbox()),
			});

			expect(run.error?.message).toBe('An error has occurred. [item 0]');
			expect(run.error?.description ?? '').not.toMatch(/may have carried it out/);
		});
	});

	test('a refused connection: nothing was sent, so the error says what to check instead', async () => {
		const run = await runAltegio({
			node: 'api',
			parameters: { ...post, options: { maxRetries: 0 } },
			credentials: sandboxCredentials(sandbox(), { baseUrl: 'http://127.0.0.1:9/api/v1' }),
		});

		expect(run.error).toMatchObject({
			message: 'The Altegio API could not be reached: the connection was refused [item 0]',
			description:
				'Check the network and the API address http://127.0.0.1:9/api/v1 (error code ECONNREFUSED)',
		});
	});
});
