import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox } from '../helpers/sandbox';
import { runAltegio } from '../helpers/engine';
import { expectNoSecrets } from '../helpers/fakeExecuteFunctions';
import { byPhone, getChains, sandboxCredentials, secretsOf, useSandbox } from '../helpers/sandbox';
import { storedSession } from '../../credentials/common/altegio';

const sandbox = useSandbox({ rateLimit: false });

const PARTNER = 'Bearer sandbox-partner-token-3f9a';
const OWNER = { login: 'owner@example.com', password: 'sandbox-password-5d8e' };
const PHONES = ['13155550175', '14264037640', '79264037640', '12025550199', '10000000000'];

function loginCredentials(
	login = OWNER.login,
	password = OWNER.password,
	on: Sandbox = sandbox(),
	extra: Record<string, unknown> = {},
) {
	return sandboxCredentials(on, {
		userAuth: 'loginPassword',
		userToken: '',
		login,
		password,
		...extra,
	});
}

const calls = (on: Sandbox = sandbox()) =>
	on.requests.map(
		({ method, path, status }) => `${method} ${path.replace('/api/v1', '')} ${status}`,
	);

const userPart = (on: Sandbox = sandbox()) =>
	on.requests
		.filter((request) => request.path !== '/api/v1/auth')
		.map((request) => request.headers.authorization?.replace(`${PARTNER}, User `, ''));

/** The user token inside the stored session token. */
const tokenIn = (stored: unknown) => String(stored).split('.').pop() as string;

describe('sign in with login and password', () => {
	test('signs in once and n8n stores the token, which the next execution reuses', async () => {
		const credentials = loginCredentials();

		const first = await runAltegio({ parameters: getChains, credentials });
		const second = await runAltegio({
			parameters: byPhone(),
			items: [{ phone: PHONES[0] }],
			credentials,
		});

		expect(first.outputs[0]).toHaveLength(2);
		expect(second.outputs[0].map((item) => item.json.id)).toEqual([4250001]);
		const token = tokenIn(credentials.data.sessionToken);
		expect(token).toMatch(/^sandbox-session-/);
		expect(calls()).toEqual(['POST /auth 201', 'GET /groups 200', 'GET /group/509/clients 200']);
		expect(sandbox().requests[0]).toMatchObject({
			headers: { authorization: PARTNER },
			body: OWNER,
		});
		expect(userPart()).toEqual([token, token]);
		expectNoSecrets([first, second], [...secretsOf(sandbox()), token]);
	});

	test('many items at once sign in once, and every lookup uses that token', async () => {
		const credentials = loginCredentials();

		const run = await runAltegio({
			parameters: byPhone(),
			items: PHONES.map((phone) => ({ phone })),
			credentials,
		});

		expect(run.outputs[0].map((item) => item.json.id)).toEqual([
			4250001, 4240880, 4243272, 4250002,
		]);
		expect(calls().filter((call) => call.startsWith('POST'))).toEqual(['POST /auth 201']);
		expect(new Set(userPart())).toEqual(new Set([tokenIn(credentials.data.sessionToken)]));
	});

	test('a stale stored token is replaced by one sign-in, and the request is sent once more', async () => {
		const credentials = loginCredentials();
		await runAltegio({ parameters: getChains, credentials });
		const oldToken = tokenIn(credentials.data.sessionToken);
		sandbox().invalidateUserTokens();
		sandbox().clearRequests();

		const run = await runAltegio({ parameters: getChains, credentials });

		const newToken = tokenIn(credentials.data.sessionToken);
		expect(run.status).toBe('success');
		expect(newToken).not.toBe(oldToken);
		expect(calls()).toEqual(['GET /groups 401', 'POST /auth 201', 'GET /groups 200']);
		expect(userPart()).toEqual([oldToken, newToken]);
	});

	test.each([
		[
			'a wrong password',
			'wrong-password-123',
			OWNER.login,
			'Altegio did not sign in with the login and password of the credential: Incorrect login or password',
			'Check the login, the password and the partner token',
		],
		[
			'a two-factor user',
			'sandbox-password-2fa',
			'+13155550100',
			'Altegio asks for a confirmation code to sign in this user (two-factor authentication), which n8n cannot enter',
			'Choose User Token in the credential and paste the user token instead',
		],
	])(
		'%s: one sign-in for the whole run, and every item fails with its error',
		async (_, password, login, message, description) => {
			const run = await runAltegio({
				parameters: byPhone(),
				items: PHONES.map((phone) => ({ phone })),
				onError: 'continueRegularOutput',
				credentials: loginCredentials(login, password),
			});

			expect(run.outputs[0]).toEqual(
				PHONES.map((_phone, item) => ({
					json: { error: `${message} [item ${item}]`, message: description },
					pairedItem: { item },
				})),
			);
			expect(calls()).toEqual([expect.stringMatching(/^POST \/auth (401|200)$/)]);
			expectNoSecrets(run, [...secretsOf(sandbox()), password]);
		},
	);

	test('a 429 and a 503 on sign-in are retried, and Retry-After is honoured', async () => {
		sandbox().injectFaults([
			{
				mode: 'status',
				status: 429,
				headers: { 'Retry-After': '1' },
				body: { success: false, data: null, meta: { message: 'Too many requests.' } },
				match: { method: 'POST', path: '/auth' },
			},
			{
				mode: 'status',
				status: 503,
				body: { success: false, data: null, meta: {} },
				match: { method: 'POST', path: '/auth' },
			},
		]);

		const run = await runAltegio({ parameters: getChains, credentials: loginCredentials() });

		expect(run.status).toBe('success');
		expect(calls()).toEqual([
			'POST /auth 429',
			'POST /auth 503',
			'POST /auth 201',
			'GET /groups 200',
		]);
		const [tooMany, failed] = sandbox().requests;
		expect(failed.at - tooMany.at).toBeGreaterThanOrEqual(1000);
	});

	test('a sign-in that hangs fails at the Timeout, with what happened', async () => {
		sandbox().injectFaults({
			mode: 'hang',
			match: { method: 'POST', path: '/auth' },
			times: Infinity,
		});

		const run = await runAltegio({
			parameters: { ...getChains, options: { timeout: 400, maxRetries: 1 } },
			credentials: loginCredentials(),
		});

		expect(run.error).toMatchObject({
			message: 'Could not sign in: The Altegio API did not answer within 400 ms [item 0]',
			description: 'Try again later, or raise Timeout in the node options',
		});
		expect(calls()).toEqual(['POST /auth hang', 'POST /auth hang']);
	});

	test('a redirect on sign-in is not followed: nothing is posted to the other host', async () => {
		const other = await startSandbox({ rateLimit: false });
		try {
			sandbox().injectFaults({
				mode: 'status',
				status: 307,
				headers: { Location: `${other.apiUrl}/auth` },
				match: { method: 'POST', path: '/auth' },
			});

			const run = await runAltegio({ parameters: getChains, credentials: loginCredentials() });

			expect(run.error?.message).toBe(
				'The Altegio API answered the sign-in with a redirect (HTTP 307), which is not followed [item 0]',
			);
			expect(other.requests).toEqual([]);
			expect(calls()).toEqual(['POST /auth 307']);
		} finally {
			await other.close();
		}
	});

	test.each([
		['the host', () => ({ baseUrl: sandbox().apiUrl })],
		['the login', () => ({ login: 'manager@example.com', password: 'manager-password-9c1b' })],
	])(
		'after %s of the credential changes, the previous session token is not sent',
		async (_, change) => {
			const other = await startSandbox({
				rateLimit: false,
				seed: {
					...sandbox().seed,
					users: [
						...(sandbox().seed.users ?? []),
						{ login: 'manager@example.com', password: 'manager-password-9c1b' },
					],
				},
			});
			try {
				const credentials = loginCredentials(OWNER.login, OWNER.password, other);
				await runAltegio({ parameters: getChains, credentials });
				const ownerToken = tokenIn(credentials.data.sessionToken);
				other.clearRequests();

				credentials.data = { ...credentials.data, ...change() };
				const run = await runAltegio({ parameters: getChains, credentials });

				expect(run.status).toBe('success');
				const used = [...sandbox().requests, ...other.requests];
				expect(used.map((request) => request.headers.authorization)).not.toContainEqual(
					expect.stringContaining(ownerToken),
				);
				expect(
					used.map((request) => `${request.method} ${request.path} ${request.status}`),
				).toEqual(['POST /api/v1/auth 201', 'GET /api/v1/groups 200']);
			} finally {
				await other.close();
			}
		},
	);
});

