import { createHash } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import type { CheckedCredential } from '../../../credentials/common/altegio';
import {
	checkCredential,
	CredentialProblem,
	PARTNER_TOKEN_ONLY,
	readSignIn,
	sessionUserToken,
	SIGNED_IN_TOKEN,
	signInRequest,
	storedSession,
} from '../../../credentials/common/altegio';
import type { RequestPolicy } from '../actions/options';
import { DEFAULT_POLICY, readPolicy } from '../actions/options';
import { readEnvelope } from './envelope';
import type { Failure } from './errors';
import { answerFailure, apiError, exchangeFailure, operationError } from './errors';
import type { RateLimiter } from './rateLimiter';
import { sharedLimiter } from './rateLimiter';
import type { Exchange } from './retry';
import { retryAfterOf, retryDelay } from './retry';
import { acceptSession, isAcceptedSession } from './sessions';

export const CREDENTIAL_TYPE = 'altegioApi';

export type AltegioContext =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IHookFunctions
	| IPollFunctions
	| IWebhookFunctions;

export interface AltegioRequest {
	method?: IHttpRequestMethods;
	endpoint: string;
	body?: IDataObject;
	qs?: IDataObject;
	itemIndex?: number;
	/**
	 * A 404 that means "nothing found": resolve to `undefined`. `true` takes any 404 in the API's
	 * envelope; a list of the API's messages (such as `['Client not found']`) takes only those.
	 */
	emptyOnNotFound?: boolean | string[];
	/** The answer may be the data itself, without the `{ success, data, meta }` envelope. */
	bare?: boolean;
	/** Send the partner token alone, as the online-booking endpoints document, not the user's too. */
	partnerTokenOnly?: boolean;
}

/** The API as one node run sees it: made once per run and handed to every operation. */
export interface AltegioApi {
	/** Resolves to the `data` of the answer's envelope. */
	request(request: AltegioRequest): Promise<unknown>;
	/** Resolves to the `data` and the `meta` (such as `total_count`) of the answer's envelope. */
	requestPage(request: AltegioRequest): Promise<{ data: unknown; meta: IDataObject }>;
	/**
	 * The credential's Default Country (`RU`), whose national format a phone without a country code
	 * is read in; `undefined` when it is None. Sends no request.
	 */
	defaultCountry(itemIndex?: number): Promise<string | undefined>;
	/**
	 * Starts reading the credential now, while the first items' parameters are read. A problem with
	 * it is reported by the first request that needs it.
	 */
	prepare(itemIndex: number): void;
}

/** The limiter as the transport uses it. */
type Limiter = Pick<RateLimiter, 'acquire' | 'pause'>;

/** The credential of the run, checked, with its limiter and its user session. */
interface Connection extends CheckedCredential {
	data: ICredentialDataDecryptedObject;
	limiter: Limiter;
	/** Login and password: the user token in use, and the one this run signed in for. */
	userToken?: string;
	signedInToken?: string;
	/** The run's one sign-in; every request that needs a fresh token waits for it. */
	signIn?: Promise<{ userToken: string } | { failure: Failure }>;
	signingIn?: boolean;
	/** A user token from this run's sign-in that n8n has not stored in the credential yet. */
	toStore?: string;
	/** From the sign-in until a request with its token is answered: n8n may be storing it. */
	storing?: boolean;
	/** The one request that tries a stored user token this process has not used yet (see send). */
	trial?: Promise<void>;
}

/** Identical GETs of one run that are kept for later items; older ones are forgotten first. */
const COALESCED_MAX = 256;

export function createApi(context: AltegioContext): AltegioApi {
	return new AltegioClient(context);
}

class AltegioClient implements AltegioApi {
	private connection?: Promise<Connection>;

	private readonly gets = new Map<string, Promise<Exchange>>();

	private readonly cancelSignal?: AbortSignal;

	constructor(private readonly context: AltegioContext) {
		this.cancelSignal =
			'getExecutionCancelSignal' in context ? context.getExecutionCancelSignal() : undefined;
		this.cancelSignal?.addEventListener('abort', () => this.gets.clear(), { once: true });
	}

	async request(request: AltegioRequest): Promise<unknown> {
		return (await this.requestPage(request)).data;
	}

	async defaultCountry(itemIndex?: number): Promise<string | undefined> {
		return (await this.connect(itemIndex)).defaultCountry;
	}

	prepare(itemIndex: number) {
		this.connect(itemIndex).catch(() => undefined);
	}

