import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import type { AltegioRequest } from '../../../../nodes/Altegio/transport';
import { altegioApiRequest, retryAfterMs, retryDelay } from '../../../../nodes/Altegio/transport';
import * as rateLimiter from '../../../../nodes/Altegio/transport/rateLimiter';
import type { FakeContext, FakeOptions } from '../../../helpers/fakeExecuteFunctions';
import {
	NODE,
	PARTNER_TOKEN,
	TEST_CREDENTIALS,
	USER_TOKEN,
	caught,
	expectNoSecrets,
	fakeExecuteFunctions,
	fakeLoadOptionsFunctions,
	fixture,
	respond,
} from '../../../helpers/fakeExecuteFunctions';

const ALTEGIO = 'https://api.alteg.io/api/v1';
const ALTEGIO_ACCEPT = 'application/vnd.api.v2+json';
const USER_TOKEN_HINT =
	"Check the partner token and user token in the Altegio API credential. A user token changes when the user's password changes";
const SERVER_HINT =
	'The Altegio API could not process the request. Try again later, or turn on Retry On Fail in the node settings';
const RATE_HINT =
	'The API allows 5 requests a second and 200 a minute per IP address. If other credentials, workflows or n8n workers use the same IP address, lower Requests per Second and Requests per Minute in the credential';

type Exchange = Parameters<typeof retryDelay>[0];

/** The request options the transport is expected to hand to n8n for a GET. */
function expectedOptions(overrides: IDataObject = {}) {
	return {
		method: 'GET',
		baseURL: ALTEGIO,
		url: '/groups',
		qs: undefined,
		headers: { Accept: ALTEGIO_ACCEPT },
		json: true,
		timeout: 30_000,
		returnFullResponse: true,
		ignoreHttpStatusErrors: { ignore: true, except: [401] },
		...overrides,
	};
}

/** An error as n8n's httpRequestWithAuthentication throws it: a NodeApiError around an axios error. */
function n8nError(axios: IDataObject & { message: string }) {
	const error = Object.assign(new Error(axios.message), {
		name: 'AxiosError',
		isAxiosError: true,
		// axios keeps the sent request on the error, Authorization header included
		config: {
			method: 'get',
			url: `${ALTEGIO}/groups`,
			headers: { Authorization: `Bearer ${PARTNER_TOKEN}, User ${USER_TOKEN}` },
		},
		...axios,
	});
	return new NodeApiError(NODE, error as unknown as JsonObject);
}

function httpError(status: number, data: unknown, headers: IDataObject = {}) {
	return n8nError({
		message: `Request failed with status code ${status}`,
		code: status >= 500 ? 'ERR_BAD_RESPONSE' : 'ERR_BAD_REQUEST',
		response: { status, statusText: '', headers, data },
	});
}

function networkError(code: string, message = `connect ${code} 203.0.113.7:443`) {
	return n8nError({ message, code });
}

function context(options: FakeOptions = {}): FakeContext {
	return fakeExecuteFunctions(options);
}

async function request(ctx: FakeContext, req: Partial<AltegioRequest> = {}) {
	return await altegioApiRequest.call(ctx, { endpoint: '/groups', itemIndex: 0, ...req });
}

/** The error a request rejects with; no token of the test credential may show in it. */
async function rejected(promise: Promise<unknown>) {
	const error = await caught(promise);
	expectNoSecrets(error);
	return error;
}

afterEach(() => {
	jest.useRealTimers();
	jest.restoreAllMocks();
});

/** The credential is read by the transport and handed to n8n with each request. */
const CREDENTIAL_PASSED = {
	credentialsDecrypted: expect.objectContaining({
		type: 'altegioApi',
		data: expect.objectContaining({ partnerToken: PARTNER_TOKEN }),
	}),
};

