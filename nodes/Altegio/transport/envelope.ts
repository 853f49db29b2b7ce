import type { IDataObject } from 'n8n-workflow';

/** Reading of the API's `{ success, data, meta }` envelope, strictly. */

export type Reading =
	| { kind: 'data'; data: unknown; meta: IDataObject }
	| { kind: 'notFound' }
	| { kind: 'redirect'; statusCode: number }
	| { kind: 'notJson'; statusCode: number }
	| { kind: 'apiError'; statusCode: number; body: IDataObject };

/** Answers an endpoint may give besides the envelope. */
export interface Shapes {
	/** A 2xx answer may be the data itself, an object without `success` or a list. */
	bare?: boolean;
	/** A 2xx answer may have no body at all (a write that answers with nothing to read). */
	emptyBody?: boolean;
}

/**
 * `emptyOnNotFound`: `true` takes any 404 in the API's envelope for "nothing found"; a list of
 * messages takes only a 404 with one of them (compared without case and a final dot).
 */
export function readEnvelope(
	statusCode: number,
	body: unknown,
	emptyOnNotFound?: boolean | string[],
	shapes: Shapes = {},
): Reading {
	if (statusCode >= 300 && statusCode < 400) return { kind: 'redirect', statusCode };
	const success = statusCode >= 200 && statusCode < 300;
	// A DELETE may answer 204 with no body at all, and some writes 200 with none.
	if (
		(statusCode === 204 || (success && shapes.emptyBody)) &&
		(body === undefined || body === '')
	) {
		return { kind: 'data', data: undefined, meta: {} };
	}
	if (success && shapes.bare && (Array.isArray(body) || (isObject(body) && !('success' in body)))) {
		return { kind: 'data', data: body, meta: {} };
	}
	if (!isObject(body)) return { kind: 'notJson', statusCode };

	if (success && body.success === true && isEmpty(body.errors)) {
		return { kind: 'data', data: body.data, meta: isObject(body.meta) ? body.meta : {} };
	}
	if (statusCode === 404 && body.success === false && emptyOnNotFound) {
		const message = normalized(messageOf(body));
		if (emptyOnNotFound === true || emptyOnNotFound.some((text) => normalized(text) === message)) {
			return { kind: 'notFound' };
		}
	}
	return { kind: 'apiError', statusCode, body };
}

/** The API's own message: `meta.message`, or `errors.message` in the YCLIENTS shape. */
export function messageOf(body: IDataObject): string | undefined {
	const meta = isObject(body.meta) ? body.meta : {};
	const errors = isObject(body.errors) ? body.errors : {};
	const message = [errors.message, meta.message].find(
		(text) => typeof text === 'string' && text.trim() !== '',
	);
	return typeof message === 'string' ? message.trim() : undefined;
}

/** The details of a validation error: `meta.errors` or `errors`, as a list or by field. */
export function detailsOf(body: IDataObject): string {
	const meta = isObject(body.meta) ? body.meta : {};
	const errors = meta.errors ?? (Array.isArray(body.errors) ? body.errors : undefined);
	if (Array.isArray(errors)) return errors.map(String).join('; ');
	if (!isObject(errors)) return '';
	return Object.entries(errors)
		.map(
			([field, messages]) =>
				`${field}: ${Array.isArray(messages) ? messages.join(', ') : String(messages)}`,
		)
		.join('; ');
}

function normalized(text: string | undefined): string {
	return (text ?? '').trim().replace(/\.$/, '').toLowerCase();
}

function isEmpty(errors: unknown): boolean {
	if (errors === undefined || errors === null) return true;
	if (Array.isArray(errors)) return errors.length === 0;
	return isObject(errors) && Object.keys(errors).length === 0;
}

export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
