import { runAltegio } from '../helpers/engine';
import {
	byPhone,
	expectNoSecrets,
	getChains,
	sandboxCredentials,
	secretsOf,
	useSandbox,
} from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });

const PARTNER = 'Bearer sandbox-partner-token-3f9a';

function loginCredentials(login = 'owner@example.com', password = 'sandbox-password-5d8e') {
	return sandboxCredentials(sandbox(), {
		userAuth: 'loginPassword',
		userToken: '',
		login,
		password,
	});
}

const calls = () =>
	sandbox().requests.map(({ method, path, headers, body, status }) => ({
		call: `${method} ${path.replace('/api/v1', '')} ${status}`,
		authorization: headers.authorization,
		body,
	}));

describe('sign in with login and password', () => {
	test('signs in once, then reuses the user token across executions', async () => {
		const credentials = loginCredentials();

		const first = await runAltegio({ parameters: getChains, credentials });
		const second = await runAltegio({
			parameters: byPhone(),
			items: [{ phone: '13155550175' }],
			credentials,
		});

		expect(first.status).toBe('success');
		expect(first.outputs[0]).toHaveLength(2);
		expect(second.outputs[0].map((item) => item.json.id)).toEqual([4250001]);

		const sessionToken = credentials.data.sessionToken as string;
		expect(sessionToken).toMatch(/^sandbox-session-/);
		expect(calls()).toEqual([
			{
				call: 'POST /auth 201',
				authorization: PARTNER,
				body: { login: 'owner@example.com', password: 'sandbox-password-5d8e' },
			},
			{
				call: 'GET /groups 200',
				authorization: `${PARTNER}, User ${sessionToken}`,
				body: undefined,
			},
			{
				call: 'GET /group/509/clients 200',
				authorization: `${PARTNER}, User ${sessionToken}`,
				body: undefined,
			},
		]);
		expectNoSecrets([first, second], [...secretsOf(sandbox()), sessionToken]);
	});

	test('many items at once sign in once, and every lookup uses that token', async () => {
		const credentials = loginCredentials();

		const run = await runAltegio({
			parameters: byPhone(),
			items: ['13155550175', '14264037640', '79264037640', '12025550199', '10000000000'].map(
				(phone) => ({
					phone,
				}),
			),
			credentials,
		});

		expect(run.outputs[0].map((item) => item.json.id)).toEqual([
			4250001, 4240880, 4243272, 4250002,
		]);
		const sessionToken = credentials.data.sessionToken as string;
		expect(calls().map(({ call }) => call.split(' ').slice(0, 2).join(' '))).toEqual([
			'POST /auth',
			...Array(5).fill('GET /group/509/clients'),
		]);
		expect(
			new Set(
				calls()
					.slice(1)
					.map(({ authorization }) => authorization),
			),
		).toEqual(new Set([`${PARTNER}, User ${sessionToken}`]));
	});

	test('signs in again once when the user token stops working (password changed)', async () => {
		const credentials = loginCredentials();
		await runAltegio({ parameters: getChains, credentials });
		const oldToken = credentials.data.sessionToken as string;
		sandbox().invalidateUserTokens();
		sandbox().clearRequests();

		const run = await runAltegio({ parameters: getChains, credentials });

		const newToken = credentials.data.sessionToken as string;
		expect(run.status).toBe('success');
		expect(newToken).not.toBe(oldToken);
		expect(calls().map(({ call, authorization }) => [call, authorization])).toEqual([
			['GET /groups 401', `${PARTNER}, User ${oldToken}`],
			['POST /auth 201', PARTNER],
			['GET /groups 200', `${PARTNER}, User ${newToken}`],
		]);
		expect(credentials.preAuthCalls).toEqual([{ expired: false }, { expired: true }]);
	});

	test('a wrong password gives a clear error without the password', async () => {
		const run = await runAltegio({
			parameters: getChains,
			credentials: loginCredentials('owner@example.com', 'wrong-password-123'),
		});

		expect(run.status).toBe('error');
		expect(run.error?.message).toBe(
			'Altegio did not sign in with the login and password of the credential: Incorrect login or password. Check the login, the password and the partner token. [item 0]',
		);
		expectNoSecrets(run, [...secretsOf(sandbox()), 'wrong-password-123']);
		expect(sandbox().requests.map((request) => request.path)).not.toContain('/api/v1/groups');
	});

	test('a user with two-factor sign-in gets told to use a user token', async () => {
		const run = await runAltegio({
			parameters: getChains,
			credentials: loginCredentials('+13155550100', 'sandbox-password-2fa'),
		});

		expect(run.error?.message).toBe(
			'Altegio asks for a confirmation code to sign in this user (two-factor authentication), which n8n cannot enter. Choose User Token in the credential and paste the user token instead. [item 0]',
		);
		expectNoSecrets(run, secretsOf(sandbox()));
	});
});