describe('the request handed to n8n', () => {
	test('the credential is read once per node run and handed to every request', async () => {
		const ctx = context();
		const getCredentials = jest.spyOn(ctx, 'getCredentials');
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('chain-clients.json')),
		);

		await request(ctx, { endpoint: '/group/509/clients', qs: { phone: '14264037640' } });
		await request(ctx, {
			endpoint: '/group/509/clients',
			qs: { phone: '13155550175' },
			itemIndex: 1,
		});

		expect(getCredentials).toHaveBeenCalledTimes(1);
		const passed = ctx.helpers.httpRequestWithAuthentication.mock.calls.map((call) => call[2]);
		expect(passed).toHaveLength(2);
		expect(passed[0]).toEqual(CREDENTIAL_PASSED);
		expect(passed[1]?.credentialsDecrypted?.data).toBe(passed[0]?.credentialsDecrypted?.data);
	});

	test('GET /groups on Altegio, with the credential type, Accept, timeout and 401 left to n8n', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('groups.json')),
		);

		await request(ctx);

		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledWith(
			'altegioApi',
			expectedOptions(),
			CREDENTIAL_PASSED,
		);
		expect(ctx.helpers.httpRequestWithAuthentication.mock.contexts[0]).toBe(ctx);
	});

	test('the query string goes in qs, not into the URL', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('chain-clients.json')),
		);

		await request(ctx, { endpoint: '/group/509/clients', qs: { phone: '14264037640' } });

		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledWith(
			'altegioApi',
			expectedOptions({ url: '/group/509/clients', qs: { phone: '14264037640' } }),
			CREDENTIAL_PASSED,
		);
	});

	test('the YCLIENTS environment uses api.yclients.com and the YCLIENTS Accept header', async () => {
		const ctx = context({ credentials: { ...TEST_CREDENTIALS, environment: 'yclients' } });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('groups.json')),
		);

		await request(ctx);

		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledWith(
			'altegioApi',
			expectedOptions({
				baseURL: 'https://api.yclients.com/api/v1',
				headers: { Accept: 'application/vnd.yclients.v2+json' },
			}),
			CREDENTIAL_PASSED,
		);
	});

	test.each([
		['http://127.0.0.1:8080/api/v1', 'http://127.0.0.1:8080/api/v1'],
		['http://127.0.0.1:8080/api/v1/', 'http://127.0.0.1:8080/api/v1'],
		['  https://proxy.example.com/altegio/api/v1//  ', 'https://proxy.example.com/altegio/api/v1'],
	])(
		'a custom base URL %p is sent as %p with the Altegio Accept header',
		async (baseUrl, expected) => {
			const ctx = context({ credentials: { ...TEST_CREDENTIALS, environment: 'custom', baseUrl } });
			ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
				respond(200, fixture('groups.json')),
			);

			await request(ctx);

			expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledWith(
				'altegioApi',
				expectedOptions({ baseURL: expected }),
				CREDENTIAL_PASSED,
			);
		},
	);

	test.each(['', '   ', 'api.alteg.io/api/v1', 'ftp://api.alteg.io/api/v1'])(
		'a custom base URL %p that is not http(s) is refused before any request',
		async (baseUrl) => {
			const ctx = context({ credentials: { ...TEST_CREDENTIALS, environment: 'custom', baseUrl } });

			const error = await rejected(request(ctx, { itemIndex: 2 }));

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(
				'The base URL in the Altegio API credential is not an http(s) URL [item 2]',
			);
			expect(error.description).toBe('Enter the API root, for example https://api.alteg.io/api/v1');
			expect(error.context.itemIndex).toBe(2);
			expect(ctx.helpers.httpRequestWithAuthentication).not.toHaveBeenCalled();
			expectNoSecrets(error);
		},
	);

	test('options.timeout of the node is the request timeout', async () => {
		const ctx = context({ parameters: { options: { timeout: 4500 } } });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('groups.json')),
		);

		await request(ctx);

		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledWith(
			'altegioApi',
			expectedOptions({ timeout: 4500 }),
			CREDENTIAL_PASSED,
		);
	});

	test('a list search (no item, no node options) uses the default timeout and no item suffix', async () => {
		const ctx = fakeLoadOptionsFunctions({ parameters: { options: { timeout: 4500 } } });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(403, fixture('errors/forbidden.json')),
		);

		const error = await rejected(altegioApiRequest.call(ctx, { endpoint: '/groups' }));

		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledWith(
			'altegioApi',
			expectedOptions(),
			CREDENTIAL_PASSED,
		);
		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Access denied.');
		expect(error.context.itemIndex).toBeUndefined();
	});
});

describe('the response envelope', () => {
	test('success with meta [] resolves to data', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('groups.json')),
		);

		const data = (await request(ctx)) as IDataObject[];

		expect(data.map((chain) => chain.id)).toEqual([509, 508, 1509]);
		expect(data[0]).toEqual({
			id: 509,
			title: 'Chain of salons in New York',
			companies: [
				{ id: 38726, title: 'Location in New York' },
				{ id: 39287, title: 'Location in New York' },
			],
			access: {
				settings_access: '1',
				clients_access: '1',
				users_access: '1',
				loyalty_access: '1',
				loyalty_cards_manual_transactions_access: '1',
				chain_services_access: '1',
			},
		});
	});

	test('success with meta {} resolves to data', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('groups-meta-object.json')),
		);

		const data = (await request(ctx)) as IDataObject[];

		expect(data.map((chain) => [chain.id, chain.title])).toEqual([
			[509, 'Chain of salons in New York'],
		]);
	});

	test('an object in data is returned as it is', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('chain-clients.json')),
		);

		const data = (await request(ctx, {
			endpoint: '/group/509/clients',
			qs: { phone: '14264037640' },
		})) as IDataObject;

		expect(data.salon_group_id).toBe(509);
		expect(data.phone).toBe('+14264037640');
		expect((data.clients as IDataObject[]).map((client) => client.id)).toEqual([4240880, 4243272]);
	});
});

