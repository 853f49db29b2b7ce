import type {
	IHttpRequestOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestHelper,
	INode,
	INodeParameters,
	INodeProperties,
	INodeTypes,
} from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';

import { AltegioApi } from '../../credentials/AltegioApi.credentials';
import {
	checkCredential,
	cleartextProblem,
	CredentialProblem,
	PARTNER_TOKEN_ONLY,
	storedSession,
} from '../../credentials/common/altegio';
import { PHONE_REGIONS } from '../../credentials/common/phoneRegions';
import { Altegio } from '../../nodes/Altegio/Altegio.node';
import { NODE, caught, fixture } from '../helpers/fakeExecuteFunctions';

const credential = new AltegioApi();
const OWNER_FIELDS = {
	partnerToken: 'partner-abc123',
	userAuth: 'loginPassword',
	login: 'owner@example.com',
	password: 'pw',
};
const property = (name: string) =>
	credential.properties.find((entry) => entry.name === name) as INodeProperties;

const node: INode = { ...NODE, parameters: { resource: 'chain', operation: 'getAll' } };
const altegio = new Altegio();
const nodeTypes = {
	getByName: () => altegio,
	getByNameAndVersion: () => altegio,
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;
const workflow = new Workflow({
	id: 'credential-test',
	nodes: [node],
	connections: {},
	active: false,
	nodeTypes,
});

/** Credential data as n8n hands it to the credential: saved values plus the defaults. */
async function decrypted(data: IDataObject): Promise<ICredentialDataDecryptedObject> {
	return NodeHelpers.getNodeParameters(
		credential.properties,
		{ ...data } as INodeParameters,
		true,
		false,
		null,
		null,
	) as ICredentialDataDecryptedObject;
}

/** An `=`-expression of the credential, resolved as n8n's credentials helper resolves it. */
function resolve(expression: unknown, credentials: IDataObject): unknown {
	return workflow.expression.getParameterValue(
		expression as string,
		null,
		0,
		0,
		node.name,
		[],
		'internal',
		{ $credentials: credentials },
		undefined,
		false,
		credentials,
	);
}

/** The request options after the credential's `authenticate`, as n8n's credentials helper calls it. */
async function authenticated(data: IDataObject, options: IHttpRequestOptions = { url: '/groups' }) {
	return await credential.authenticate(await decrypted(data), options);
}

/** The Authorization header the credential adds to a request. */
async function authorization(data: IDataObject): Promise<unknown> {
	return (await authenticated(data)).headers?.Authorization;
}

describe('AltegioApi credential: the public contract', () => {
	test('name and display name', () => {
		expect(credential.name).toBe('altegioApi');
		expect(credential.displayName).toBe('Altegio API');
	});

	test('property names, in order', () => {
		expect(credential.properties.map((entry) => entry.name)).toEqual([
			'environment',
			'baseUrl',
			'partnerToken',
			'userAuth',
			'userToken',
			'login',
			'password',
			'sessionToken',
			'defaultCountry',
			'requestsPerSecond',
			'requestsPerMinute',
		]);
	});

	test('Environment: Altegio (default), YCLIENTS or Custom', () => {
		expect(property('environment')).toMatchObject({ type: 'options', default: 'altegio' });
		expect(
			(property('environment').options as Array<{ value: string }>).map((option) => option.value),
		).toEqual(['altegio', 'yclients', 'custom']);
	});

	test('Base URL is shown only for the custom environment', () => {
		expect(property('baseUrl')).toMatchObject({ type: 'string', default: '' });
		expect(property('baseUrl').displayOptions).toEqual({ show: { environment: ['custom'] } });
	});

	test('the partner token is a required password field', () => {
		expect(property('partnerToken')).toMatchObject({
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		});
	});

	test('User Authentication: User Token (default) or Login and Password', () => {
		expect(property('userAuth')).toMatchObject({ type: 'options', default: 'userToken' });
		expect(
			(property('userAuth').options as Array<{ value: string }>).map((option) => option.value),
		).toEqual(['userToken', 'loginPassword']);
	});

	test('the user token is a password field shown for User Token', () => {
		expect(property('userToken')).toMatchObject({
			type: 'string',
			typeOptions: { password: true },
			default: '',
		});
		expect(property('userToken').displayOptions).toEqual({ show: { userAuth: ['userToken'] } });
	});

	test('login (plain) and password (a password field) are shown for Login and Password', () => {
		expect(property('login')).toMatchObject({ type: 'string', default: '' });
		expect(property('login').typeOptions?.password).toBeUndefined();
		expect(property('password')).toMatchObject({
			type: 'string',
			typeOptions: { password: true },
			default: '',
		});
		for (const name of ['login', 'password']) {
			expect(property(name).displayOptions).toEqual({ show: { userAuth: ['loginPassword'] } });
		}
	});

	test('the session token is hidden, expirable and secret', () => {
		expect(property('sessionToken')).toMatchObject({
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		});
	});

	test('the request budget: 5 per second and 200 per minute by default, 0 allowed', () => {
		expect(property('requestsPerSecond')).toMatchObject({
			type: 'number',
			default: 5,
			typeOptions: { minValue: 0 },
		});
		expect(property('requestsPerMinute')).toMatchObject({
			type: 'number',
			default: 200,
			typeOptions: { minValue: 0 },
		});
	});

	test('n8n fills in the defaults for a credential saved with the tokens only', async () => {
		expect(await decrypted({ partnerToken: 'pt', userToken: 'ut' })).toEqual({
			environment: 'altegio',
			partnerToken: 'pt',
			userAuth: 'userToken',
			userToken: 'ut',
			sessionToken: '',
			defaultCountry: '',
			requestsPerSecond: 5,
			requestsPerMinute: 200,
		});
	});

	test('Default Country: None (the default), then every region by its English name', () => {
		expect(property('defaultCountry')).toMatchObject({ type: 'options', default: '' });
		const options = property('defaultCountry').options as Array<{ name: string; value: string }>;

		expect(options[0]).toEqual({ name: 'None', value: '' });
		expect(
			options
				.map((option) => option.value)
				.slice(1)
				.sort(),
		).toEqual([...PHONE_REGIONS].sort());
		expect(options).toEqual(
			expect.arrayContaining([
				{ name: 'Russia (RU)', value: 'RU' },
				{ name: 'Kazakhstan (KZ)', value: 'KZ' },
				{ name: 'United Kingdom (GB)', value: 'GB' },
				{ name: 'United States (US)', value: 'US' },
				{ name: 'United Arab Emirates (AE)', value: 'AE' },
			]),
		);
		const names = options.slice(1).map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
	});
});

describe('AltegioApi credential: the Default Country as the node reads it', () => {
	const fields = { partnerToken: 'pt', userToken: 'ut' };

	test.each([
		[undefined, undefined],
		['', undefined],
		['RU', 'RU'],
		[' gb ', 'GB'],
	])('%p → %p', (defaultCountry, expected) => {
		expect(checkCredential({ ...fields, defaultCountry } as never).defaultCountry).toBe(expected);
	});

	test('a code that is no region is a credential error that says what to choose', () => {
		let error: unknown;
		try {
			checkCredential({ ...fields, defaultCountry: 'XX' });
		} catch (thrown) {
			error = thrown;
		}
		expect(error).toBeInstanceOf(CredentialProblem);
		expect((error as CredentialProblem).message).toBe(
			'The Default Country "XX" in the Altegio API credential is not a country that phone numbers can be read in',
		);
		expect((error as CredentialProblem).description).toBe(
			'Choose the country from the list in the credential, or None to enter every phone with its country code',
		);
	});
});

describe('AltegioApi credential: the Authorization header', () => {
	test('a request that asks for the partner token alone gets it without the user token', async () => {
		// The node adds the field to the decrypted data it hands to n8n for this one request.
		const alone = async (data: IDataObject) =>
			(
				await credential.authenticate(
					{ ...(await decrypted(data)), [PARTNER_TOKEN_ONLY]: true },
					{ url: '/book_times/38726/0/2026-12-14' },
				)
			).headers?.Authorization;
		expect(await alone({ partnerToken: ' partner-abc123 ', userToken: 'user-def456' })).toBe(
			'Bearer partner-abc123',
		);
		expect(
			await alone({
				partnerToken: 'partner-abc123',
				userAuth: 'loginPassword',
				login: 'owner@example.com',
				password: 'x',
			}),
		).toBe('Bearer partner-abc123');
	});

	test('is added to the request, which keeps its own headers and options', async () => {
		const options: IHttpRequestOptions = {
			url: '/group/509/clients',
			qs: { phone: '14264037640' },
			headers: { Accept: 'application/vnd.api.v2+json' },
		};

		expect(
			await authenticated({ partnerToken: 'partner-abc123', userToken: 'user-def456' }, options),
		).toEqual({
			url: '/group/509/clients',
			qs: { phone: '14264037640' },
			headers: {
				Accept: 'application/vnd.api.v2+json',
				Authorization: 'Bearer partner-abc123, User user-def456',
			},
		});
		expect(options.headers).toEqual({ Accept: 'application/vnd.api.v2+json' });
	});

	test('User Token: exactly "Bearer <partner>, User <user>"', async () => {
		expect(await authorization({ partnerToken: 'partner-abc123', userToken: 'user-def456' })).toBe(
			'Bearer partner-abc123, User user-def456',
		);
	});

	test('surrounding spaces and line breaks of pasted tokens are trimmed', async () => {
		expect(
			await authorization({
				partnerToken: '  partner-abc123\n',
				userToken: '\r\n\tuser-def456  \n',
			}),
		).toBe('Bearer partner-abc123, User user-def456');
	});

	test('Login and Password: the session token from sign-in is the user part', async () => {
		expect(
			await authorization({
				partnerToken: 'partner-abc123',
				userAuth: 'loginPassword',
				login: 'owner@example.com',
				password: 'pw',
				sessionToken: storedSession(OWNER_FIELDS, 'session-789'),
			}),
		).toBe('Bearer partner-abc123, User session-789');
	});

	test.each([
		['another login', { login: 'manager@example.com' }],
		['another partner token', { partnerToken: 'partner-xyz999' }],
		['another host', { environment: 'yclients' }],
		['a token stored without its owner (an older version)', { sessionToken: 'session-789' }],
	])('Login and Password: a session token issued for %s is not sent', async (_, change) => {
		expect(
			await authorization({
				...OWNER_FIELDS,
				sessionToken: storedSession(OWNER_FIELDS, 'session-789'),
				...change,
			}),
		).toBe(
			`Bearer ${(change as { partnerToken?: string }).partnerToken ?? 'partner-abc123'}, User `,
		);
	});

	test('Login and Password ignores a user token left over from User Token mode', async () => {
		const header = await authorization({
			partnerToken: 'partner-abc123',
			userAuth: 'loginPassword',
			userToken: 'stale-user-token',
			login: 'owner@example.com',
			password: 'pw',
			sessionToken: storedSession(OWNER_FIELDS, 'session-789'),
		});

		expect(header).toBe('Bearer partner-abc123, User session-789');
	});

	test('expression syntax inside a token is sent as text, not run', async () => {
		expect(
			await authorization({
				partnerToken: 'p{{1+1}}t',
				userToken: 'u{{ $credentials.password }}t',
			}),
		).toBe('Bearer p{{1+1}}t, User u{{ $credentials.password }}t');
	});
});

describe('AltegioApi credential: the test request', () => {
	test('GET /groups, failing when the body says success: false', () => {
		expect(credential.test.request.url).toBe('/groups');
		expect(credential.test.request.method ?? 'GET').toBe('GET');
		expect(credential.test.rules).toEqual([
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'success',
					value: false,
					message: 'The Altegio API did not accept these tokens',
				},
			},
		]);
	});

	test.each([
		[{ environment: 'altegio' }, 'https://api.alteg.io/api/v1', 'application/vnd.api.v2+json'],
		[
			{ environment: 'yclients' },
			'https://api.yclients.com/api/v1',
			'application/vnd.yclients.v2+json',
		],
		[
			{ environment: 'custom', baseUrl: 'http://127.0.0.1:8080/api/v1' },
			'http://127.0.0.1:8080/api/v1',
			'application/vnd.api.v2+json',
		],
		[{}, 'https://api.alteg.io/api/v1', 'application/vnd.api.v2+json'],
	])('%p → base URL %p and Accept %p', (environment, baseUrl, accept) => {
		const credentials = { partnerToken: 'pt', userToken: 'ut', ...environment };

		expect(resolve(credential.test.request.baseURL, credentials)).toBe(baseUrl);
		expect(resolve((credential.test.request.headers as IDataObject).Accept, credentials)).toBe(
			accept,
		);
	});
});

