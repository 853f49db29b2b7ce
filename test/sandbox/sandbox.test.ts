import { spawn, execFileSync } from 'node:child_process';
import * as path from 'node:path';

import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../../sandbox/index.js';

const ROOT = path.resolve(__dirname, '../..');
const json = async (res: Response): Promise<any> => res.json();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Altegio API sandbox', () => {
	let sb: Sandbox;
	let partner: string;
	let userToken: string;
	let both: string;

	const get = (p: string, authorization?: string) =>
		fetch(sb.apiUrl + p, {
			headers: {
				Accept: 'application/vnd.api.v2+json',
				...(authorization === undefined ? {} : { Authorization: authorization }),
			},
		});

	const postAuth = (
		body: unknown,
		authorization = `Bearer ${partner}`,
		contentType = 'application/json',
	) =>
		fetch(sb.apiUrl + '/auth', {
			method: 'POST',
			headers: {
				Authorization: authorization,
				'Content-Type': contentType,
				Accept: 'application/vnd.api.v2+json',
			},
			body: typeof body === 'string' ? body : JSON.stringify(body),
		});

	beforeAll(async () => {
		sb = await startSandbox({ rateLimit: false });
		partner = sb.seed.partnerToken;
		userToken = sb.seed.userToken as string;
		both = `Bearer ${partner}, User ${userToken}`;
	});

	afterAll(async () => {
		await sb.close();
	});

	beforeEach(() => {
		sb.clearRequests();
		sb.clearFaults();
		sb.setUserToken(userToken);
	});

	describe('authorization', () => {
		it('accepts the exact partner + user header on GET /groups', async () => {
			const res = await get('/groups', both);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('application/json');
		});

		it.each([
			['no header', undefined],
			['partner only', `Bearer ${partner}`],
			['wrong user token', `Bearer ${partner}, User nope`],
			['wrong partner token', `Bearer nope, User ${userToken}`],
			['no space after the comma', `Bearer ${partner},User ${userToken}`],
			['period instead of comma', `Bearer ${partner}.User ${userToken}`],
			['lowercase scheme', `bearer ${partner}, User ${userToken}`],
			['trailing space', `${both} `],
			['user token only', `User ${userToken}`],
		])('refuses GET /groups with %s', async (_name, header) => {
			const res = await get('/groups', header);
			expect(res.status).toBe(401);
			expect(await json(res)).toEqual({
				success: false,
				data: null,
				meta: { message: 'Authentication needed.' },
			});
		});

		it('applies the same check to the chain clients endpoint', async () => {
			expect((await get('/group/509/clients?phone=14264037640', `Bearer ${partner}`)).status).toBe(
				401,
			);
			expect((await get('/group/509/clients?phone=14264037640', both)).status).toBe(200);
		});

		it('requires exactly the partner token on POST /auth', async () => {
			const creds = { login: 'owner@example.com', password: 'sandbox-password-5d8e' };
			const withUser = await postAuth(creds, both);
			expect(withUser.status).toBe(401);
			expect((await json(withUser)).meta.message).toBe('Authentication needed.');
			expect((await postAuth(creds, 'Bearer wrong')).status).toBe(401);
			expect((await postAuth(creds)).status).toBe(201);
		});
	});

	describe('GET /groups', () => {
		it('returns the seed chains in the envelope', async () => {
			const res = await get('/groups', both);
			expect(await json(res)).toEqual({ success: true, data: sb.seed.chains, meta: [] });
		});
	});

	describe('GET /group/{id}/clients', () => {
		it('returns the matching clients without a phone key', async () => {
			const res = await get('/group/509/clients?phone=14264037640', both);
			expect(res.status).toBe(200);
			expect(await json(res)).toEqual({
				success: true,
				data: {
					salon_group_id: 509,
					phone: '+14264037640',
					clients: [
						{ id: 4240880, company_id: 38726, name: 'Olivia Brown', email: 'olivia@example.com' },
						{ id: 4243272, company_id: 39287, name: 'Olivia Brown', email: 'olivia@example.com' },
					],
				},
				meta: [],
			});
		});

		it('only searches the requested chain', async () => {
			const body = await json(await get('/group/508/clients?phone=14264037640', both));
			expect(body.data.salon_group_id).toBe(508);
			expect(body.data.clients).toEqual([
				{ id: 5100001, company_id: 38545, name: 'Olivia Brown', email: 'olivia.b@example.com' },
			]);
			expect((await get('/group/508/clients?phone=79264037640', both)).status).toBe(404);
		});

		it('accepts the YCLIENTS trailing-slash form', async () => {
			const res = await get('/group/509/clients/?phone=79264037640', both);
			expect(res.status).toBe(200);
			expect((await json(res)).data.clients).toEqual([
				{ id: 4250002, company_id: 39287, name: 'Ivan Petrov', email: 'ivan@example.com' },
			]);
		});

		it('answers 404 Client not found for an unknown phone', async () => {
			const res = await get('/group/509/clients?phone=19999999999', both);
			expect(res.status).toBe(404);
			expect(await json(res)).toEqual({
				success: false,
				data: null,
				meta: { message: 'Client not found' },
			});
		});

		it('answers 422 for digits that cannot be a phone number, such as a trunk prefix', async () => {
			for (const phone of ['89161234567', '07700900123', '00447700900123', '1234567']) {
				const res = await get(`/group/509/clients?phone=${phone}`, both);
				expect(res.status).toBe(422);
				expect(await json(res)).toEqual({
					success: false,
					data: null,
					meta: {
						message: 'An error has occurred.',
						errors: { phone: ['The phone format is invalid.'] },
					},
				});
			}
		});

		it('does not normalise the phone', async () => {
			// An unencoded "+" arrives as a space; an encoded one stays a "+"; neither matches.
			expect((await get('/group/509/clients?phone=+14264037640', both)).status).toBe(404);
			expect((await get('/group/509/clients?phone=%2B14264037640', both)).status).toBe(404);
			expect((await get('/group/509/clients?phone=1%20426%20403%207640', both)).status).toBe(404);
		});

		it('answers 200 with an empty list for emptyListPhones', async () => {
			const res = await get('/group/509/clients?phone=10000000000', both);
			expect(res.status).toBe(200);
			expect(await json(res)).toEqual({
				success: true,
				data: { salon_group_id: 509, phone: '+10000000000', clients: [] },
				meta: [],
			});
		});

		it.each([
			['/group/509/clients'],
			['/group/509/clients?phone='],
			['/group/509/clients/?other=1'],
		])('answers 422 when phone is missing or empty (%s)', async (p) => {
			const res = await get(p, both);
			expect(res.status).toBe(422);
			expect(await json(res)).toEqual({
				success: false,
				data: null,
				meta: {
					message: 'An error has occurred.',
					errors: { phone: ['The phone field is required.'] },
				},
			});
		});

		it('answers 403 for a chain that is not in the seed', async () => {
			const res = await get('/group/999/clients?phone=14264037640', both);
			expect(res.status).toBe(403);
			expect(await json(res)).toEqual({
				success: false,
				data: null,
				meta: { message: 'Access denied.' },
			});
		});

		it('answers 404 for a non-numeric chain id and for unknown routes', async () => {
			for (const p of [
				'/group/abc/clients?phone=14264037640',
				'/group/509/clientz',
				'/chains',
				'/groups/509',
			]) {
				const res = await get(p, both);
				expect(res.status).toBe(404);
				expect(await json(res)).toEqual({
					success: false,
					data: null,
					meta: { message: 'Not found' },
				});
			}
			expect((await fetch(sb.url + '/nothing-here')).status).toBe(404);
		});
	});

	describe('POST /auth', () => {
		it('issues a fresh token that works until user tokens are invalidated', async () => {
			const res = await postAuth({ login: 'owner@example.com', password: 'sandbox-password-5d8e' });
			expect(res.status).toBe(201);
			const body = await json(res);
			expect(body.success).toBe(true);
			expect(body.meta).toEqual([]);
			expect(body.data).toMatchObject({
				id: 123456,
				name: 'James Smith',
				email: 'owner@example.com',
			});
			expect(body.data.user_token).toMatch(/^sandbox-session-[0-9a-f]{32}$/);
			const issued = `Bearer ${partner}, User ${body.data.user_token}`;

			const second = await json(
				await postAuth({ login: 'owner@example.com', password: 'sandbox-password-5d8e' }),
			);
			expect(second.data.user_token).not.toBe(body.data.user_token);

			expect((await get('/groups', issued)).status).toBe(200);
			expect((await get('/groups', both)).status).toBe(200);

			sb.invalidateUserTokens();
			expect((await get('/groups', issued)).status).toBe(401);
			expect((await get('/groups', both)).status).toBe(401);

			const fresh = await json(
				await postAuth({ login: 'owner@example.com', password: 'sandbox-password-5d8e' }),
			);
			expect(
				(await get('/groups', `Bearer ${partner}, User ${fresh.data.user_token}`)).status,
			).toBe(200);

			sb.setUserToken(userToken);
			expect((await get('/groups', both)).status).toBe(200);
		});

		it('answers 200 with a uuid and no token for a two-factor user', async () => {
			const res = await postAuth({ login: '+13155550100', password: 'sandbox-password-2fa' });
			expect(res.status).toBe(200);
			const body = await json(res);
			expect(body).toEqual({ success: true, data: { uuid: expect.any(String) }, meta: [] });
			expect(body.data.uuid).toMatch(/^[0-9a-f-]{36}$/);
		});

		it('answers 401 for a wrong password or login', async () => {
			for (const creds of [
				{ login: 'owner@example.com', password: 'wrong' },
				{ login: 'nobody@example.com', password: 'sandbox-password-5d8e' },
				{ login: '+13155550100', password: 'wrong' },
			]) {
				const res = await postAuth(creds);
				expect(res.status).toBe(401);
				expect(await json(res)).toEqual({
					success: false,
					data: null,
					meta: { message: 'Incorrect login or password.' },
				});
			}
		});

		it('answers 422 naming the missing fields', async () => {
			let res = await postAuth({ login: 'owner@example.com' });
			expect(res.status).toBe(422);
			expect(await json(res)).toEqual({
				success: false,
				data: null,
				meta: {
					message: 'An error has occurred.',
					errors: { password: ['The password field is required.'] },
				},
			});
			res = await postAuth({ password: 'x', login: '' });
			expect((await json(res)).meta.errors).toEqual({ login: ['The login field is required.'] });
			res = await postAuth('not json');
			expect(Object.keys((await json(res)).meta.errors).sort()).toEqual(['login', 'password']);
		});
	});

	describe('request log', () => {
		it('records method, path, query, headers, body and status', async () => {
			await get('/group/509/clients/?phone=14264037640&x=a%20b', both);
			await postAuth({ login: 'owner@example.com', password: 'wrong' });
			expect(sb.requests).toHaveLength(2);
			const [first, second] = sb.requests;
			expect(first).toEqual({
				at: expect.any(Number),
				method: 'GET',
				path: '/api/v1/group/509/clients/',
				query: { phone: '14264037640', x: 'a b' },
				rawQuery: 'phone=14264037640&x=a%20b',
				headers: {
					authorization: both,
					accept: 'application/vnd.api.v2+json',
					'content-type': undefined,
					'user-agent': expect.any(String),
				},
				body: undefined,
				status: 200,
				fault: undefined,
			});
			expect(second).toMatchObject({
				method: 'POST',
				path: '/api/v1/auth',
				query: {},
				rawQuery: '',
				headers: { authorization: `Bearer ${partner}`, 'content-type': 'application/json' },
				body: { login: 'owner@example.com', password: 'wrong' },
				status: 401,
			});
			expect(second.at).toBeGreaterThanOrEqual(first.at);
		});

		it('keeps the same array when cleared and does not log control routes', async () => {
			const log = sb.requests;
			await get('/groups', both);
			expect(log).toHaveLength(1);
			sb.clearRequests();
			expect(log).toHaveLength(0);
			expect(sb.requests).toBe(log);
			await fetch(sb.url + '/__sandbox/stats');
			await fetch(sb.url + '/nothing-here');
			expect(log).toHaveLength(0);
		});
	});

	describe('fault injection', () => {
		it('status: sends the given status, headers and body, then goes back to normal', async () => {
			sb.injectFaults([
				{
					mode: 'status',
					status: 503,
					headers: { 'Retry-After': '2' },
					body: { success: false, data: null, meta: {} },
				},
				{
					mode: 'status',
					status: 200,
					body: '{"errors":{"code":404,"message":"Не найдено"},"meta":{"message":"Не найдено"}}',
				},
			]);
			let res = await get('/groups', both);
			expect(res.status).toBe(503);
			expect(res.headers.get('retry-after')).toBe('2');
			expect(await json(res)).toEqual({ success: false, data: null, meta: {} });
			res = await get('/groups', both);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('application/json');
			expect((await json(res)).errors.message).toBe('Не найдено');
			expect((await get('/groups', both)).status).toBe(200);
			expect(sb.requests.map((r) => r.fault)).toEqual(['status', 'status', undefined]);
		});

		it('matches by method and path (prefix or RegExp) and honours times', async () => {
			sb.injectFaults([
				{ mode: 'status', status: 500, match: { method: 'POST', path: '/auth' } },
				{ mode: 'status', status: 502, times: 2, match: { path: /\/clients\/?$/ } },
			]);
			expect((await get('/groups', both)).status).toBe(200);
			expect((await get('/group/509/clients?phone=14264037640', both)).status).toBe(502);
			expect((await get('/group/509/clients/?phone=14264037640', both)).status).toBe(502);
			expect((await get('/group/509/clients?phone=14264037640', both)).status).toBe(200);
			expect((await postAuth({ login: 'a', password: 'b' })).status).toBe(500);
			expect((await postAuth({ login: 'a', password: 'b' })).status).toBe(401);
			expect(sb.pendingFaults()).toEqual([]);
		});

		it('html: answers 502 text/html', async () => {
			sb.injectFaults({ mode: 'html' });
			const res = await get('/groups', both);
			expect(res.status).toBe(502);
			expect(res.headers.get('content-type')).toBe('text/html');
			expect(await res.text()).toMatch(/^<!DOCTYPE html>/);
		});

		it('malformedJson: answers 200 application/json that does not parse', async () => {
			sb.injectFaults({ mode: 'malformedJson' });
			const res = await get('/groups', both);
			expect(res.status).toBe(200);
			expect(res.headers.get('content-type')).toBe('application/json');
			const text = await res.text();
			expect(text.startsWith('{"success":true')).toBe(true);
			expect(() => JSON.parse(text)).toThrow();
		});

		it('hugeJson: streams a valid envelope of at least the asked size', async () => {
			sb.injectFaults([
				{ mode: 'hugeJson', bytes: 3_000_000 },
				{ mode: 'hugeJson', bytes: 500_000 },
			]);
			let res = await get('/groups', both);
			expect(res.status).toBe(200);
			let text = await res.text();
			expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(3_000_000);
			expect(Buffer.byteLength(text)).toBeLessThan(3_200_000);
			const body = JSON.parse(text);
			expect(body.success).toBe(true);
			expect(body.data.length).toBeGreaterThan(1000);
			expect(body.data[0]).toMatchObject({ id: expect.any(Number), title: expect.any(String) });

			res = await get('/group/509/clients?phone=14264037640', both);
			text = await res.text();
			expect(Buffer.byteLength(text)).toBeGreaterThanOrEqual(500_000);
			expect(JSON.parse(text).data.clients.length).toBeGreaterThan(1000);
		});

		it('hang: the client-side AbortSignal fires', async () => {
			sb.injectFaults({ mode: 'hang' });
			const started = Date.now();
			await expect(
				fetch(sb.apiUrl + '/groups', {
					headers: { Authorization: both },
					signal: AbortSignal.timeout(300),
				}),
			).rejects.toMatchObject({ name: 'TimeoutError' });
			expect(Date.now() - started).toBeGreaterThanOrEqual(250);
			expect(sb.requests[sb.requests.length - 1]).toMatchObject({ status: 'hang', fault: 'hang' });
			expect((await get('/groups', both)).status).toBe(200);
		});

		it('drop: destroys the socket without a response', async () => {
			sb.injectFaults({ mode: 'drop' });
			await expect(get('/groups', both)).rejects.toThrow(/fetch failed/);
			expect(sb.requests[0]).toMatchObject({ status: 'drop', fault: 'drop' });
			expect((await get('/groups', both)).status).toBe(200);
		});

		it('delay: handles the request normally after delayMs', async () => {
			sb.injectFaults({ mode: 'delay', delayMs: 150 });
			const started = Date.now();
			const res = await get('/groups', both);
			expect(Date.now() - started).toBeGreaterThanOrEqual(140);
			expect(res.status).toBe(200);
			expect(sb.requests[0]).toMatchObject({ status: 200, fault: 'delay' });
		});

		it('rejects unknown modes', () => {
			expect(() => sb.injectFaults({ mode: 'explode' } as never)).toThrow(/unknown fault mode/);
		});
	});

	describe('HTTP control routes', () => {
		it('queues faults, reads and clears the log, reports stats and invalidates tokens', async () => {
			const control = (p: string, method = 'GET', body?: unknown) =>
				fetch(sb.url + '/__sandbox/' + p, {
					method,
					headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
					body: body === undefined ? undefined : JSON.stringify(body),
				});
			let res = await control('faults', 'POST', [
				{ mode: 'status', status: 429, match: { path: '/api/v1/groups' } },
			]);
			expect(await json(res)).toEqual({ ok: true, queued: 1 });
			expect((await control('faults', 'POST', { mode: 'nope' })).status).toBe(400);

			expect((await get('/group/509/clients?phone=14264037640', both)).status).toBe(200);
			expect((await get('/groups', both)).status).toBe(429);

			const log = await json(await control('requests'));
			expect(log.map((r: { path: string; status: number }) => [r.path, r.status])).toEqual([
				['/api/v1/group/509/clients', 200],
				['/api/v1/groups', 429],
			]);
			const stats = await json(await control('stats'));
			expect(stats.total).toBeGreaterThanOrEqual(2);
			expect(stats.byStatus['429']).toBeGreaterThanOrEqual(1);

			await control('faults', 'POST', { mode: 'status', status: 500 });
			await control('faults', 'DELETE');
			expect((await get('/groups', both)).status).toBe(200);

			await control('requests', 'DELETE');
			expect(sb.requests).toHaveLength(0);

			await control('invalidate-user-tokens', 'POST');
			expect((await get('/groups', both)).status).toBe(401);
		});
	});
});