describe('API errors', () => {
	test('success:false on HTTP 200 is an error with the API message', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('errors/success-false.json')),
		);

		const error = await rejected(request(ctx, { itemIndex: 1 }));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('An error has occurred [item 1]');
		expect(error.httpCode).toBe('200');
		expect(error.context.itemIndex).toBe(1);
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		expectNoSecrets(error);
	});

	test('success:false without a message still says that the API reported a failure', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('errors/success-false-no-message.json')),
		);

		const error = await rejected(request(ctx));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('The Altegio API reported a failure without saying why [item 0]');
		expectNoSecrets(error);
	});

	test('401 with meta.message: the message, and a hint about the tokens', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(401, fixture('errors/unauthorized.json')),
		);

		const error = await rejected(request(ctx, { itemIndex: 3 }));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Authentication needed. [item 3]');
		expect(error.description).toBe(USER_TOKEN_HINT);
		expect(error.httpCode).toBe('401');
		expect(error.context.itemIndex).toBe(3);
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		expectNoSecrets(error);
	});

	test('401 with login and password: the hint names the login and password', async () => {
		const ctx = context({
			credentials: {
				partnerToken: PARTNER_TOKEN,
				userAuth: 'loginPassword',
				login: 'owner@example.com',
				password: 'secret-password-8c1',
				requestsPerSecond: 0,
				requestsPerMinute: 0,
			},
		});
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(401, fixture('errors/unauthorized.json')),
		);

		const error = await rejected(request(ctx));

		expect(error.message).toBe('Authentication needed. [item 0]');
		expect(error.description).toBe(
			'Check the partner token, login and password in the Altegio API credential',
		);
		expectNoSecrets(error, [PARTNER_TOKEN, 'secret-password-8c1']);
	});

	test('401 thrown by n8n (a NodeApiError around an axios error) is read from its response, not retried', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockRejectedValue(
			httpError(401, fixture('errors/unauthorized.json')),
		);

		const error = await rejected(request(ctx, { itemIndex: 4 }));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Authentication needed. [item 4]');
		expect(error.description).toBe(USER_TOKEN_HINT);
		expect(error.httpCode).toBe('401');
		expect(error.context.itemIndex).toBe(4);
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		expectNoSecrets(error);
	});

	test('403 with meta.message, and a hint about access rights', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(403, fixture('errors/forbidden.json')),
		);

		const error = await rejected(
			request(ctx, { endpoint: '/group/777/clients', qs: { phone: '14264037640' } }),
		);

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Access denied. [item 0]');
		expect(error.description).toBe(
			'The Altegio user of this credential has no access to this chain or action. Check the chain ID and the user’s rights in Altegio',
		);
		expect(error.httpCode).toBe('403');
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		expectNoSecrets(error);
	});

	test('404 "Client not found" with emptyOnNotFound resolves to undefined', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(404, fixture('client-not-found.json')),
		);

		await expect(
			request(ctx, {
				endpoint: '/group/509/clients',
				qs: { phone: '19999999999' },
				emptyOnNotFound: true,
			}),
		).resolves.toBeUndefined();
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
	});

	test('404 "Client not found" without emptyOnNotFound is a NodeApiError', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(404, fixture('client-not-found.json')),
		);

		const error = await rejected(
			request(ctx, { endpoint: '/group/509/clients', qs: { phone: '19999999999' } }),
		);

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Client not found [item 0]');
		expect(error.httpCode).toBe('404');
		expect(error.context.itemIndex).toBe(0);
		expectNoSecrets(error);
	});

	test('404 with an empty meta names the HTTP status', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(404, fixture('errors/not-found-empty-meta.json')),
		);

		const error = await rejected(request(ctx));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('The Altegio API answered with HTTP 404 [item 0]');
		expect(error.httpCode).toBe('404');
		expectNoSecrets(error);
	});

	test('422 with meta.errors as an array: the message carries meta.message and every detail', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(422, fixture('errors/validation-array.json')),
		);

		const error = await rejected(request(ctx, { itemIndex: 2 }));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'An error has occurred. (The phone field is required.; The phone must be a string.) [item 2]',
		);
		expect(error.httpCode).toBe('422');
		expect(error.context.itemIndex).toBe(2);
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		expectNoSecrets(error);
	});

	test('422 with meta.errors as field → messages: the message names each field and its messages', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(422, fixture('errors/validation-object.json')),
		);

		const error = await rejected(request(ctx));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'An error has occurred. (phone: The phone field is required., The phone must be a string.; chain_id: The chain id must be an integer.) [item 0]',
		);
		expect(error.httpCode).toBe('422');
		expectNoSecrets(error);
	});

	test('a YCLIENTS 400 with errors by field keeps the Russian message and details', async () => {
		const ctx = context({ credentials: { ...TEST_CREDENTIALS, environment: 'yclients' } });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(400, fixture('errors/yclients-bad-filter.json')),
		);

		const error = await rejected(request(ctx));

		expect(error.message).toBe(
			'Недопустимое значение фильтра (filters: Недопустимое значение состояния фильтра) [item 0]',
		);
		expect(error.httpCode).toBe('400');
		expectNoSecrets(error);
	});

	test('the YCLIENTS shape {errors:{code,message}, meta:{message}} without success is an error', async () => {
		const ctx = context({ credentials: { ...TEST_CREDENTIALS, environment: 'yclients' } });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(404, fixture('errors/yclients-not-found.json')),
		);

		const error = await rejected(request(ctx, { itemIndex: 1 }));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Не найдено [item 1]');
		expect(error.httpCode).toBe('404');
		expect(error.context.itemIndex).toBe(1);
		expectNoSecrets(error);
	});

	test('the YCLIENTS errors shape on HTTP 200 is an error too', async () => {
		const ctx = context({ credentials: { ...TEST_CREDENTIALS, environment: 'yclients' } });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('errors/yclients-not-found.json')),
		);

		const error = await rejected(request(ctx));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Не найдено [item 0]');
		expect(error.httpCode).toBe('200');
	});

	test('a 500 envelope after the retries are used up: the API message and a hint', async () => {
		const ctx = context({ parameters: { options: { maxRetries: 0 } } });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(500, fixture('errors/server-error.json')),
		);

		const error = await rejected(request(ctx));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('An error has occurred. [item 0]');
		expect(error.description).toBe(SERVER_HINT);
		expect(error.httpCode).toBe('500');
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		expectNoSecrets(error);
	});

	test('an HTML 502 page (not JSON) on 5xx', async () => {
		const ctx = context({ parameters: { options: { maxRetries: 0 } } });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue({
			statusCode: 502,
			headers: { 'content-type': 'text/html' },
			body: fixture<string>('errors/bad-gateway.html'),
		});

		const error = await rejected(request(ctx, { itemIndex: 5 }));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'The Altegio API answered with HTTP 502 and a body that is not JSON [item 5]',
		);
		expect(error.description).toBe(
			'A proxy or the API itself failed. Try again later, or turn on Retry On Fail in the node settings',
		);
		expect(error.httpCode).toBe('502');
		expect(error.context.itemIndex).toBe(5);
		expectNoSecrets(error);
	});

	test('an HTML page on HTTP 200 points at the base URL', async () => {
		const ctx = context({
			credentials: {
				...TEST_CREDENTIALS,
				environment: 'custom',
				baseUrl: 'https://proxy.example.com/',
			},
		});
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue({
			statusCode: 200,
			headers: { 'content-type': 'text/html' },
			body: '<!doctype html><html><body>Welcome</body></html>',
		});

		const error = await rejected(request(ctx));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(
			'The Altegio API answered with HTTP 200 and a body that is not JSON [item 0]',
		);
		expect(error.description).toBe(
			'Check that the API address https://proxy.example.com is the API root, such as https://api.alteg.io/api/v1',
		);
		expect(error.httpCode).toBe('200');
		expectNoSecrets(error);
	});

	test('a 429 after the retries are used up: the API message and a hint about the budget', async () => {
		const ctx = context({ parameters: { options: { maxRetries: 0 } } });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(429, fixture('errors/too-many-requests.json'), { 'retry-after': '0' }),
		);

		const error = await rejected(request(ctx));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Too many requests. [item 0]');
		expect(error.description).toBe(RATE_HINT);
		expect(error.httpCode).toBe('429');
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		expectNoSecrets(error);
	});
});

