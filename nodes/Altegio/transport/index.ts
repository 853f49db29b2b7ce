import { createHash } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { resolveHost } from './hosts';
import type { RateBudget } from './rateLimiter';
import { sharedLimiter } from './rateLimiter';

export const CREDENTIAL_TYPE = 'altegioApi';

type Context = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions;

export interface AltegioRequest {
	method?: IHttpRequestMethods;
	endpoint: string;
	body?: IDataObject;
	qs?: IDataObject;
	itemIndex?: number;
	/** A 404 answer in the API's envelope means "nothing found": resolve to `undefined`. */
	emptyOnNotFound?: boolean;
}

export interface RequestPolicy {
	timeout: number;
	maxRetries: number;
}

export const DEFAULT_POLICY: RequestPolicy = { timeout: 30_000, maxRetries: 3 };

const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 30_000;
const RETRY_AFTER_MAX_MS = 120_000;
const HEADER_SAFE = /^[\x21-\x7e]+$/;

interface Connection {
	baseUrl: string;
	accept: string;
	userAuth: string;
	budget: RateBudget;
	limiterKey: string;
}

type Exchange =
	| { kind: 'response'; statusCode: number; headers: IDataObject; body: unknown }
	| { kind: 'network'; code: string }
	| { kind: 'failed'; message: string };

/** What one node run shares between its items: the credential, and requests already made. */
interface Run {
	credentials?: Promise<ICredentialDataDecryptedObject>;
	exchanges: Map<string, Promise<Exchange>>;
	/** The first request of a run that must sign in first; the others wait for it. */
	signIn?: Promise<unknown>;
	/** Host, budget and limiter key, once the credential has passed its checks. */
	connection?: Connection;
}

const runs = new WeakMap<object, Run>();

/** The API as one node run sees it: made once per run and handed to every operation. */
export interface AltegioApi {
	/** Resolves to the `data` of the answer's envelope. */
	request(request: AltegioRequest): Promise<unknown>;
	/** Resolves to the `data` and the `meta` (such as `total_count`) of the answer's envelope. */
	requestPage(request: AltegioRequest): Promise<{ data: unknown; meta: IDataObject }>;
}

export function createApi(context: Context): AltegioApi {
	return {
		request: async (request) => await altegioApiRequest.call(context, request),
		requestPage: async (request) => await altegioApiEnvelope.call(context, request),
	};
}

/**
 * Sends one GET to the Altegio API and returns the `data` of its `{success, data, meta}` envelope.
 * Requests are paced by the credential's budget, retried when that is safe, and identical
 * requests within one node run go out once.
 */
export async function altegioApiRequest(this: Context, request: AltegioRequest): Promise<unknown> {
	return (await altegioApiEnvelope.call(this, request)).data;
}

async function altegioApiEnvelope(
	this: Context,
	request: AltegioRequest,
): Promise<{ data: unknown; meta: IDataObject }> {
	let run = runs.get(this);
	if (run === undefined) {
		run = { exchanges: new Map() };
		runs.set(this, run);
	}
	const credentials = await credentialsOf.call(this, run, request.itemIndex);
	const connection = (run.connection ??= connect.call(this, credentials, request.itemIndex));
	const policy = readPolicy.call(this, request.itemIndex);

	if (run.signIn !== undefined) await run.signIn;
	const key = `${request.endpoint}?${JSON.stringify(request.qs ?? {})}`;
	const method = request.method ?? 'GET';
	let pending = method === 'GET' ? run.exchanges.get(key) : undefined;
	if (pending === undefined) {
		pending = sendWithRetries.call(this, connection, credentials, request, policy);
		if (method === 'GET') run.exchanges.set(key, pending);
		if (
			run.signIn === undefined &&
			connection.userAuth === 'loginPassword' &&
			!credentials.sessionToken
		) {
			run.signIn = pending;
		}
	}

	return unwrap.call(this, await pending, request, connection, policy);
}

