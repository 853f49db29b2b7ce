import type { IDataObject } from 'n8n-workflow';

import type { Exchange } from '../../../../nodes/Altegio/transport/retry';
import { retryAfterMs, retryDelay } from '../../../../nodes/Altegio/transport/retry';

const response = (statusCode: number, headers: IDataObject = {}): Exchange => ({
	kind: 'response',
	statusCode,
	headers,
	body: {},
});
const network = (code: string): Exchange => ({ kind: 'network', code });
const low = () => 0;
const high = () => 1;

describe('retryDelay: reading requests (GET)', () => {
	test.each([429, 500, 502, 503, 504, 599])('HTTP %i is retried', (status) => {
		expect(retryDelay(response(status), 0, 3, true, low)).toBe(500);
	});

	test.each([200, 201, 204, 301, 302, 400, 401, 403, 404, 409, 422])(
		'HTTP %i is final',
		(status) => {
			expect(retryDelay(response(status), 0, 3, true, low)).toBeUndefined();
		},
	);

	test.each(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE', 'ECONNREFUSED', 'ENOTFOUND'])(
		'a network failure %s is retried',
		(code) => {
			expect(retryDelay(network(code), 0, 3, true, high)).toBe(1000);
		},
	);

	test.each<Exchange>([{ kind: 'cancelled' }, { kind: 'failed', message: 'no' }])(
		'%p is final',
		(result) => {
			expect(retryDelay(result, 0, 3, true, low)).toBeUndefined();
		},
	);

	test('nothing is retried once maxRetries attempts were retried', () => {
		expect(retryDelay(response(503), 2, 3, true, low)).toBe(2000);
		expect(retryDelay(response(503), 3, 3, true, low)).toBeUndefined();
		expect(retryDelay(response(429, { 'retry-after': '1' }), 3, 3, true, low)).toBeUndefined();
	});

	test('the backoff doubles per attempt, with jitter between half and all of it, up to 30 s', () => {
		const bounds = [0, 1, 2, 3, 4, 5, 6].map((attempt) => [
			retryDelay(response(500), attempt, 10, true, low),
			retryDelay(response(500), attempt, 10, true, high),
		]);
		expect(bounds).toEqual([
			[500, 1000],
			[1000, 2000],
			[2000, 4000],
			[4000, 8000],
			[8000, 16_000],
			[15_000, 30_000],
			[15_000, 30_000],
		]);
	});

	test('Retry-After is honoured on 429 up to two minutes; longer is final; missing falls back to the backoff', () => {
		expect(retryDelay(response(429, { 'retry-after': '3' }), 0, 3, true, high)).toBe(3000);
		expect(retryDelay(response(429, { 'retry-after': '120' }), 0, 3, true, high)).toBe(120_000);
		expect(retryDelay(response(429, { 'retry-after': '121' }), 0, 3, true, low)).toBeUndefined();
		expect(retryDelay(response(429, { 'retry-after': 'soon' }), 1, 3, true, high)).toBe(2000);
		expect(retryDelay(response(503, { 'retry-after': '100' }), 0, 3, true, low)).toBe(500);
	});
});

describe('retryDelay: writes (POST, PUT, DELETE)', () => {
	test('a 429 is retried: the API did not act on it', () => {
		expect(retryDelay(response(429, { 'retry-after': '2' }), 0, 3, false, low)).toBe(2000);
	});

	test.each(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'])(
		'%s (nothing was sent) is retried',
		(code) => {
			expect(retryDelay(network(code), 0, 3, false, low)).toBe(500);
		},
	);

	test.each(['ECONNRESET', 'ETIMEDOUT', 'ECONNABORTED', 'EPIPE'])(
		'%s (maybe sent) is final',
		(code) => {
			expect(retryDelay(network(code), 0, 3, false, low)).toBeUndefined();
		},
	);

	test.each([500, 502, 503, 504])('HTTP %i is final', (status) => {
		expect(retryDelay(response(status), 0, 3, false, low)).toBeUndefined();
	});
});

describe('retryAfterMs', () => {
	const now = Date.parse('Sun, 01 Mar 2026 12:00:00 GMT');

	test.each([
		['0', 0],
		['3', 3000],
		[' 1.5 ', 1500],
		[7, 7000],
		['Sun, 01 Mar 2026 12:00:05 GMT', 5000],
		['Sun, 01 Mar 2026 11:59:00 GMT', 0],
	])('%p is %i ms', (header, ms) => {
		expect(retryAfterMs(header, now)).toBe(ms);
	});

	test.each([undefined, null, '', 'soon', {}, ['1']])('%p is not a Retry-After value', (header) => {
		expect(retryAfterMs(header, now)).toBeUndefined();
	});
});