	async requestPage(request: AltegioRequest): Promise<{ data: unknown; meta: IDataObject }> {
		const { itemIndex } = request;
		const policy = this.policy(itemIndex);
		const connection = await this.connect(itemIndex);
		const method = request.method ?? 'GET';

		let pending: Promise<Exchange> | undefined;
		const key = `${request.partnerTokenOnly === true ? 'partner ' : ''}${request.endpoint}?${JSON.stringify(request.qs ?? {})}`;
		if (method === 'GET') pending = this.gets.get(key);
		if (pending === undefined) {
			// A write may change what an earlier GET read: later reads of the run ask again.
			if (method !== 'GET') this.gets.clear();
			pending = this.send(connection, request, policy, itemIndex);
			if (method === 'GET') this.remember(key, pending);
		}
		const result = await pending;

		const context = {
			baseUrl: connection.baseUrl,
			userAuth: connection.userAuth,
			timeout: policy.timeout,
			method,
		};
		if (result.kind !== 'response') {
			throw apiError(this.context.getNode(), exchangeFailure(result, context), itemIndex);
		}
		const reading = readEnvelope(result.statusCode, result.body, request.emptyOnNotFound, {
			bare: request.bare,
			emptyBody: method !== 'GET',
		});
		if (reading.kind === 'data') return { data: reading.data, meta: reading.meta };
		if (reading.kind === 'notFound') return { data: undefined, meta: {} };
		throw apiError(this.context.getNode(), answerFailure(reading, result, context), itemIndex);
	}

	/** Keeps a GET for later items of the run, but not once it has failed in a way that may pass. */
	private remember(key: string, pending: Promise<Exchange>) {
		if (this.gets.size >= COALESCED_MAX) {
			this.gets.delete(this.gets.keys().next().value as string);
		}
		this.gets.set(key, pending);
		const forget = () => {
			if (this.gets.get(key) === pending) this.gets.delete(key);
		};
		pending.then((result) => {
			const lasting =
				result.kind === 'response' && result.statusCode !== 429 && result.statusCode < 500;
			if (!lasting) forget();
		}, forget);
	}

	private policy(itemIndex?: number): RequestPolicy {
		if (itemIndex === undefined || !('getInputData' in this.context)) return DEFAULT_POLICY;
		const options = this.context.getNodeParameter('options', itemIndex, {}) as IDataObject;
		const policy = readPolicy(options);
		if ('problem' in policy) {
			throw operationError(
				this.context.getNode(),
				policy.problem,
				'Correct the value or the expression in the node options',
				itemIndex,
			);
		}
		return policy;
	}

	/** Reads, decrypts and checks the credential once per node run. */
	private async connect(itemIndex?: number): Promise<Connection> {
		this.connection ??= (async () => {
			const data = await this.context.getCredentials<ICredentialDataDecryptedObject>(
				CREDENTIAL_TYPE,
				itemIndex,
			);
			const checked = checkCredential(data);
			const limiterKey = `${checked.baseUrl} ${createHash('sha256').update(checked.partnerToken).digest('hex')}`;
			return {
				...checked,
				data,
				limiter: sharedLimiter(limiterKey, checked.budget),
				userToken: checked.userAuth === 'loginPassword' ? sessionUserToken(data) : undefined,
			};
		})();
		try {
			return await this.connection;
		} catch (error) {
			this.connection = undefined;
			if (error instanceof CredentialProblem) {
				throw operationError(this.context.getNode(), error.message, error.description, itemIndex);
			}
			throw new NodeOperationError(this.context.getNode(), error as Error, { itemIndex });
		}
	}