describe('AltegioApi credential: preAuthentication (sign-in with login and password)', () => {
	function signIn(answer: () => Promise<unknown>) {
		const httpRequest = jest.fn(answer);
		const helper = { helpers: { httpRequest } } as unknown as IHttpRequestHelper;
		const run = async (data: IDataObject) =>
			await credential.preAuthentication!.call(helper, await decrypted(data));
		return { httpRequest, run };
	}

	const LOGIN = {
		partnerToken: ' partner-abc123 ',
		userAuth: 'loginPassword',
		login: ' owner@example.com ',
		password: 'pass word 5d8e',
	};

	test('a request with the partner token alone signs no one in', async () => {
		const { httpRequest } = signIn(async () => {
			throw new Error('no request expected');
		});
		const data = { ...(await decrypted(LOGIN)), [PARTNER_TOKEN_ONLY]: true };
		expect(
			await credential.preAuthentication!.call(
				{ helpers: { httpRequest } } as unknown as IHttpRequestHelper,
				data,
			),
		).toEqual({});
		expect(httpRequest).not.toHaveBeenCalled();
	});

	test('User Token mode: nothing to do, no request', async () => {
		const { httpRequest, run } = signIn(async () => ({
			statusCode: 201,
			body: fixture('auth-success.json'),
		}));

		await expect(run({ partnerToken: 'pt', userToken: 'ut' })).resolves.toEqual({});
		expect(httpRequest).not.toHaveBeenCalled();
	});

	test('posts exactly {login, password} to <base>/auth with the partner token, 201 → the session token', async () => {
		const { httpRequest, run } = signIn(async () => ({
			statusCode: 201,
			body: fixture('auth-success.json'),
		}));

		await expect(run(LOGIN)).resolves.toEqual({
			sessionToken: storedSession(await decrypted(LOGIN), 'wec23fh8cDfFV4432fc352456'),
		});
		expect(httpRequest).toHaveBeenCalledTimes(1);
		expect(httpRequest).toHaveBeenCalledWith({
			method: 'POST',
			baseURL: 'https://api.alteg.io/api/v1',
			url: '/auth',
			headers: { Accept: 'application/vnd.api.v2+json', Authorization: 'Bearer partner-abc123' },
			body: { login: 'owner@example.com', password: 'pass word 5d8e' },
			json: true,
			timeout: 30_000,
			disableFollowRedirect: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
		});
	});

	test('a user token the node signed in for is stored as it is handed over, without a request', async () => {
		const httpRequest = jest.fn();
		const helper = { helpers: { httpRequest } } as unknown as IHttpRequestHelper;
		const data = { ...(await decrypted(LOGIN)), signedInUserToken: 'handed-over-42' };

		const output = await credential.preAuthentication!.call(helper, data);

		expect(output).toEqual({
			sessionToken: storedSession(await decrypted(LOGIN), 'handed-over-42'),
			signedInUserToken: undefined,
		});
		expect(httpRequest).not.toHaveBeenCalled();
	});

	test.each([
		[
			{ environment: 'yclients' },
			'https://api.yclients.com/api/v1',
			'application/vnd.yclients.v2+json',
		],
		[
			{ environment: 'custom', baseUrl: 'http://127.0.0.1:8080/api/v1/' },
			'http://127.0.0.1:8080/api/v1',
			'application/vnd.api.v2+json',
		],
	])('%p signs in at %p/auth with Accept %p', async (environment, baseURL, accept) => {
		const { httpRequest, run } = signIn(async () => ({
			statusCode: 201,
			body: fixture('auth-success.json'),
		}));

		await run({ ...LOGIN, ...environment });

		expect(httpRequest.mock.calls[0]).toEqual([
			expect.objectContaining({
				baseURL,
				url: '/auth',
				headers: { Accept: accept, Authorization: 'Bearer partner-abc123' },
			}),
		]);
	});

	test('200 with data.uuid (two-factor): an error that says so and what to do instead', async () => {
		const { run } = signIn(async () => ({
			statusCode: 200,
			body: fixture('auth-two-factor.json'),
		}));

		const error = await caught<Error>(run(LOGIN));

		expect(error.message).toBe(
			'Altegio asks for a confirmation code to sign in this user (two-factor authentication), which n8n cannot enter. Choose User Token in the credential and paste the user token instead.',
		);
		expect(error.message).not.toContain('pass word 5d8e');
	});

	test('401 wrong password: the API message and what to check, without the password or token', async () => {
		const { run } = signIn(async () => ({
			statusCode: 401,
			body: fixture('errors/auth-wrong-password.json'),
		}));

		const error = await caught<Error>(run(LOGIN));

		expect(error.message).toBe(
			'Altegio did not sign in with the login and password of the credential: Incorrect login or password. Check the login, the password and the partner token.',
		);
		expect(JSON.stringify({ message: error.message, error })).not.toMatch(
			/pass word 5d8e|partner-abc123/,
		);
	});

	test('a server error during sign-in says to try again later', async () => {
		const { run } = signIn(async () => ({
			statusCode: 502,
			body: fixture<string>('errors/bad-gateway.html'),
		}));

		const error = await caught<Error>(run(LOGIN));

		expect(error.message).toBe(
			'Altegio could not sign in the user right now (HTTP 502). Try again later.',
		);
	});

	test('201 without a user token is not a sign-in', async () => {
		const { run } = signIn(async () => ({
			statusCode: 201,
			body: { success: true, data: {}, meta: [] },
		}));

		const error = await caught<Error>(run(LOGIN));

		expect(error.message).toBe(
			'Altegio did not sign in with the login and password of the credential (HTTP 201). Check the login, the password and the partner token.',
		);
	});

	test('network failure: a clear error naming the address, without the password or token', async () => {
		const { run } = signIn(async () => {
			throw Object.assign(new Error('connect ECONNREFUSED 203.0.113.7:443'), {
				code: 'ECONNREFUSED',
			});
		});

		const error = await caught<Error>(run(LOGIN));

		expect(error.message).toBe(
			'Could not reach the Altegio API at https://api.alteg.io/api/v1 to sign in. Check the network and the environment or base URL of the credential.',
		);
		expect(error.message).not.toMatch(/pass word 5d8e|partner-abc123/);
	});
});