describe('network errors', () => {
	// n8n-workflow replaces any error message that contains a Node.js error code (ECONNREFUSED, …)
	// with its own generic text, so the node's message and its [item N] suffix must survive that.
	test.each([
		['ECONNREFUSED', 'the connection was refused'],
		['ECONNRESET', 'the connection was closed before an answer came'],
		['EPIPE', 'the connection was closed before an answer came'],
		['ENOTFOUND', 'its host name could not be resolved'],
		['EAI_AGAIN', 'its host name could not be resolved'],
		['EHOSTUNREACH', 'its host is unreachable'],
		['ENETUNREACH', 'its host is unreachable'],
		['ERR_NETWORK', 'the network request failed'],
	])(
		'%s: says in words that the API could not be reached, and names the address and code',
		async (code, reason) => {
			const ctx = context({ parameters: { options: { maxRetries: 0 } } });
			ctx.helpers.httpRequestWithAuthentication.mockRejectedValue(networkError(code));

			const error = await rejected(request(ctx, { itemIndex: 2 }));

			expect(error).toBeInstanceOf(NodeApiError);
			expect(error.message).toBe(`The Altegio API could not be reached: ${reason} [item 2]`);
			expect(error.description).toBe(
				`Check the network and the API address ${ALTEGIO} (error code ${code})`,
			);
			expect(error.context.itemIndex).toBe(2);
			expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
			expectNoSecrets(error);
		},
	);

	test.each([
		['ECONNABORTED', 'timeout of 30000ms exceeded'],
		['ETIMEDOUT', 'timeout of 30000ms exceeded'],
	])('%s is a timeout: the message names the timeout in ms', async (code, message) => {
		const ctx = context({ parameters: { options: { maxRetries: 0 } } });
		ctx.helpers.httpRequestWithAuthentication.mockRejectedValue(networkError(code, message));

		const error = await rejected(request(ctx, { itemIndex: 1 }));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('The Altegio API did not answer within 30000 ms [item 1]');
		expect(error.description).toBe('Try again later, or raise Timeout in the node options');
		expect(error.context.itemIndex).toBe(1);
		expectNoSecrets(error);
	});

	test('the timeout message names the timeout set in the node options', async () => {
		const ctx = context({ parameters: { options: { maxRetries: 0, timeout: 2500 } } });
		ctx.helpers.httpRequestWithAuthentication.mockRejectedValue(
			networkError('ECONNABORTED', 'timeout of 2500ms exceeded'),
		);

		const error = await rejected(request(ctx));

		expect(error.message).toBe('The Altegio API did not answer within 2500 ms [item 0]');
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledWith(
			'altegioApi',
			expectedOptions({ timeout: 2500 }),
			CREDENTIAL_PASSED,
		);
	});

	test('a plain error with a network code (not wrapped by n8n) is read the same way', async () => {
		const ctx = context({ parameters: { options: { maxRetries: 0 } } });
		ctx.helpers.httpRequestWithAuthentication.mockRejectedValue(
			Object.assign(new Error('timeout of 30000ms exceeded'), { code: 'ETIMEDOUT' }),
		);

		const error = await rejected(request(ctx));

		expect(error.message).toBe('The Altegio API did not answer within 30000 ms [item 0]');
	});

	test('an error without a response or code (a failed sign-in) keeps its message and is not retried', async () => {
		const ctx = context({
			credentials: {
				partnerToken: PARTNER_TOKEN,
				userAuth: 'loginPassword',
				login: 'owner@example.com',
				password: 'secret-password-8c1',
				requestsPerSecond: 0,
				requestsPerMinute: 0,
			},
		});
		const signIn = new Error(
			'Altegio did not sign in with the login and password of the credential: Incorrect login or password. Check the login, the password and the partner token.',
		);
		ctx.helpers.httpRequestWithAuthentication.mockRejectedValue(
			new NodeApiError(NODE, signIn as unknown as JsonObject),
		);

		const error = await rejected(request(ctx, { itemIndex: 3 }));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(`${signIn.message} [item 3]`);
		expect(error.context.itemIndex).toBe(3);
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		expectNoSecrets(error, [PARTNER_TOKEN, 'secret-password-8c1']);
	});
	test('a sign-in that could not reach the API (preAuthentication, wrapped by n8n) says so', async () => {
		const ctx = context({
			credentials: {
				partnerToken: PARTNER_TOKEN,
				userAuth: 'loginPassword',
				login: 'owner@example.com',
				password: 'secret-password-8c1',
				requestsPerSecond: 0,
				requestsPerMinute: 0,
			},
		});
		const signIn = new Error(
			`Could not reach the Altegio API at ${ALTEGIO} to sign in. Check the network and the environment or base URL of the credential.`,
		);
		ctx.helpers.httpRequestWithAuthentication.mockRejectedValue(
			new NodeApiError(NODE, signIn as unknown as JsonObject),
		);

		const error = await rejected(request(ctx, { itemIndex: 1 }));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe(`${signIn.message} [item 1]`);
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
	});
});