/** Reads and decrypts the credential once per node run rather than once per request. */
async function credentialsOf(
	this: Context,
	run: Run,
	itemIndex?: number,
): Promise<ICredentialDataDecryptedObject> {
	if (run.credentials === undefined) {
		run.credentials = this.getCredentials<ICredentialDataDecryptedObject>(
			CREDENTIAL_TYPE,
			itemIndex,
		).catch((error: unknown) => {
			run.credentials = undefined;
			throw error;
		});
	}
	return await run.credentials;
}

function connect(
	this: Context,
	credentials: ICredentialDataDecryptedObject,
	itemIndex?: number,
): Connection {
	const host = resolveHost(credentials.environment, credentials.baseUrl);
	if (!/^https?:\/\/[^/\s]+/i.test(host.baseUrl)) {
		throw credentialProblem.call(
			this,
			'The base URL in the Altegio API credential is not an http(s) URL',
			'Enter the API root, for example https://api.alteg.io/api/v1',
			itemIndex,
		);
	}

	const userAuth = String(credentials.userAuth ?? 'userToken');
	checkHeaderValue.call(this, credentials.partnerToken, 'partner token', itemIndex);
	if (userAuth === 'loginPassword') {
		if (!String(credentials.login ?? '').trim() || !String(credentials.password ?? '')) {
			throw credentialProblem.call(
				this,
				'The Altegio API credential has no login or no password',
				'Enter the login (email or phone) and the password of the Altegio user in the credential',
				itemIndex,
			);
		}
	} else {
		checkHeaderValue.call(this, credentials.userToken, 'user token', itemIndex);
	}

	const partnerToken = String(credentials.partnerToken).trim();
	return {
		...host,
		userAuth,
		budget: {
			perSecond: Number(credentials.requestsPerSecond ?? 5),
			perMinute: Number(credentials.requestsPerMinute ?? 200),
		},
		limiterKey: `${host.baseUrl} ${createHash('sha256').update(partnerToken).digest('hex')}`,
	};
}

function checkHeaderValue(this: Context, value: unknown, label: string, itemIndex?: number) {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') {
		throw credentialProblem.call(
			this,
			`The ${label} in the Altegio API credential is empty`,
			`Paste the ${label} into the credential`,
			itemIndex,
		);
	}
	if (!HEADER_SAFE.test(text)) {
		throw credentialProblem.call(
			this,
			`The ${label} in the Altegio API credential contains a space, a line break or a character that cannot be sent in an HTTP header`,
			`Paste the ${label} again as one line, without anything around it`,
			itemIndex,
		);
	}
}

function credentialProblem(
	this: Context,
	message: string,
	description: string,
	itemIndex?: number,
): NodeOperationError {
	return new NodeOperationError(this.getNode(), withItem(message, itemIndex), {
		description,
		itemIndex,
	});
}

function readPolicy(this: Context, itemIndex?: number): RequestPolicy {
	if (itemIndex === undefined || !('getInputData' in this)) return DEFAULT_POLICY;
	const options = this.getNodeParameter('options', itemIndex, {}) as Partial<RequestPolicy>;
	return {
		timeout: positiveOr(options.timeout, DEFAULT_POLICY.timeout),
		maxRetries: Math.max(0, Math.floor(Number(options.maxRetries ?? DEFAULT_POLICY.maxRetries))),
	};
}

function positiveOr(value: unknown, fallback: number): number {
	const number = Number(value);
	return Number.isFinite(number) && number > 0 ? number : fallback;
}

async function sendWithRetries(
	this: Context,
	connection: Connection,
	credentials: ICredentialDataDecryptedObject,
	request: AltegioRequest,
	policy: RequestPolicy,
): Promise<Exchange> {
	const limiter = sharedLimiter(connection.limiterKey, connection.budget);
	for (let attempt = 0; ; attempt++) {
		const release = await limiter.acquire();
		const result = await exchange
			.call(this, connection, credentials, request, policy)
			.finally(release);
		const delay = retryDelay(result, attempt, policy.maxRetries);
		if (delay === undefined) return result;
		if (result.kind === 'response' && result.statusCode === 429) limiter.pause(delay);
		await sleep(delay);
	}
}

