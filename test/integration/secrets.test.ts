import nock from 'nock';

import { startSandbox } from '../../sandbox/index.js';
import { runAltegio } from '../helpers/engine';
import { expectNoSecrets } from '../helpers/fakeExecuteFunctions';
import { byPhone, getChains, sandboxCredentials, secretsOf, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });

describe('secrets never leave for another origin', () => {
	test.each([301, 302, 307, 308])(
		'a %i from the API is an error naming the status and the base URL; the other origin gets nothing',
		async (status) => {
			const other = await startSandbox({ rateLimit: false });
			try {
				sandbox().injectFaults({
					mode: 'status',
					status,
					headers: { Location: `${other.apiUrl}/groups` },
				});

				const run = await runAltegio({
					parameters: getChains,
					credentials: sandboxCredentials(sandbox()),
				});

				expect(run.error).toMatchObject({
					message: `The Altegio API answered with a redirect (HTTP ${status}), which is not followed [item 0]`,
					description: `Check the API address ${sandbox().apiUrl}: it must be the API root itself, such as https://api.alteg.io/api/v1, not an address that forwards elsewhere`,
					httpCode: String(status),
				});
				expect(other.requests).toEqual([]);
				expect(sandbox().requests).toHaveLength(1);
			} finally {
				await other.close();
			}
		},
	);

	test('a base URL with user:password@ is refused before any request, without showing the password', async () => {
		const baseUrl = sandbox().apiUrl.replace('http://', 'http://proxy-user:proxy-secret-77@');

		const run = await runAltegio({
			parameters: getChains,
			credentials: sandboxCredentials(sandbox(), { baseUrl }),
		});

		expect(run.error?.message).toBe(
			'The base URL in the Altegio API credential contains a user name or password (user:password@) [item 0]',
		);
		expect(sandbox().requests).toEqual([]);
		expectNoSecrets(run, [...secretsOf(sandbox()), 'proxy-secret-77']);
	});

	describe.each([
		['http://api.example.test/api/v1', 'api.example.test'],
		['http://10.0.0.5:8080/api/v1', '10.0.0.5'],
	])('an http:// base URL that is not this computer (%s)', (baseUrl, host) => {
		// Any request to that address would be caught here, so nothing leaves even if one is sent.
		const seen: string[] = [];
		beforeEach(() => {
			nock.disableNetConnect();
			nock.enableNetConnect('127.0.0.1');
			nock(new URL(baseUrl).origin)
				.persist()
				.post(/.*/)
				.reply(function (uri) {
					seen.push(`POST ${uri}`);
					return [500, ''];
				})
				.get(/.*/)
				.reply(function (uri) {
					seen.push(`GET ${uri}`);
					return [500, ''];
				});
		});
		afterEach(() => {
			nock.cleanAll();
			nock.enableNetConnect();
			seen.length = 0;
		});

		test.each(['userToken', 'loginPassword'])(
			'with %s: refused before any request, saying why and what to enter',
			async (userAuth) => {
				const run = await runAltegio({
					parameters: getChains,
					credentials: sandboxCredentials(sandbox(), {
						baseUrl,
						userAuth,
						login: 'owner@example.com',
						password: 'sandbox-password-5d8e',
					}),
				});

				expect(run.error).toMatchObject({
					message: `The base URL in the Altegio API credential starts with http:// and points at ${host}, another computer: the tokens and the password would travel unencrypted [item 0]`,
					description:
						'Enter an https:// address, such as https://api.alteg.io/api/v1 or the https:// address of your proxy. http:// is accepted only for this computer: localhost, 127.0.0.1 or [::1]',
				});
				expect(seen).toEqual([]);
				expectNoSecrets(run, [...secretsOf(sandbox()), 'sandbox-password-5d8e']);
			},
		);
	});

	test("the sandbox's request log over HTTP names the kind of token, never the token or the password", async () => {
		await runAltegio({
			parameters: byPhone(),
			items: [{ phone: '13155550175' }],
			credentials: sandboxCredentials(sandbox(), {
				userAuth: 'loginPassword',
				login: 'owner@example.com',
				password: 'sandbox-password-5d8e',
			}),
		});
		await runAltegio({
			parameters: getChains,
			credentials: sandboxCredentials(sandbox(), { userToken: 'wrong-token-1' }),
		});

		const log = (await (await fetch(`${sandbox().url}/__sandbox/requests`)).json()) as Array<{
			path: string;
			headers: { authorization: string };
			body: unknown;
		}>;

		expect(log.map(({ path, headers, body }) => [path, headers.authorization, body])).toEqual([
			[
				'/api/v1/auth',
				'Bearer [partner token]',
				{ login: 'owner@example.com', password: '[redacted]' },
			],
			['/api/v1/group/509/clients', 'Bearer [partner token], User [session token]', undefined],
			['/api/v1/groups', 'Bearer [partner token], User [other token]', undefined],
		]);
		const session = sandbox().requests[1].headers.authorization?.split('User ')[1] as string;
		expectNoSecrets(log, [...secretsOf(sandbox()), session, 'wrong-token-1']);
	});
});

describe('User Token mode', () => {
	const limited = useSandbox();

	test('a wrong token: each item sends one request and fails with the 401', async () => {
		const items = Array.from({ length: 10 }, (_, index) => ({
			phone: `1315555${String(index).padStart(4, '0')}`,
		}));

		const run = await runAltegio({
			parameters: byPhone(),
			items,
			onError: 'continueRegularOutput',
			credentials: sandboxCredentials(limited(), { userToken: 'wrong-user-token' }),
		});

		// a busy machine may draw one burst of 429s (see pacing.test.ts), each retried
		const statuses = limited().requests.map((request) => request.status);
		expect(statuses.filter((status) => status !== 429)).toEqual(Array(10).fill(401));
		expect(statuses.filter((status) => status === 429).length).toBeLessThanOrEqual(5);
		expect(run.outputs[0]).toEqual(
			items.map((_, item) => ({
				json: {
					error: `Authentication needed. [item ${item}]`,
					message:
						"Check the partner token and user token in the Altegio API credential. A user token changes when the user's password changes",
				},
				pairedItem: { item },
			})),
		);
	});
});