describe('credential checks before any request', () => {
	const problems: Array<[string, IDataObject, string, string[]]> = [
		[
			'an empty partner token',
			{ partnerToken: '' },
			'The partner token in the Altegio API credential is empty',
			[],
		],
		[
			'a partner token of spaces',
			{ partnerToken: '  \n ' },
			'The partner token in the Altegio API credential is empty',
			[],
		],
		[
			'no user token',
			{ userToken: undefined },
			'The user token in the Altegio API credential is empty',
			[],
		],
		[
			'an empty user token',
			{ userToken: '' },
			'The user token in the Altegio API credential is empty',
			[],
		],
		[
			'a partner token with an inner line break',
			{ partnerToken: 'pt-first-half\npt-second-half' },
			'The partner token in the Altegio API credential contains a space, a line break or a character that cannot be sent in an HTTP header',
			['pt-first-half', 'pt-second-half'],
		],
		[
			'a partner token with a space',
			{ partnerToken: 'pt-first-half pt-second-half' },
			'The partner token in the Altegio API credential contains a space, a line break or a character that cannot be sent in an HTTP header',
			['pt-first-half', 'pt-second-half'],
		],
		[
			'a user token with a non-ASCII character',
			{ userToken: 'ut-secret-Ωmega' },
			'The user token in the Altegio API credential contains a space, a line break or a character that cannot be sent in an HTTP header',
			['ut-secret', 'Ωmega'],
		],
		[
			'a user token with a tab inside',
			{ userToken: 'ut-first\tut-second' },
			'The user token in the Altegio API credential contains a space, a line break or a character that cannot be sent in an HTTP header',
			['ut-first', 'ut-second'],
		],
		[
			'a user token with an inner CR LF',
			{ userToken: 'ut-first\r\nut-second' },
			'The user token in the Altegio API credential contains a space, a line break or a character that cannot be sent in an HTTP header',
			['ut-first', 'ut-second'],
		],
	];

	test.each(problems)(
		'%s → NodeOperationError naming the field, without the token',
		async (_name, change, message, secrets) => {
			const ctx = context({ credentials: { ...TEST_CREDENTIALS, ...change } });

			const error = await rejected(request(ctx, { itemIndex: 1 }));

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(`${message} [item 1]`);
			expect(error.description).toMatch(/^Paste the (partner|user) token/);
			expect(error.context.itemIndex).toBe(1);
			expect(ctx.helpers.httpRequestWithAuthentication).not.toHaveBeenCalled();
			expectNoSecrets(error, [PARTNER_TOKEN, USER_TOKEN, ...secrets]);
		},
	);

	test('surrounding spaces and line breaks around the tokens are fine (the header template trims them)', async () => {
		const ctx = context({
			credentials: {
				...TEST_CREDENTIALS,
				partnerToken: `  ${PARTNER_TOKEN}\n`,
				userToken: `\r\n${USER_TOKEN}  `,
			},
		});
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('groups.json')),
		);

		await expect(request(ctx)).resolves.toHaveLength(3);
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
	});

	test('login and password mode needs no user token', async () => {
		const ctx = context({
			credentials: {
				partnerToken: PARTNER_TOKEN,
				userAuth: 'loginPassword',
				login: 'owner@example.com',
				password: 'secret-password-8c1',
				requestsPerSecond: 0,
				requestsPerMinute: 0,
			},
		});
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('groups.json')),
		);

		await expect(request(ctx)).resolves.toHaveLength(3);
	});

	test.each([
		[{ login: '', password: 'secret-password-8c1' }],
		[{ login: '  ', password: 'secret-password-8c1' }],
		[{ login: 'owner@example.com', password: '' }],
	])(
		'login and password mode without a login or password (%p) is refused before any request',
		async (change) => {
			const ctx = context({
				credentials: { partnerToken: PARTNER_TOKEN, userAuth: 'loginPassword', ...change },
			});

			const error = await rejected(request(ctx));

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe('The Altegio API credential has no login or no password [item 0]');
			expect(ctx.helpers.httpRequestWithAuthentication).not.toHaveBeenCalled();
			expectNoSecrets(error, [PARTNER_TOKEN, 'secret-password-8c1']);
		},
	);
});

