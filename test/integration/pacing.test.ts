import { runAltegio } from '../helpers/engine';
import { byPhone, sandboxCredentials, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ latencyMs: 20, rateLimit: { perSecond: 5, perMinute: 200 } });

const phones = (count: number, first = 12025550100) =>
	Array.from({ length: count }, (_, index) => ({ phone: String(first + index) }));

/** Arrival times of the requests the sandbox accepted, oldest first. */
const acceptedArrivals = () =>
	sandbox()
		.requests.filter((request) => request.status !== 429)
		.map((request) => request.at)
		.sort((a, b) => a - b);

describe('pacing at the API limits', () => {
	test('a run with more lookups than one second allows gets every item through without a 429', async () => {
		const items = [...phones(10), { phone: '13155550175' }, { phone: '14264037640' }];
		const run = await runAltegio({ parameters: byPhone(), items, credentials: sandboxCredentials(sandbox()) });

		expect(run.status).toBe('success');
		expect(run.outputs[0].map((item) => [item.json.id, item.pairedItem])).toEqual([
			[4250001, { item: 10 }],
			[4240880, { item: 11 }],
			[4243272, { item: 11 }],
		]);
		expect(sandbox().stats().byStatus).toEqual({ 200: 2, 404: 10 });
		const arrivals = acceptedArrivals();
		for (let i = 5; i < arrivals.length; i++) {
			expect(arrivals[i] - arrivals[i - 5]).toBeGreaterThanOrEqual(1000);
		}
	});

	test('two executions running at once share the budget of their credential', async () => {
		const [first, second] = await Promise.all([
			runAltegio({ parameters: byPhone(), items: phones(6, 12025550200), credentials: sandboxCredentials(sandbox()) }),
			runAltegio({ parameters: byPhone(), items: phones(6, 12025550300), credentials: sandboxCredentials(sandbox()) }),
		]);

		expect([first.status, second.status]).toEqual(['success', 'success']);
		expect(sandbox().stats().byStatus).toEqual({ 404: 12 });
	});

	test('identical lookups in one run go out once, and every item still gets its clients', async () => {
		const run = await runAltegio({
			parameters: byPhone(),
			items: [
				{ phone: '+1 (426) 403-76-40' },
				{ phone: '13155550175' },
				{ phone: '14264037640' },
				{ phone: '+1 315 555 0175' },
				{ phone: '1-426-403-7640' },
			],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.outputs[0].map((item) => [item.json.id, item.pairedItem])).toEqual([
			[4240880, { item: 0 }],
			[4243272, { item: 0 }],
			[4250001, { item: 1 }],
			[4240880, { item: 2 }],
			[4243272, { item: 2 }],
			[4250001, { item: 3 }],
			[4240880, { item: 4 }],
			[4243272, { item: 4 }],
		]);
		expect(sandbox().requests.map((request) => request.query.phone).sort()).toEqual([
			'13155550175',
			'14264037640',
		]);
	});
});

describe('retries', () => {
	test('429 answers are retried after their Retry-After, and the item succeeds', async () => {
		sandbox().injectFaults({
			mode: 'status',
			status: 429,
			headers: { 'Retry-After': '0' },
			body: { success: false, data: null, meta: { message: 'Too many requests.' } },
			times: 2,
		});
		const run = await runAltegio({
			parameters: byPhone(),
			items: [{ phone: '13155550175' }],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.outputs[0].map((item) => item.json.id)).toEqual([4250001]);
		expect(sandbox().requests.map((request) => request.status)).toEqual([429, 429, 200]);
	});

	test('a server error is retried with backoff', async () => {
		sandbox().injectFaults({ mode: 'status', status: 503, body: { success: false, data: null, meta: {} } });
		const run = await runAltegio({
			parameters: byPhone(),
			items: [{ phone: '13155550175' }],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.status).toBe('success');
		expect(sandbox().requests.map((request) => request.status)).toEqual([503, 200]);
	});

	test('a Retry-After longer than two minutes is not waited for', async () => {
		sandbox().injectFaults({
			mode: 'status',
			status: 429,
			headers: { 'Retry-After': '3600' },
			body: { success: false, data: null, meta: { message: 'Too many requests.' } },
		});
		const run = await runAltegio({
			parameters: byPhone(),
			items: [{ phone: '13155550175' }],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.error).toMatchObject({ message: 'Too many requests. [item 0]', httpCode: '429' });
		expect(run.error?.description).toContain('lower Requests per Second and Requests per Minute');
		expect(sandbox().requests).toHaveLength(1);
	});

	test('Max Retries 0 turns retrying off', async () => {
		sandbox().injectFaults({ mode: 'status', status: 500, body: { success: false, data: null, meta: [] } });
		const run = await runAltegio({
			parameters: { ...byPhone(), options: { maxRetries: 0 } },
			items: [{ phone: '13155550175' }],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.error).toMatchObject({
			message: 'The Altegio API answered with HTTP 500 [item 0]',
			httpCode: '500',
		});
		expect(sandbox().requests).toHaveLength(1);
	});
});