describe('rate limiting', () => {
	let sb: Sandbox | undefined;
	afterEach(async () => {
		await sb?.close();
		sb = undefined;
	});

	const hit = (s: Sandbox) =>
		fetch(s.apiUrl + '/groups', {
			headers: { Authorization: `Bearer ${s.seed.partnerToken}, User ${s.seed.userToken}` },
		});

	it('is on by default: 6 requests at once give exactly 5 × 200 and 1 × 429 with Retry-After', async () => {
		sb = await startSandbox();
		const s = sb;
		const responses = await Promise.all(Array.from({ length: 6 }, () => hit(s)));
		const statuses = responses.map((r) => r.status).sort();
		expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
		const refused = responses.find((r) => r.status === 429)!;
		expect(refused.headers.get('retry-after')).toBe('1');
		expect(await json(refused)).toEqual({
			success: false,
			data: null,
			meta: { message: 'Too many requests.' },
		});
		expect(s.stats().byStatus).toEqual({ 200: 5, 429: 1 });
		expect(s.requests.map((r) => r.status).filter((x) => x === 429)).toHaveLength(1);
	});

	it('decides at arrival time, before latency, and omits Retry-After when asked', async () => {
		sb = await startSandbox({ latencyMs: 150, rateLimit: { perSecond: 3, retryAfter: false } });
		const s = sb;
		const started = Date.now();
		const responses = await Promise.all(Array.from({ length: 4 }, () => hit(s)));
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		expect(responses.map((r) => r.status).sort()).toEqual([200, 200, 200, 429]);
		expect(responses.find((r) => r.status === 429)!.headers.get('retry-after')).toBeNull();
		expect(s.stats().maxConcurrent).toBe(4);
	});

	it('with jitter, each answer takes from half to one and a half times the latency', async () => {
		const draws = [0, 0.999];
		sb = await startSandbox({
			latencyMs: 200,
			latencyJitter: 0.5,
			random: () => draws.shift() ?? 0.5,
			rateLimit: false,
		});
		const s = sb;
		const started = performance.now();
		const answered: number[] = [];
		const timed = async (): Promise<number> => {
			await hit(s);
			answered.push(performance.now() - started);
			return answered.length;
		};
		const first = timed();
		// the second goes once the first has arrived, so that the first draws first
		while (s.requests.length === 0) await sleep(5);
		const order = await Promise.all([first, timed()]);

		// the first drew 0 (100 ms), the second 0.999 (about 300 ms): it is answered last
		expect(order).toEqual([1, 2]);
		expect(answered[0]).toBeGreaterThanOrEqual(95);
		expect(answered[1]).toBeGreaterThanOrEqual(295);
	});

	it('enforces the per-minute window', async () => {
		sb = await startSandbox({ rateLimit: { perSecond: 100, perMinute: 7 } });
		const statuses: number[] = [];
		let last: Response | undefined;
		for (let i = 0; i < 9; i++) {
			last = await hit(sb);
			statuses.push(last.status);
		}
		expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 429, 429]);
		const retryAfter = Number(last!.headers.get('retry-after'));
		expect(retryAfter).toBeGreaterThanOrEqual(59);
		expect(retryAfter).toBeLessThanOrEqual(60);
	});

	it('does not count refused requests, frees slots as the window slides, and skips faulted requests', async () => {
		sb = await startSandbox({ rateLimit: { perSecond: 2, perMinute: 1000 } });
		const s = sb;
		expect((await hit(s)).status).toBe(200);
		expect((await hit(s)).status).toBe(200);
		s.injectFaults({ mode: 'delay', delayMs: 0 });
		expect((await hit(s)).status).toBe(200); // faulted: not limited
		await sleep(400);
		expect((await hit(s)).status).toBe(429); // refused at ~400 ms
		await sleep(700);
		// ~1100 ms: the first two accepted requests left the window; the refused one never counted.
		const statuses = (await Promise.all([hit(s), hit(s), hit(s)])).map((r) => r.status).sort();
		expect(statuses).toEqual([200, 200, 429]);
	});

	it('limits each client IP separately and can be reset', async () => {
		sb = await startSandbox({ rateLimit: { perSecond: 1 } });
		expect((await hit(sb)).status).toBe(200);
		expect((await hit(sb)).status).toBe(429);
		sb.resetRateLimit();
		expect((await hit(sb)).status).toBe(200);
	});
});

