import { runAltegio } from '../helpers/engine';
import { byPhone, getChains, sandboxCredentials, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: { perSecond: 5, perMinute: 200 } });

const TOO_MANY = { success: false, data: null, meta: { message: 'Too many requests.' } };
const lookup = (options: Record<string, unknown> = {}) => ({ ...byPhone(), options });
const statuses = () => sandbox().requests.map((request) => request.status);

describe('retries of reading requests', () => {
	test.each([
		[
			'a 429, after its Retry-After',
			{ status: 429, headers: { 'Retry-After': '0' }, body: TOO_MANY },
		],
		['a 503, after a backoff', { status: 503, body: { success: false, data: null, meta: {} } }],
	])('%s, are retried and the item succeeds', async (_, fault) => {
		sandbox().injectFaults({ mode: 'status', ...fault, times: 2 });

		const run = await runAltegio({
			parameters: lookup(),
			items: [{ phone: '13155550175' }],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.outputs[0].map((item) => item.json.id)).toEqual([4250001]);
		expect(statuses()).toEqual([fault.status, fault.status, 200]);
	});

	test('Max Retries 0 turns retrying off', async () => {
		sandbox().injectFaults({
			mode: 'status',
			status: 500,
			body: { success: false, data: null, meta: [] },
		});

		const run = await runAltegio({
			parameters: lookup({ maxRetries: 0 }),
			items: [{ phone: '13155550175' }],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.error).toMatchObject({
			message: 'The Altegio API answered with HTTP 500 [item 0]',
			httpCode: '500',
		});
		expect(statuses()).toEqual([500]);
	});

	test.each([
		['text', 'three'],
		['a list', [3]],
	])('Max Retries given as %s is refused before any request', async (_, maxRetries) => {
		const run = await runAltegio({
			parameters: lookup({ maxRetries }),
			items: [{ phone: '13155550175' }],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.error?.message).toMatch(
			/^Max Retries must be a number from 0 to 10, not .+ \[item 0\]$/,
		);
		expect(statuses()).toEqual([]);
	});

	test('Max Retries of Infinity is held to 10, so a lasting failure ends', async () => {
		sandbox().injectFaults({
			mode: 'status',
			status: 429,
			headers: { 'Retry-After': '0' },
			body: TOO_MANY,
			times: Infinity,
		});

		// Pacing off: this is about the clamp, not about how the budget adapts to 429s.
		const run = await runAltegio({
			parameters: lookup({ maxRetries: '={{ Infinity }}' }),
			items: [{ phone: '13155550175' }],
			credentials: sandboxCredentials(sandbox(), { requestsPerSecond: 0, requestsPerMinute: 0 }),
		});

		expect(run.error).toMatchObject({ message: 'Too many requests. [item 0]', httpCode: '429' });
		expect(statuses()).toEqual(Array(11).fill(429));
	});

	test('a Retry-After longer than the node waits fails the item with when to try again, and holds back the next run', async () => {
		sandbox().injectFaults({
			mode: 'status',
			status: 429,
			headers: { 'Retry-After': '121' },
			body: TOO_MANY,
		});
		const credentials = sandboxCredentials(sandbox());

		const started = Date.now();
		const run = await runAltegio({
			parameters: lookup(),
			items: [{ phone: '13155550175' }],
			credentials,
		});

		const message = run.error?.message ?? '';
		const [, until] = /accepts requests again at (\S+), in 3 min \[item 0\]$/.exec(message) ?? [];
		expect(
			message.startsWith('Too many requests. The Altegio API accepts requests again at '),
		).toBe(true);
		expect(Math.abs(Date.parse(until) - (started + 121_000))).toBeLessThan(5_000);
		expect(run.error?.description).toBe(
			'The node waits at most 2 minutes. Every request of this credential in this n8n process is held back until then; run the workflow again after that time',
		);

		const next = await runAltegio({ parameters: getChains, credentials, cancelAfterMs: 1_500 });
		expect(next.status).toBe('canceled');
		expect(statuses()).toEqual([429]);
	});
});

describe('timeouts', () => {
	test('Timeout is a deadline for the whole answer, not for each trickled byte', async () => {
		sandbox().injectFaults({ mode: 'trickle', times: Infinity });

		const started = Date.now();
		const run = await runAltegio({
			parameters: { ...getChains, options: { timeout: 800, maxRetries: 0 } },
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.error?.message).toBe('The Altegio API did not answer within 800 ms [item 0]');
		expect(Date.now() - started).toBeLessThan(5_000);
	});

	test.each([
		[
			'text',
			'soon',
			'Timeout must be a number of milliseconds from 1 to 300000, not "soon" [item 0]',
		],
	])('a Timeout given as %s is refused before any request', async (_, timeout, message) => {
		const run = await runAltegio({
			parameters: { ...getChains, options: { timeout } },
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.error?.message).toBe(message);
		expect(statuses()).toEqual([]);
	});
});

describe('cancelling the execution', () => {
	test('no new item starts and no new request is sent after the execution is cancelled', async () => {
		const items = Array.from({ length: 40 }, (_, index) => ({
			phone: `1315555${String(index).padStart(4, '0')}`,
		}));

		const run = await runAltegio({
			parameters: lookup(),
			items,
			credentials: sandboxCredentials(sandbox()),
			cancelAfterMs: 700,
		});
		const cancelledAt = sandbox().requests.length;
		await new Promise((resolve) => setTimeout(resolve, 2_500));

		expect(run.status).toBe('canceled');
		expect(cancelledAt).toBeLessThanOrEqual(10);
		expect(sandbox().requests.length).toBeLessThanOrEqual(cancelledAt + 1);
	});
});