describe('AltegioApi credential: no token or password in clear text to another computer', () => {
	const REFUSED =
		/^The base URL in the Altegio API credential starts with http:\/\/ and points at .+, another computer: the tokens and the password would travel unencrypted\. Enter an https:\/\/ address, such as https:\/\/api\.alteg\.io\/api\/v1 or the https:\/\/ address of your proxy\. http:\/\/ is accepted only for this computer: localhost, 127\.0\.0\.1 or \[::1\]\.$/;

	test.each([
		'http://localhost:8080/api/v1',
		'http://127.0.0.1:8080/api/v1',
		'http://127.45.3.9/api/v1',
		'http://127.1/api/v1',
		'http://[::1]:8080/api/v1',
		'https://api.alteg.io/api/v1',
		'https://10.0.0.5/api/v1',
	])('%s is accepted', (url) => {
		expect(cleartextProblem(url)).toBeUndefined();
	});

	test.each([
		['http://api.example.test/api/v1', 'api.example.test'],
		['http://10.0.0.5:8080/api/v1', '10.0.0.5'],
		['http://192.168.1.20/api/v1', '192.168.1.20'],
		['http://127.0.0.1.example.test/api/v1', '127.0.0.1.example.test'],
		['http://localhost.example.test/api/v1', 'localhost.example.test'],
		['http://[::ffff:127.0.0.1]/api/v1', '[::ffff:7f00:1]'],
		['HTTP://API.EXAMPLE.TEST/api/v1', 'api.example.test'],
	])('%s is refused, naming %s', (url, host) => {
		expect(cleartextProblem(url)?.message).toContain(`points at ${host}, another computer`);
	});

	test.each([
		[{ baseURL: 'http://api.example.test/api/v1', url: '/groups' }],
		[{ url: 'http://10.0.0.5/api/v1/groups' }],
		[{ baseURL: 'https://api.alteg.io/api/v1', url: 'http://10.0.0.5/api/v1/groups' }],
	])('authenticate refuses to add the header for %p', async (options) => {
		const error = await caught<Error>(
			authenticated({ partnerToken: 'pt', userToken: 'ut' }, options),
		);

		expect(error.message).toMatch(REFUSED);
		expect(error.message).not.toMatch(/\bpt\b|\but\b/);
	});

	/** The credential with a custom base URL, and the request its Test button sends. */
	function customTest(baseUrl: string) {
		const credentials = { environment: 'custom', baseUrl, partnerToken: 'pt', userToken: 'ut' };
		const request = {
			...credential.test.request,
			baseURL: resolve(credential.test.request.baseURL, credentials) as string,
		} as IHttpRequestOptions;
		return { credentials, request };
	}

	test('the Test button: the test request to a custom http:// host is refused before it is sent', async () => {
		const { credentials, request } = customTest('http://api.example.test/api/v1');

		const error = await caught<Error>(authenticated(credentials, request));

		expect(error.message).toMatch(REFUSED);
	});

	test('the Test button to a custom http:// loopback address gets its header', async () => {
		const { credentials, request } = customTest('http://127.0.0.1:8080/api/v1');

		expect((await authenticated(credentials, request)).headers?.Authorization).toBe(
			'Bearer pt, User ut',
		);
	});

	test('sign-in to a custom http:// host is refused without a request', async () => {
		const httpRequest = jest.fn();
		const helper = { helpers: { httpRequest } } as unknown as IHttpRequestHelper;
		const data = await decrypted({
			...OWNER_FIELDS,
			environment: 'custom',
			baseUrl: 'http://10.0.0.5/api/v1',
		});

		const error = await caught<Error>(credential.preAuthentication!.call(helper, data));

		expect(error.message).toMatch(REFUSED);
		expect(httpRequest).not.toHaveBeenCalled();
	});
});
