import { runAltegio } from '../helpers/engine';
import { expectNoSecrets } from '../helpers/fakeExecuteFunctions';
import { byPhone, getChains, sandboxCredentials, secretsOf, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });

const once = (options: { maxRetries?: number; timeout?: number }) => ({ ...getChains, options });

// A hang never ends, so this only sets how long a test waits. It also includes the time a request
// takes to reach the sandbox, which on a busy machine was more than 300 ms.
const TIMEOUT_MS = 2000;

describe('network and server faults', () => {
	test('an answer that hangs past the timeout fails with the timeout, after the retries', async () => {
		sandbox().injectFaults({ mode: 'hang', times: 2 });
		const run = await runAltegio({
			parameters: once({ timeout: TIMEOUT_MS, maxRetries: 1 }),
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.error?.message).toBe(
			`The Altegio API did not answer within ${TIMEOUT_MS} ms [item 0]`,
		);
		expect(run.error?.description).toBe('Try again later, or raise Timeout in the node options');
		expect(sandbox().requests.map((request) => request.status)).toEqual(['hang', 'hang']);
	});

	test('a hang that does not repeat is retried and the run succeeds', async () => {
		sandbox().injectFaults({ mode: 'hang' });
		const run = await runAltegio({
			parameters: once({ timeout: TIMEOUT_MS }),
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.status).toBe('success');
		expect(run.outputs[0]).toHaveLength(2);
	});

	test('a dropped connection is reported as such', async () => {
		sandbox().injectFaults({ mode: 'drop', times: 1 });
		const run = await runAltegio({
			parameters: once({ maxRetries: 0 }),
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.error?.message).toBe(
			'The Altegio API could not be reached: the connection was closed before an answer came [item 0]',
		);
		expect(run.error?.description).toBe(
			`Check the network and the API address ${sandbox().apiUrl} (error code ECONNRESET)`,
		);
	});

	test('malformed JSON is reported as a body that is not JSON', async () => {
		sandbox().injectFaults({ mode: 'malformedJson' });
		const run = await runAltegio({
			parameters: getChains,
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.error?.message).toBe(
			'The Altegio API answered with HTTP 200 and a body that is not JSON [item 0]',
		);
	});

	test('a huge but valid answer is turned into items without a crash', async () => {
		sandbox().injectFaults({ mode: 'hugeJson', bytes: 5_000_000 });
		const run = await runAltegio({
			parameters: getChains,
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.status).toBe('success');
		expect(run.outputs[0].length).toBeGreaterThan(1000);
		expect(
			run.outputs[0].every(
				(item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0,
			),
		).toBe(true);
	});

	test('a burst of 429 answers longer than the retries allow gives the API message and advice', async () => {
		sandbox().injectFaults({
			mode: 'status',
			status: 429,
			headers: { 'Retry-After': '0' },
			body: { success: false, data: null, meta: { message: 'Too many requests.' } },
			times: 10,
		});
		// one retry: the limiter pauses 3 s to 9 s after a 429, so more would only make the test slow
		const run = await runAltegio({
			parameters: once({ maxRetries: 1 }),
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.error).toMatchObject({ message: 'Too many requests. [item 0]', httpCode: '429' });
		expect(sandbox().requests).toHaveLength(2);
	});

	test('an API that is down: connection refused', async () => {
		const run = await runAltegio({
			parameters: once({ maxRetries: 0 }),
			credentials: sandboxCredentials(sandbox(), { baseUrl: 'http://127.0.0.1:9/api/v1' }),
		});

		expect(run.error?.message).toBe(
			'The Altegio API could not be reached: the connection was refused [item 0]',
		);
	});

	test('with Continue On Fail, every input item yields its clients or exactly one paired error', async () => {
		sandbox().injectFaults({
			mode: 'status',
			status: 500,
			body: 'oops',
			match: { path: '/group/509/clients' },
			times: Infinity,
		});
		const items = [
			{ chain: 508, phone: '14264037640' },
			{ chain: 509, phone: '13155550175' },
			{ chain: 508, phone: '' },
			{ chain: 508, phone: '12025550199' },
		];
		const run = await runAltegio({
			parameters: {
				...byPhone(),
				chainId: { __rl: true, mode: 'id', value: '={{ $json.chain }}' },
				options: { maxRetries: 1 },
			},
			items,
			onError: 'continueRegularOutput',
			credentials: sandboxCredentials(sandbox()),
		});

		expect(
			run.outputs[0].map(({ json, pairedItem }) => [json.error ?? json.id, pairedItem]),
		).toEqual([
			[5100001, { item: 0 }],
			['The Altegio API answered with HTTP 500 and a body that is not JSON [item 1]', { item: 1 }],
			['The phone is empty [item 2]', { item: 2 }],
		]);
		expectNoSecrets(run, secretsOf(sandbox()));
	});
});