async function exchange(
	this: Context,
	connection: Connection,
	credentials: ICredentialDataDecryptedObject,
	request: AltegioRequest,
	policy: RequestPolicy,
): Promise<Exchange> {
	const options: IHttpRequestOptions = {
		method: request.method ?? 'GET',
		baseURL: connection.baseUrl,
		url: request.endpoint,
		qs: request.qs,
		body: request.body,
		headers: { Accept: connection.accept },
		json: true,
		timeout: policy.timeout,
		returnFullResponse: true,
		// 401 must still throw: that is how n8n knows to sign in again with login and password.
		ignoreHttpStatusErrors: { ignore: true, except: [401] },
	};
	try {
		const stored = this.getNode().credentials?.[CREDENTIAL_TYPE];
		const response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			CREDENTIAL_TYPE,
			options,
			{
				credentialsDecrypted: {
					id: stored?.id ?? '',
					name: stored?.name ?? '',
					type: CREDENTIAL_TYPE,
					data: credentials,
				},
			},
		)) as { statusCode: number; headers?: IDataObject; body: unknown };
		return {
			kind: 'response',
			statusCode: response.statusCode,
			headers: response.headers ?? {},
			body: response.body,
		};
	} catch (error) {
		return exchangeFromError(error);
	}
}

function exchangeFromError(error: unknown): Exchange {
	const failure = error as { cause?: unknown; message?: string };
	const cause = (failure.cause ?? failure) as {
		code?: unknown;
		response?: { status?: number; headers?: IDataObject; data?: unknown };
	};
	if (typeof cause.response?.status === 'number') {
		return {
			kind: 'response',
			statusCode: cause.response.status,
			headers: cause.response.headers ?? {},
			body: cause.response.data,
		};
	}
	if (typeof cause.code === 'string' && /^(E[A-Z_]+|ERR_[A-Z_]+)$/.test(cause.code)) {
		return { kind: 'network', code: cause.code };
	}
	return { kind: 'failed', message: String(failure.message ?? 'The request failed') };
}

/** How long to wait before trying again, or `undefined` when the result is final. */
export function retryDelay(
	result: Exchange,
	attempt: number,
	maxRetries: number,
	random: () => number = Math.random,
): number | undefined {
	if (attempt >= maxRetries) return undefined;
	const backoff = () => {
		const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
		return Math.round(ceiling / 2 + (random() * ceiling) / 2);
	};
	if (result.kind === 'network') return result.code === 'ERR_CANCELED' ? undefined : backoff();
	if (result.kind !== 'response') return undefined;
	if (result.statusCode === 429) {
		const retryAfter = retryAfterMs(result.headers['retry-after']);
		if (retryAfter === undefined) return backoff();
		return retryAfter <= RETRY_AFTER_MAX_MS ? retryAfter : undefined;
	}
	return result.statusCode >= 500 ? backoff() : undefined;
}