describe('sign-in under the real limits', () => {
	const limited = useSandbox();

	test('a stored token this process has not used yet goes out with one lookup first: a stale one costs one 401', async () => {
		const credentials = loginCredentials(OWNER.login, OWNER.password, limited());
		// as n8n stores it after another process (a restart, another worker) signed in
		credentials.data.sessionToken = storedSession(credentials.data, 'issued-elsewhere-7c1e');
		limited().clearRequests();
		limited().resetRateLimit();

		const items = Array.from({ length: 10 }, (_, index) => ({
			phone: `1315555${String(index).padStart(4, '0')}`,
		}));
		const run = await runAltegio({ parameters: byPhone(), items, credentials });

		expect(run.status).toBe('success');
		// a busy machine may draw one burst of 429s, as in pacing.test.ts; they change nothing here
		const log = calls(limited()).filter((call) => !call.endsWith(' 429'));
		expect(log.slice(0, 2).map((call) => call.replace(/ \/.* /, ' … '))).toEqual([
			'GET … 401',
			'POST … 201',
		]);
		expect(log.slice(2).map((call) => call.split(' ').pop())).toEqual(Array(10).fill('404'));
		const refused = limited().requests.filter((request) => request.status === 429);
		expect(refused.length).toBeLessThanOrEqual(5);
	});

	test('a stale token this process has used before, with 10 items: exactly one sign-in', async () => {
		const credentials = loginCredentials(OWNER.login, OWNER.password, limited());
		await runAltegio({ parameters: getChains, credentials });
		limited().invalidateUserTokens();
		limited().clearRequests();
		limited().resetRateLimit();

		const items = Array.from({ length: 10 }, (_, index) => ({
			phone: `1315555${String(index).padStart(4, '0')}`,
		}));
		const run = await runAltegio({ parameters: byPhone(), items, credentials });

		expect(run.status).toBe('success');
		const statuses = limited().requests.map((request) => request.status);
		expect(statuses.filter((status) => status === 429).length).toBeLessThanOrEqual(5);
		expect(calls(limited()).filter((call) => call.startsWith('POST'))).toEqual(['POST /auth 201']);
	});
});