describe('coalescing identical requests in one node run', () => {
	test('two identical requests on one context go out once and both get the data', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('chain-clients.json')),
		);
		const same = { endpoint: '/group/509/clients', qs: { phone: '14264037640' } };

		const [first, second] = await Promise.all([
			request(ctx, same),
			request(ctx, { ...same, itemIndex: 1 }),
		]);
		const third = await request(ctx, { ...same, itemIndex: 2 });

		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		for (const data of [first, second, third]) {
			expect((data as IDataObject).salon_group_id).toBe(509);
		}
	});

	test('a different query is a different request', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('chain-clients.json')),
		);

		await request(ctx, { endpoint: '/group/509/clients', qs: { phone: '14264037640' } });
		await request(ctx, { endpoint: '/group/509/clients', qs: { phone: '14264037641' } });
		await request(ctx, { endpoint: '/group/508/clients', qs: { phone: '14264037640' } });

		expect(
			ctx.helpers.httpRequestWithAuthentication.mock.calls.map(([, options]) => [
				options.url,
				options.qs,
			]),
		).toEqual([
			['/group/509/clients', { phone: '14264037640' }],
			['/group/509/clients', { phone: '14264037641' }],
			['/group/508/clients', { phone: '14264037640' }],
		]);
	});

	test('the same request on two contexts (two node runs) goes out twice', async () => {
		const http = jest.fn().mockResolvedValue(respond(200, fixture('groups.json')));
		const first = context({ http });
		const second = context({ http });

		await request(first);
		await request(second);

		expect(http).toHaveBeenCalledTimes(2);
	});

	test('a shared failure is reported for each item with its own index', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(403, fixture('errors/forbidden.json')),
		);

		const errors = await Promise.all([
			rejected(request(ctx, { itemIndex: 0 })),
			rejected(request(ctx, { itemIndex: 1 })),
		]);

		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		expect(errors.map((error) => [error.message, error.context.itemIndex])).toEqual([
			['Access denied. [item 0]', 0],
			['Access denied. [item 1]', 1],
		]);
	});
});

describe('retries through altegioApiRequest', () => {
	test('a 429 with Retry-After: 0 is sent again and its answer is used', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication
			.mockResolvedValueOnce(
				respond(429, fixture('errors/too-many-requests.json'), { 'retry-after': '0' }),
			)
			.mockResolvedValueOnce(respond(200, fixture('groups.json')));

		const data = (await request(ctx)) as IDataObject[];

		expect(data.map((chain) => chain.id)).toEqual([509, 508, 1509]);
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(2);
		expect(ctx.helpers.httpRequestWithAuthentication.mock.calls[1]).toEqual([
			'altegioApi',
			expectedOptions(),
			CREDENTIAL_PASSED,
		]);
	});

	test('a 429 thrown by n8n (as an error with a response) is retried too', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication
			.mockRejectedValueOnce(
				httpError(429, fixture('errors/too-many-requests.json'), { 'retry-after': '0' }),
			)
			.mockResolvedValueOnce(respond(200, fixture('groups.json')));

		await expect(request(ctx)).resolves.toHaveLength(3);
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(2);
	});

	test('by default a request is tried 1 + 3 times, then the last answer is the error', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(429, fixture('errors/too-many-requests.json'), { 'retry-after': '0' }),
		);

		const error = await rejected(request(ctx));

		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(4);
		expect(error.message).toBe('Too many requests. [item 0]');
		expect(error.httpCode).toBe('429');
	});

	test('options.maxRetries of the node sets the number of retries', async () => {
		const ctx = context({ parameters: { options: { maxRetries: 1 } } });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(429, fixture('errors/too-many-requests.json'), { 'retry-after': '0' }),
		);

		await rejected(request(ctx));

		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(2);
	});

	test('options.maxRetries 0 turns retries off, also for 5xx', async () => {
		const ctx = context({ parameters: { options: { maxRetries: 0 } } });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(503, fixture('errors/server-error.json')),
		);

		const error = await rejected(request(ctx));

		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		expect(error.httpCode).toBe('503');
	});

	test.each([
		[400, 'errors/yclients-bad-filter.json'],
		[401, 'errors/unauthorized.json'],
		[403, 'errors/forbidden.json'],
		[404, 'client-not-found.json'],
		[422, 'errors/validation-array.json'],
	])('HTTP %i is final: sent once', async (status, body) => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(respond(status, fixture(body)));

		await rejected(request(ctx));

		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
	});

	test('5xx waits with exponential backoff (fake timers), then succeeds', async () => {
		jest.useFakeTimers();
		jest.spyOn(Math, 'random').mockReturnValue(0.5);
		const ctx = context();
		const http = ctx.helpers.httpRequestWithAuthentication;
		http
			.mockResolvedValueOnce(respond(503, fixture('errors/server-error.json')))
			.mockResolvedValueOnce(respond(502, fixture<string>('errors/bad-gateway.html')))
			.mockResolvedValueOnce(respond(500, fixture('errors/server-error.json')))
			.mockResolvedValueOnce(respond(200, fixture('groups.json')));

		const pending = request(ctx);

		// attempt 0: ceiling 1000 ms → 500 + 0.5·500 = 750 ms
		await jest.advanceTimersByTimeAsync(749);
		expect(http).toHaveBeenCalledTimes(1);
		await jest.advanceTimersByTimeAsync(1);
		expect(http).toHaveBeenCalledTimes(2);
		// attempt 1: ceiling 2000 ms → 1500 ms
		await jest.advanceTimersByTimeAsync(1499);
		expect(http).toHaveBeenCalledTimes(2);
		await jest.advanceTimersByTimeAsync(1);
		expect(http).toHaveBeenCalledTimes(3);
		// attempt 2: ceiling 4000 ms → 3000 ms
		await jest.advanceTimersByTimeAsync(2999);
		expect(http).toHaveBeenCalledTimes(3);
		await jest.advanceTimersByTimeAsync(1);
		expect(http).toHaveBeenCalledTimes(4);

		await expect(pending).resolves.toHaveLength(3);
	});

	test('a network error is retried after a backoff', async () => {
		jest.useFakeTimers();
		jest.spyOn(Math, 'random').mockReturnValue(0);
		const ctx = context();
		const http = ctx.helpers.httpRequestWithAuthentication;
		http
			.mockRejectedValueOnce(networkError('ECONNRESET'))
			.mockResolvedValueOnce(respond(200, fixture('groups.json')));

		const pending = request(ctx);
		await jest.advanceTimersByTimeAsync(499);
		expect(http).toHaveBeenCalledTimes(1);
		await jest.advanceTimersByTimeAsync(1);

		await expect(pending).resolves.toHaveLength(3);
		expect(http).toHaveBeenCalledTimes(2);
	});

	test('a cancelled request (ERR_CANCELED) is not retried', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockRejectedValue(
			networkError('ERR_CANCELED', 'canceled'),
		);

		const error = await rejected(request(ctx));

		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		expect(error).toBeInstanceOf(NodeApiError);
	});

	test('a 429 holds back every request of the same credential for Retry-After (fake timers)', async () => {
		jest.useFakeTimers();
		// a partner token of its own, so this test gets a limiter made under the fake clock; the
		// credential's default budget (5 a second, 200 a minute)
		const credentials = { partnerToken: 'partner-token-pause-test', userToken: USER_TOKEN };
		const first = context({ credentials });
		const second = context({ credentials });
		first.helpers.httpRequestWithAuthentication
			.mockResolvedValueOnce(
				respond(429, fixture('errors/too-many-requests.json'), { 'retry-after': '2' }),
			)
			.mockResolvedValueOnce(respond(200, fixture('groups.json')));
		second.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('groups.json')),
		);

		const pendingFirst = request(first);
		await jest.advanceTimersByTimeAsync(10);
		expect(first.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		const pendingSecond = request(second);

		await jest.advanceTimersByTimeAsync(1989);
		expect(first.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		expect(second.helpers.httpRequestWithAuthentication).not.toHaveBeenCalled();

		await jest.advanceTimersByTimeAsync(1);
		await expect(pendingFirst).resolves.toHaveLength(3);
		await expect(pendingSecond).resolves.toHaveLength(3);
		expect(first.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(2);
		expect(second.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
	});
});