export function retryAfterMs(header: unknown, now = Date.now()): number | undefined {
	if (typeof header !== 'string' && typeof header !== 'number') return undefined;
	const text = String(header).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function unwrap(
	this: Context,
	result: Exchange,
	request: AltegioRequest,
	connection: Connection,
	policy: RequestPolicy,
): { data: unknown; meta: IDataObject } {
	const { itemIndex } = request;
	if (result.kind === 'network') {
		const timedOut = result.code === 'ECONNABORTED' || result.code === 'ETIMEDOUT';
		throw apiError.call(this, {}, itemIndex, {
			message: timedOut
				? `The Altegio API did not answer within ${policy.timeout} ms`
				: `The Altegio API could not be reached: ${networkReason(result.code)}`,
			description: timedOut
				? 'Try again later, or raise Timeout in the node options'
				: `Check the network and the API address ${connection.baseUrl} (error code ${result.code})`,
		});
	}
	if (result.kind === 'failed') {
		throw apiError.call(this, {}, itemIndex, { message: result.message });
	}

	const { statusCode, body } = result;
	if (!isObject(body)) {
		throw apiError.call(this, {}, itemIndex, {
			message: `The Altegio API answered with HTTP ${statusCode} and a body that is not JSON`,
			description:
				statusCode >= 500
					? 'A proxy or the API itself failed. Try again later, or turn on Retry On Fail in the node settings'
					: `Check that the API address ${connection.baseUrl} is the API root, such as https://api.alteg.io/api/v1`,
			httpCode: String(statusCode),
		});
	}

	const errors = isObject(body.errors) || Array.isArray(body.errors) ? body.errors : undefined;
	if (statusCode < 400 && body.success !== false && errors === undefined) {
		return { data: body.data, meta: isObject(body.meta) ? body.meta : {} };
	}
	if (statusCode === 404 && request.emptyOnNotFound) return { data: undefined, meta: {} };

	throw apiError.call(this, body, itemIndex, {
		message: apiMessage(body, statusCode),
		description: hint(statusCode, connection),
		httpCode: String(statusCode),
	});
}

// In words: n8n replaces any error message that contains a network error code with its own text.
function networkReason(code: string): string {
	if (code === 'ECONNREFUSED') return 'the connection was refused';
	if (code === 'ECONNRESET' || code === 'EPIPE')
		return 'the connection was closed before an answer came';
	if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'its host name could not be resolved';
	if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return 'its host is unreachable';
	return 'the network request failed';
}

function apiMessage(body: IDataObject, statusCode: number): string {
	const meta = isObject(body.meta) ? body.meta : {};
	const errors = isObject(body.errors) ? body.errors : {};
	const message =
		[errors.message, meta.message].find((text) => typeof text === 'string' && text.trim()) ??
		(statusCode >= 400
			? `The Altegio API answered with HTTP ${statusCode}`
			: 'The Altegio API reported a failure without saying why');
	const details = describeErrors(
		meta.errors ?? (Array.isArray(body.errors) ? body.errors : undefined),
	);
	return details ? `${String(message)} (${details})` : String(message);
}

function describeErrors(errors: unknown): string {
	if (Array.isArray(errors)) return errors.map(String).join('; ');
	if (!isObject(errors)) return '';
	return Object.entries(errors)
		.map(
			([field, messages]) =>
				`${field}: ${Array.isArray(messages) ? messages.join(', ') : String(messages)}`,
		)
		.join('; ');
}

function hint(statusCode: number, connection: Connection): string | undefined {
	if (statusCode === 401) {
		return connection.userAuth === 'loginPassword'
			? 'Check the partner token, login and password in the Altegio API credential'
			: "Check the partner token and user token in the Altegio API credential. A user token changes when the user's password changes";
	}
	if (statusCode === 403) {
		return 'The Altegio user of this credential has no access to this chain or action. Check the chain ID and the user’s rights in Altegio';
	}
	if (statusCode === 429) {
		return 'The API allows 5 requests a second and 200 a minute per IP address. If other credentials, workflows or n8n workers use the same IP address, lower Requests per Second and Requests per Minute in the credential';
	}
	if (statusCode >= 500) {
		return 'The Altegio API could not process the request. Try again later, or turn on Retry On Fail in the node settings';
	}
	return undefined;
}

function apiError(
	this: Context,
	body: IDataObject,
	itemIndex: number | undefined,
	options: { message: string; description?: string; httpCode?: string },
): NodeApiError {
	return new NodeApiError(this.getNode(), body as JsonObject, {
		...options,
		message: withItem(options.message, itemIndex),
		itemIndex,
	});
}

function withItem(message: string, itemIndex?: number): string {
	return itemIndex === undefined ? message : `${message} [item ${itemIndex}]`;
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