	/**
	 * Sends one request: paced, repeated when that is safe, and with login and password signed in
	 * first when the run has no working user token. A stored token the API refuses is replaced by one
	 * sign-in, after which the request is sent once more. A stored token this process has not seen
	 * accepted goes out with one request first, so that a stale one costs one 401, not a second's.
	 */
	private async send(
		connection: Connection,
		request: AltegioRequest,
		policy: RequestPolicy,
		itemIndex?: number,
	): Promise<Exchange> {
		const repeatable = (request.method ?? 'GET') === 'GET';
		for (let resent = false; ; resent = true) {
			let userToken =
				request.partnerTokenOnly === true
					? undefined
					: await this.userToken(connection, policy, itemIndex);
			let endTrial: (() => void) | undefined;
			while (userToken !== undefined && this.untried(connection, userToken)) {
				if (connection.trial === undefined) {
					endTrial = startTrial(connection);
					break;
				}
				await connection.trial;
				userToken = await this.userToken(connection, policy, itemIndex);
			}
			// The API refused this token for another request and the sign-in is under way: the slot
			// goes back rather than to one more 401, and the request waits for the new token.
			const waitFor = () =>
				userToken !== undefined && connection.signingIn === true ? connection.signIn : undefined;
			let result: Exchange;
			try {
				result = await this.withRetries(
					connection,
					policy,
					repeatable,
					{ waitFor },
					async (signal) => {
						// A sign-in that finished while this request waited for its turn supersedes the token.
						userToken = connection.signedInToken ?? userToken;
						return await this.exchange(connection, request, policy, signal, userToken);
					},
				);
			} finally {
				endTrial?.();
			}
			const refused = result.kind === 'response' && result.statusCode === 401;
			if (userToken !== undefined && result.kind === 'response' && !refused) {
				acceptSession(connection.baseUrl, userToken);
				if (userToken === connection.signedInToken) connection.storing = false;
			}
			if (!refused || resent || userToken === undefined) return result;
			if (userToken === connection.signedInToken) return result;
			if (connection.userToken === userToken) connection.userToken = undefined;
		}
	}

	/** A stored user token that no request of this process has had accepted yet. */
	private untried(connection: Connection, userToken: string): boolean {
		return (
			userToken !== connection.signedInToken && !isAcceptedSession(connection.baseUrl, userToken)
		);
	}

	/** The user token to send with login and password, after the run's one sign-in if it needs it. */
	private async userToken(
		connection: Connection,
		policy: RequestPolicy,
		itemIndex?: number,
	): Promise<string | undefined> {
		if (connection.userAuth !== 'loginPassword') return undefined;
		if (connection.signIn === undefined && connection.userToken !== undefined) {
			return connection.userToken;
		}
		if (connection.signIn === undefined) {
			connection.signingIn = true;
			connection.signIn = this.signIn(connection, policy).finally(() => {
				connection.signingIn = false;
			});
		}
		const outcome = await connection.signIn;
		if ('failure' in outcome) throw apiError(this.context.getNode(), outcome.failure, itemIndex);
		return outcome.userToken;
	}

	private async signIn(
		connection: Connection,
		policy: RequestPolicy,
	): Promise<{ userToken: string } | { failure: Failure }> {
		const request = signInRequest(connection.data);
		// The sign-in goes first: every request of the run waits for its token.
		const result = await this.withRetries(
			connection,
			policy,
			true,
			{ first: true },
			async (signal) =>
				await this.answerOf(
					async () =>
						await this.context.helpers.httpRequest({
							...request,
							timeout: policy.timeout,
							abortSignal: signal,
						}),
					signal,
				),
		);
		if (result.kind !== 'response') {
			const failure = exchangeFailure(result, {
				baseUrl: connection.baseUrl,
				userAuth: connection.userAuth,
				timeout: policy.timeout,
				method: 'GET',
			});
			return { failure: { ...failure, message: `Could not sign in: ${failure.message}` } };
		}
		const answer = readSignIn(result.statusCode, result.body);
		if ('problem' in answer) {
			return {
				failure: {
					message: answer.problem,
					description: answer.description,
					httpCode: String(answer.statusCode),
				},
			};
		}
		connection.userToken = answer.userToken;
		connection.signedInToken = answer.userToken;
		connection.toStore = answer.userToken;
		connection.storing = true;
		return answer;
	}

