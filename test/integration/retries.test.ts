import { runAltegio } from '../helpers/engine';
import { byPhone, sandboxCredentials, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: { perSecond: 5, perMinute: 200 } });

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
		sandbox().injectFaults({
			mode: 'status',
			status: 503,
			body: { success: false, data: null, meta: {} },
		});
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
		sandbox().injectFaults({
			mode: 'status',
			status: 500,
			body: { success: false, data: null, meta: [] },
		});
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
