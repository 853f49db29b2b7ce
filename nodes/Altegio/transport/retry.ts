import type { IDataObject } from 'n8n-workflow';

/** What one attempt of a request came back with. */
export type Exchange =
	| { kind: 'response'; statusCode: number; headers: IDataObject; body: unknown }
	| { kind: 'network'; code: string }
	| { kind: 'cancelled' }
	| { kind: 'failed'; message: string };

const BACKOFF_BASE_MS = 1000;
const BACKOFF_MAX_MS = 30_000;
/** The longest `Retry-After` the node waits for within a run. */
export const RETRY_AFTER_MAX_MS = 120_000;

/** Connection failures that happen before any byte of the request was sent. */
const NOT_SENT_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'EADDRNOTAVAIL',
]);

/** Whether the API certainly did not act on the request. */
export function certainlyNotActedOn(result: Exchange): boolean {
	if (result.kind === 'network') return NOT_SENT_CODES.has(result.code);
	return result.kind === 'response' && (result.statusCode === 429 || result.statusCode === 401);
}

/**
 * How long to wait before trying again, or `undefined` when the result is final. A request that is
 * not `repeatable` (a write) is repeated only when the API certainly did not act on it.
 */
export function retryDelay(
	result: Exchange,
	attempt: number,
	maxRetries: number,
	repeatable: boolean,
	random: () => number = Math.random,
): number | undefined {
	if (attempt >= maxRetries) return undefined;
	const backoff = () => {
		const ceiling = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** attempt);
		return Math.round(ceiling / 2 + (random() * ceiling) / 2);
	};
	if (result.kind === 'network') {
		return repeatable || NOT_SENT_CODES.has(result.code) ? backoff() : undefined;
	}
	if (result.kind !== 'response') return undefined;
	if (result.statusCode === 429) {
		const retryAfter = retryAfterOf(result);
		if (retryAfter === undefined) return backoff();
		return retryAfter <= RETRY_AFTER_MAX_MS ? retryAfter : undefined;
	}
	return repeatable && result.statusCode >= 500 ? backoff() : undefined;
}

/** The `Retry-After` of a 429 answer in milliseconds. */
export function retryAfterOf(result: Exchange, now = Date.now()): number | undefined {
	if (result.kind !== 'response' || result.statusCode !== 429) return undefined;
	return retryAfterMs(result.headers['retry-after'], now);
}

export function retryAfterMs(header: unknown, now = Date.now()): number | undefined {
	if (typeof header !== 'string' && typeof header !== 'number') return undefined;
	const text = String(header).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000);
	const date = Date.parse(text);
	return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
