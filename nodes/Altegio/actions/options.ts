import type { IDataObject, INodeProperties } from 'n8n-workflow';

/** The node's Options collection: how hard to try before an item fails. */

export interface RequestPolicy {
	/** Milliseconds for the whole answer to one request, from sending it to its last byte. */
	timeout: number;
	/** How many times a request may be repeated after a failure that is safe to repeat. */
	maxRetries: number;
}

export const DEFAULT_POLICY: RequestPolicy = { timeout: 30_000, maxRetries: 3 };

export const MAX_RETRIES_LIMIT = 10;
export const TIMEOUT_RANGE_MS = { min: 1, max: 300_000 };

export const optionsDescription: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Max Retries',
			name: 'maxRetries',
			type: 'number',
			typeOptions: { minValue: 0, maxValue: MAX_RETRIES_LIMIT, numberPrecision: 0 },
			default: 3,
			description:
				'How many times to repeat a request that was rate limited (429), or, for reading requests, failed on the server (5xx) or on the network. Creating, changing and deleting requests are repeated only when the API certainly did not receive them.',
		},
		{
			displayName: 'Timeout',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: TIMEOUT_RANGE_MS.min, maxValue: TIMEOUT_RANGE_MS.max },
			default: 30000,
			description:
				'Time in milliseconds for the whole answer to one request (at most 300000). A request that has not been fully answered by then fails.',
		},
	],
};

/**
 * Reads the options of one item. Numbers outside the documented range are clamped to it; anything
 * that is not a number is refused with the reason.
 */
export function readPolicy(options: IDataObject): RequestPolicy | { problem: string } {
	const maxRetries = numberOption(options.maxRetries, DEFAULT_POLICY.maxRetries);
	if (maxRetries === undefined) {
		return {
			problem: `Max Retries must be a number from 0 to ${MAX_RETRIES_LIMIT}, not ${shown(options.maxRetries)}`,
		};
	}
	const timeout = numberOption(options.timeout, DEFAULT_POLICY.timeout);
	if (timeout === undefined) {
		return {
			problem: `Timeout must be a number of milliseconds from ${TIMEOUT_RANGE_MS.min} to ${TIMEOUT_RANGE_MS.max}, not ${shown(options.timeout)}`,
		};
	}
	return {
		maxRetries: Math.floor(clamp(maxRetries, 0, MAX_RETRIES_LIMIT)),
		timeout: Math.round(clamp(timeout, TIMEOUT_RANGE_MS.min, TIMEOUT_RANGE_MS.max)),
	};
}

function numberOption(value: unknown, fallback: number): number | undefined {
	if (value === undefined || value === null || value === '') return fallback;
	if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
	if (typeof value === 'string' && /^\s*[+-]?(\d+(\.\d*)?|\.\d+)\s*$/.test(value))
		return Number(value);
	return undefined;
}

function clamp(value: number, min: number, max: number): number {
	return Math.min(max, Math.max(min, value));
}

function shown(value: unknown): string {
	if (typeof value === 'string') return `"${value.length > 20 ? `${value.slice(0, 20)}…` : value}"`;
	if (typeof value === 'number') return String(value);
	return Array.isArray(value) ? 'a list' : `a value of type ${typeof value}`;
}