describe('pacing with the credential budget', () => {
	test('the credential budget (defaults 5/s and 200/min) reaches the shared limiter, keyed without the token', async () => {
		const shared = jest.spyOn(rateLimiter, 'sharedLimiter');
		const ctx = context({ credentials: { partnerToken: PARTNER_TOKEN, userToken: USER_TOKEN } });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('groups.json')),
		);

		await request(ctx);

		expect(shared).toHaveBeenCalledTimes(1);
		const [key, budget] = shared.mock.calls[0];
		expect(budget).toEqual({ perSecond: 5, perMinute: 200 });
		expect(key).toContain(ALTEGIO);
		expect(key).not.toContain(PARTNER_TOKEN);
		expect(key).not.toContain(USER_TOKEN);
	});

	test('the same partner token and host share one limiter whatever the user token; another host does not', async () => {
		const shared = jest.spyOn(rateLimiter, 'sharedLimiter');
		const run = async (credentials: IDataObject) => {
			const ctx = context({ credentials: { ...TEST_CREDENTIALS, ...credentials } });
			ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
				respond(200, fixture('groups.json')),
			);
			await request(ctx);
		};

		await run({});
		await run({ userToken: 'another-user-token' });
		await run({ environment: 'yclients' });
		await run({ partnerToken: 'another-partner-token' });

		const keys = shared.mock.calls.map(([key]) => key);
		expect(keys[1]).toBe(keys[0]);
		expect(keys[2]).not.toBe(keys[0]);
		expect(keys[3]).not.toBe(keys[0]);
		expect(shared.mock.results[1].value).toBe(shared.mock.results[0].value);
	});

	test('a budget of 2 per second holds the third request until a second has passed (fake timers)', async () => {
		jest.useFakeTimers();
		const ctx = context({
			credentials: {
				...TEST_CREDENTIALS,
				partnerToken: 'partner-token-budget-test',
				requestsPerSecond: 2,
			},
		});
		const http = ctx.helpers.httpRequestWithAuthentication;
		http.mockResolvedValue(respond(200, fixture('groups.json')));

		const pending = [
			request(ctx, { endpoint: '/group/1/clients' }),
			request(ctx, { endpoint: '/group/2/clients' }),
			request(ctx, { endpoint: '/group/3/clients' }),
		];
		await jest.advanceTimersByTimeAsync(999);
		expect(http).toHaveBeenCalledTimes(2);
		await jest.advanceTimersByTimeAsync(101);
		expect(http).toHaveBeenCalledTimes(3);
		await Promise.all(pending);
	});
});