	/** Runs attempts through the credential's limiter until one is final under the retry policy. */
	private async withRetries(
		connection: Connection,
		policy: RequestPolicy,
		repeatable: boolean,
		order: { first?: boolean; waitFor?: () => Promise<unknown> | undefined },
		attempt: (signal: AbortSignal) => Promise<Exchange>,
	): Promise<Exchange> {
		const cancel = this.cancelSignal;
		for (let tries = 0; ; ) {
			if (cancel?.aborted) return { kind: 'cancelled' };
			let release;
			try {
				// n8n stores a new token before the request leaves, which can take tens of milliseconds
				release = await connection.limiter.acquire(cancel, {
					first: order.first,
					slowStart: () => connection.storing === true,
				});
			} catch {
				return { kind: 'cancelled' };
			}
			if (cancel?.aborted) {
				release();
				return { kind: 'cancelled' };
			}
			const pending = order.waitFor?.();
			if (pending !== undefined) {
				release({ unsent: true });
				await pending.then(
					() => undefined,
					() => undefined,
				);
				continue;
			}

			const deadline = AbortSignal.timeout(policy.timeout);
			const signal = cancel ? AbortSignal.any([cancel, deadline]) : deadline;
			let result = await attempt(signal);
			if (result.kind === 'cancelled' && deadline.aborted && !cancel?.aborted) {
				result = { kind: 'network', code: 'ETIMEDOUT' };
			}

			const retryAfterMs = retryAfterOf(result);
			release(result.kind === 'response' ? { statusCode: result.statusCode, retryAfterMs } : {});
			if (retryAfterMs !== undefined) connection.limiter.pause(retryAfterMs);

			const delay = retryDelay(result, tries++, policy.maxRetries, repeatable);
			if (delay === undefined) return result;
			if (!(await sleepUnlessCancelled(delay, cancel))) return { kind: 'cancelled' };
		}
	}

	private async exchange(
		connection: Connection,
		request: AltegioRequest,
		policy: RequestPolicy,
		signal: AbortSignal,
		userToken?: string,
	): Promise<Exchange> {
		const data = { ...connection.data };
		if (request.partnerTokenOnly === true) data[PARTNER_TOKEN_ONLY] = true;
		if (userToken !== undefined) {
			if (connection.toStore === userToken) {
				// An empty session token makes n8n call preAuthentication, which stores this one.
				data.sessionToken = '';
				data[SIGNED_IN_TOKEN] = userToken;
				connection.toStore = undefined;
			} else {
				data.sessionToken = storedSession(data, userToken);
			}
		}
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
			// Every status comes back as an answer: n8n's own re-send after a 401 differs between n8n
			// versions, and the sign-in is paced and counted here instead.
			ignoreHttpStatusErrors: true,
			disableFollowRedirect: true,
			abortSignal: signal,
		};
		const node = this.context.getNode();
		const stored = node.credentials?.[CREDENTIAL_TYPE];
		// n8n replaces `abortSignal` with the execution's cancel signal when the caller has one; this
		// signal also ends the request at its deadline, and follows the cancel signal itself.
		const caller = {
			helpers: this.context.helpers,
			getNode: () => node,
			logger: this.context.logger,
		} as unknown as IExecuteFunctions;
		return await this.answerOf(
			async () =>
				await this.context.helpers.httpRequestWithAuthentication.call(
					caller,
					CREDENTIAL_TYPE,
					options,
					{
						credentialsDecrypted: {
							id: stored?.id ?? '',
							name: stored?.name ?? '',
							type: CREDENTIAL_TYPE,
							data,
						},
					},
				),
			signal,
		);
	}

	/** Sends one full-response request and tells what came of it. */
	private async answerOf(send: () => Promise<unknown>, signal: AbortSignal): Promise<Exchange> {
		try {
			const response = (await send()) as {
				statusCode: number;
				headers?: IDataObject;
				body: unknown;
			};
			return {
				kind: 'response',
				statusCode: response.statusCode,
				headers: response.headers ?? {},
				body: response.body,
			};
		} catch (error) {
			return this.failedExchange(error, signal);
		}
	}

	private failedExchange(error: unknown, signal: AbortSignal): Exchange {
		if (signal.aborted) return { kind: 'cancelled' };
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
			return cause.code === 'ERR_CANCELED'
				? { kind: 'cancelled' }
				: { kind: 'network', code: cause.code };
		}
		return { kind: 'failed', message: String(failure.message ?? 'The request failed') };
	}
}

/** Makes later requests wait for this one; call the returned function once its answer is in. */
function startTrial(connection: Connection): () => void {
	let end = () => {};
	connection.trial = new Promise<void>((resolve) => {
		end = () => {
			connection.trial = undefined;
			resolve();
		};
	});
	return end;
}

/** Resolves to `false` when the execution was cancelled before `ms` passed. */
async function sleepUnlessCancelled(ms: number, cancel?: AbortSignal): Promise<boolean> {
	if (cancel === undefined) {
		await sleep(ms);
		return true;
	}
	if (cancel.aborted) return false;
	const cancelled = new Promise<boolean>((resolve) =>
		cancel.addEventListener('abort', () => resolve(false), { once: true }),
	);
	return await Promise.race([sleep(ms).then(() => true), cancelled]);
}
