import type { IDataObject, INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { detailsOf, messageOf, readEnvelope } from './envelope';
import type { Reading } from './envelope';
import type { Exchange } from './retry';
import { certainlyNotActedOn, retryAfterOf, RETRY_AFTER_MAX_MS } from './retry';

/** What an error says: a headline, what to do, and the HTTP status when there was one. */
export interface Failure {
	message: string;
	description?: string;
	httpCode?: string;
	body?: IDataObject;
}

export interface FailureContext {
	baseUrl: string;
	userAuth: 'userToken' | 'loginPassword';
	timeout: number;
	method: string;
}

export function withItem(message: string, itemIndex?: number): string {
	return itemIndex === undefined ? message : `${message} [item ${itemIndex}]`;
}

export function apiError(node: INode, failure: Failure, itemIndex?: number): NodeApiError {
	return new NodeApiError(node, (failure.body ?? {}) as JsonObject, {
		message: withItem(failure.message, itemIndex),
		description: failure.description,
		httpCode: failure.httpCode,
		itemIndex,
	});
}

export function operationError(
	node: INode,
	message: string,
	description: string,
	itemIndex?: number,
): NodeOperationError {
	return new NodeOperationError(node, withItem(message, itemIndex), { description, itemIndex });
}

/** The failure of an attempt that got no usable answer, or whose answer is an error. */
export function exchangeFailure(
	result: Exchange,
	context: FailureContext,
	now = Date.now(),
): Failure {
	return forWrite(describe(result, context, now), result, context);
}

/** The failure for an answer that is not the data asked for, as the item's error says it. */
export function answerFailure(
	reading: Exclude<Reading, { kind: 'data' } | { kind: 'notFound' }>,
	result: Exchange,
	context: FailureContext,
	now = Date.now(),
): Failure {
	return forWrite(readingFailure(reading, context, result, now), result, context);
}

/**
 * A write that may have reached the API says so, whatever came back, and gives no advice to send
 * it again: the API has no idempotency key, and a second try could make a second record.
 */
function forWrite(failure: Failure, result: Exchange, context: FailureContext): Failure {
	if (context.method === 'GET' || !mayHaveActed(result)) return failure;
	return {
		...failure,
		description: `The ${context.method} request was not repeated, because the API may have carried it out. Check in Altegio whether the change was made before you run this item again`,
	};
}

/**
 * Whether the API may have acted on a request that got this result. A 4xx answer (429 and 401
 * included) and a connection that failed before sending mean it did not; a 5xx or a 2xx without a
 * readable envelope (an HTML page from a proxy, an empty or cut-off body), a timeout, a connection
 * lost after sending or a failure of unknown kind mean it may have.
 */
function mayHaveActed(result: Exchange): boolean {
	if (result.kind === 'network') return !certainlyNotActedOn(result);
	if (result.kind === 'failed') return true;
	if (result.kind !== 'response') return false;
	return result.statusCode >= 500 || (result.statusCode >= 200 && result.statusCode < 300);
}

function describe(result: Exchange, context: FailureContext, now: number): Failure {
	if (result.kind === 'cancelled') return { message: 'The execution was cancelled' };
	if (result.kind === 'failed') return { message: result.message };
	if (result.kind === 'network') {
		const timedOut = result.code === 'ECONNABORTED' || result.code === 'ETIMEDOUT';
		return timedOut
			? {
					message: `The Altegio API did not answer within ${context.timeout} ms`,
					description: 'Try again later, or raise Timeout in the node options',
				}
			: {
					message: `The Altegio API could not be reached: ${networkReason(result.code)}`,
					description: `Check the network and the API address ${context.baseUrl} (error code ${result.code})`,
				};
	}
	const reading = readEnvelope(result.statusCode, result.body);
	return readingFailure(
		reading.kind === 'data' || reading.kind === 'notFound'
			? { kind: 'apiError', statusCode: result.statusCode, body: {} }
			: reading,
		context,
		result,
		now,
	);
}

/** The failure for an answer that is not the data asked for. */
export function readingFailure(
	reading: Exclude<Reading, { kind: 'data' } | { kind: 'notFound' }>,
	context: FailureContext,
	result?: Exchange,
	now = Date.now(),
): Failure {
	const httpCode = String(reading.statusCode);
	if (reading.kind === 'redirect') {
		return {
			message: `The Altegio API answered with a redirect (HTTP ${reading.statusCode}), which is not followed`,
			description: `Check the API address ${context.baseUrl}: it must be the API root itself, such as https://api.alteg.io/api/v1, not an address that forwards elsewhere`,
			httpCode,
		};
	}
	if (reading.kind === 'notJson') {
		return {
			message: `The Altegio API answered with HTTP ${reading.statusCode} and a body that is not JSON`,
			description:
				reading.statusCode >= 500
					? 'A proxy or the API itself failed. Try again later, or turn on Retry On Fail in the node settings'
					: `Check that the API address ${context.baseUrl} is the API root, such as https://api.alteg.io/api/v1`,
			httpCode,
		};
	}

	const { statusCode, body } = reading;
	const details = detailsOf(body);
	const said =
		messageOf(body) ??
		(statusCode >= 400
			? `The Altegio API answered with HTTP ${statusCode}`
			: 'The Altegio API reported a failure without saying why');
	const message = details ? `${said} (${details})` : said;

	if (statusCode === 429) {
		const retryAfter = result === undefined ? undefined : retryAfterOf(result, now);
		if (retryAfter !== undefined && retryAfter > RETRY_AFTER_MAX_MS) {
			const until = new Date(now + retryAfter).toISOString().replace(/\.\d+Z$/, 'Z');
			return {
				message: `${said} The Altegio API accepts requests again at ${until}, in ${Math.ceil(retryAfter / 60_000)} min`,
				description: `The node waits at most ${RETRY_AFTER_MAX_MS / 60_000} minutes. Every request of this credential in this n8n process is held back until then; run the workflow again after that time`,
				httpCode,
				body,
			};
		}
	}
	return { message, description: hint(statusCode, context), httpCode, body };
}

function hint(statusCode: number, context: FailureContext): string | undefined {
	if (statusCode === 401) {
		return context.userAuth === 'loginPassword'
			? 'Check the partner token, login and password in the Altegio API credential'
			: "Check the partner token and user token in the Altegio API credential. A user token changes when the user's password changes";
	}
	if (statusCode === 403) {
		return 'The Altegio user of this credential has no access to this chain or action. Check the chain ID and the user’s rights in Altegio';
	}
	if (statusCode === 404) {
		return `Check that the API address ${context.baseUrl} is the API root, such as https://api.alteg.io/api/v1, and that the IDs in the request exist`;
	}
	if (statusCode === 429) {
		return 'The API allows 5 requests a second and 200 a minute per IP address. If other credentials, workflows or n8n workers use the same IP address, lower Requests per Second and Requests per Minute in the credential';
	}
	if (statusCode >= 500) {
		return 'The Altegio API could not process the request. Try again later, or turn on Retry On Fail in the node settings';
	}
	return undefined;
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