describe('retryDelay (pure)', () => {
	const response = (statusCode: number, headers: IDataObject = {}): Exchange => ({
		kind: 'response',
		statusCode,
		headers,
		body: {},
	});
	const network = (code: string): Exchange => ({ kind: 'network', code });
	const low = () => 0;
	const high = () => 1;

	test.each([429, 500, 502, 503, 504, 599])('HTTP %i is retried', (status) => {
		expect(retryDelay(response(status), 0, 3, low)).toBe(500);
	});

	test.each([200, 201, 301, 400, 401, 402, 403, 404, 409, 422])('HTTP %i is final', (status) => {
		expect(retryDelay(response(status), 0, 3, low)).toBeUndefined();
	});

	test.each([
		'ECONNREFUSED',
		'ECONNRESET',
		'ECONNABORTED',
		'ETIMEDOUT',
		'ENOTFOUND',
		'EAI_AGAIN',
		'ERR_NETWORK',
	])('network error %s is retried', (code) => {
		expect(retryDelay(network(code), 0, 3, high)).toBe(1000);
	});

	test('a cancelled request (ERR_CANCELED) is final', () => {
		expect(retryDelay(network('ERR_CANCELED'), 0, 3, low)).toBeUndefined();
	});

	test('a failure without a response or code is final', () => {
		expect(
			retryDelay({ kind: 'failed', message: 'Altegio did not sign in' }, 0, 3, low),
		).toBeUndefined();
	});

	test('nothing is retried once maxRetries attempts were retried', () => {
		expect(retryDelay(response(503), 2, 3, low)).toBe(2000);
		expect(retryDelay(response(503), 3, 3, low)).toBeUndefined();
		expect(retryDelay(response(429, { 'retry-after': '1' }), 3, 3, low)).toBeUndefined();
		expect(retryDelay(network('ECONNRESET'), 0, 0, low)).toBeUndefined();
	});

	test('the backoff doubles per attempt, with jitter between half and all of it, up to 30 s', () => {
		const bounds = [0, 1, 2, 3, 4, 5, 6, 9].map((attempt) => [
			retryDelay(response(500), attempt, 10, low),
			retryDelay(response(500), attempt, 10, high),
		]);
		expect(bounds).toEqual([
			[500, 1000],
			[1000, 2000],
			[2000, 4000],
			[4000, 8000],
			[8000, 16_000],
			[15_000, 30_000],
			[15_000, 30_000],
			[15_000, 30_000],
		]);
		expect(retryDelay(response(500), 1, 10, () => 0.25)).toBe(1250);
	});

	test('Retry-After in seconds is honoured on 429, whatever the jitter', () => {
		expect(retryDelay(response(429, { 'retry-after': '3' }), 0, 3, high)).toBe(3000);
		expect(retryDelay(response(429, { 'retry-after': '0' }), 0, 3, high)).toBe(0);
		expect(retryDelay(response(429, { 'retry-after': ' 1.5 ' }), 0, 3, high)).toBe(1500);
		expect(retryDelay(response(429, { 'retry-after': 7 }), 0, 3, high)).toBe(7000);
		expect(retryDelay(response(429, { 'retry-after': '120' }), 0, 3, high)).toBe(120_000);
	});

	test('Retry-After as an HTTP date is the time until that date', () => {
		jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-03-01T12:00:00Z'));

		expect(
			retryDelay(response(429, { 'retry-after': 'Sun, 01 Mar 2026 12:00:05 GMT' }), 0, 3, high),
		).toBe(5000);
		expect(
			retryDelay(response(429, { 'retry-after': 'Sun, 01 Mar 2026 11:59:00 GMT' }), 0, 3, high),
		).toBe(0);
	});

	test('a Retry-After longer than two minutes is final', () => {
		jest.spyOn(Date, 'now').mockReturnValue(Date.parse('2026-03-01T12:00:00Z'));

		expect(retryDelay(response(429, { 'retry-after': '121' }), 0, 3, low)).toBeUndefined();
		expect(retryDelay(response(429, { 'retry-after': '3600' }), 0, 3, low)).toBeUndefined();
		expect(
			retryDelay(response(429, { 'retry-after': 'Sun, 01 Mar 2026 13:00:00 GMT' }), 0, 3, low),
		).toBeUndefined();
	});

	test('a 429 without a usable Retry-After falls back to the backoff', () => {
		expect(retryDelay(response(429), 1, 3, low)).toBe(1000);
		expect(retryDelay(response(429, { 'retry-after': 'soon' }), 1, 3, high)).toBe(2000);
		expect(retryDelay(response(429, { 'retry-after': '' }), 0, 3, low)).toBe(500);
	});

	test('Retry-After on a 5xx is not honoured: 5xx uses the backoff', () => {
		expect(retryDelay(response(503, { 'retry-after': '100' }), 0, 3, low)).toBe(500);
	});
});

describe('retryAfterMs (pure)', () => {
	const now = Date.parse('2026-03-01T12:00:00Z');

	test.each([
		['0', 0],
		['1', 1000],
		['2.5', 2500],
		['0.0011', 2],
		[30, 30_000],
		['Sun, 01 Mar 2026 12:00:30 GMT', 30_000],
		['Sun, 01 Mar 2026 11:00:00 GMT', 0],
	])('%p → %p ms', (header, ms) => {
		expect(retryAfterMs(header, now)).toBe(ms);
	});

	test.each([undefined, null, '', 'soon', {}, ['1']])('%p is not a Retry-After value', (header) => {
		expect(retryAfterMs(header, now)).toBeUndefined();
	});
});