describe('lifecycle', () => {
	it('close() resolves with a hanging request pending, and the client sees an error', async () => {
		const sb = await startSandbox({ rateLimit: false });
		sb.injectFaults({ mode: 'hang' });
		const pending = fetch(sb.apiUrl + '/groups').then(
			(r) => r.status,
			(e: Error) => e,
		);
		while (sb.requests.length === 0) await sleep(5);
		const started = Date.now();
		await sb.close();
		expect(Date.now() - started).toBeLessThan(1000);
		expect(await pending).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
		await sb.close(); // idempotent
	});

	it('close() cancels pending latency timers', async () => {
		const sb = await startSandbox({ rateLimit: false, latencyMs: 5000 });
		const pending = fetch(sb.apiUrl + '/groups').catch((e: Error) => e);
		while (sb.requests.length === 0) await sleep(5);
		const started = Date.now();
		await sb.close();
		expect(Date.now() - started).toBeLessThan(1000);
		expect(await pending).toMatchObject({ name: 'TypeError', message: 'fetch failed' });
	});

	it('accepts a seed object and a port', async () => {
		const seed = {
			partnerToken: 'p',
			userToken: 'u',
			chains: [{ id: 1, title: 'One', companies: [] }],
			clients: { '1': [{ phone: '12025550123', id: 9, company_id: 2, name: 'N', email: '' }] },
		};
		const sb = await startSandbox({ seed, rateLimit: false });
		try {
			expect(sb.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
			expect(sb.apiUrl).toBe(sb.url + '/api/v1');
			const res = await fetch(sb.apiUrl + '/group/1/clients?phone=12025550123', {
				headers: { Authorization: 'Bearer p, User u' },
			});
			expect((await json(res)).data.clients).toEqual([
				{ id: 9, company_id: 2, name: 'N', email: '' },
			]);
		} finally {
			await sb.close();
		}
	});

	it('can be imported from ESM', () => {
		const out = execFileSync(
			process.execPath,
			[
				'--input-type=module',
				'-e',
				"import { startSandbox } from './sandbox/index.js'; const s = await startSandbox(); console.log(s.apiUrl); await s.close();",
			],
			{ cwd: ROOT, encoding: 'utf8', timeout: 5000 },
		);
		expect(out).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\n$/);
	});

	it('runs from the CLI, logs requests without the Authorization header and stops on SIGTERM', async () => {
		const child = spawn(process.execPath, ['sandbox/cli.js', '--port', '0', '--no-rate-limit'], {
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		child.stdout.setEncoding('utf8');
		child.stdout.on('data', (chunk: string) => (out += chunk));
		const exited = new Promise<number | null>((resolve) =>
			child.on('exit', (code) => resolve(code)),
		);
		try {
			const deadline = Date.now() + 5000;
			while (!/API URL:\s+(\S+)/.test(out) && Date.now() < deadline) await sleep(10);
			const apiUrl = /API URL:\s+(\S+)/.exec(out)![1];
			expect(out).toContain('sandbox-partner-token-3f9a');
			expect(out).toContain('owner@example.com');
			const res = await fetch(apiUrl + '/groups', {
				headers: {
					Authorization: 'Bearer sandbox-partner-token-3f9a, User sandbox-user-token-7c21',
				},
			});
			expect(res.status).toBe(200);
			while (!/GET\s+\/api\/v1\/groups\s+200/.test(out) && Date.now() < deadline) await sleep(10);
			expect(out).toMatch(/GET\s+\/api\/v1\/groups\s+200/);
			const requestLines = out.split('\n').filter((l) => l.includes('/api/v1/groups'));
			expect(requestLines.join('\n')).not.toMatch(/Bearer|sandbox-user-token/);
		} finally {
			child.kill('SIGTERM');
		}
		expect(await exited).toBe(0);
	});
});
