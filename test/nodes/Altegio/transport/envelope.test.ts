import { readEnvelope } from '../../../../nodes/Altegio/transport/envelope';

describe('readEnvelope', () => {
	test.each([
		['meta []', { success: true, data: [1], meta: [] }, { kind: 'data', data: [1], meta: {} }],
		[
			'meta {}',
			{ success: true, data: { a: 1 }, meta: { total_count: 3 } },
			{ kind: 'data', data: { a: 1 }, meta: { total_count: 3 } },
		],
		[
			'an empty errors list',
			{ success: true, data: [], errors: [] },
			{ kind: 'data', data: [], meta: {} },
		],
		[
			'an empty errors object',
			{ success: true, data: [], errors: {} },
			{ kind: 'data', data: [], meta: {} },
		],
	])('2xx, success true and %s is data', (_, body, reading) => {
		expect(readEnvelope(200, body)).toEqual(reading);
	});

	test('204 without a body (a DELETE) is data without a value', () => {
		expect(readEnvelope(204, '')).toEqual({ kind: 'data', data: undefined, meta: {} });
		expect(readEnvelope(204, undefined)).toEqual({ kind: 'data', data: undefined, meta: {} });
	});

	test('a write may answer 2xx with no body: data without a value', () => {
		expect(readEnvelope(200, '', undefined, { emptyBody: true })).toEqual({
			kind: 'data',
			data: undefined,
			meta: {},
		});
		expect(readEnvelope(200, undefined, undefined, { emptyBody: true })).toEqual({
			kind: 'data',
			data: undefined,
			meta: {},
		});
		expect(readEnvelope(200, '')).toEqual({ kind: 'notJson', statusCode: 200 });
		expect(readEnvelope(500, '', undefined, { emptyBody: true })).toEqual({
			kind: 'notJson',
			statusCode: 500,
		});
	});

	test('where a bare answer is allowed, an object without success or a list is the data itself', () => {
		const card = { id: 9210520, balance: 25 };
		expect(readEnvelope(200, card, undefined, { bare: true })).toEqual({
			kind: 'data',
			data: card,
			meta: {},
		});
		expect(readEnvelope(200, [card], undefined, { bare: true })).toEqual({
			kind: 'data',
			data: [card],
			meta: {},
		});
		expect(
			readEnvelope(200, { success: true, data: [card], meta: [] }, undefined, { bare: true }),
		).toEqual({ kind: 'data', data: [card], meta: {} });
		const refused = { success: false, data: null, meta: { message: 'Access denied.' } };
		expect(readEnvelope(200, refused, undefined, { bare: true })).toEqual({
			kind: 'apiError',
			statusCode: 200,
			body: refused,
		});
		expect(readEnvelope(403, card, undefined, { bare: true })).toEqual({
			kind: 'apiError',
			statusCode: 403,
			body: card,
		});
		expect(readEnvelope(200, card)).toEqual({ kind: 'apiError', statusCode: 200, body: card });
	});

	test.each([
		['success "false"', { success: 'false', data: [] }],
		['success 0', { success: 0, data: [] }],
		['success "true"', { success: 'true', data: [] }],
		['no success', { data: [] }],
		[
			'errors in the YCLIENTS shape',
			{ success: true, data: [], errors: { code: 400, message: 'Bad' } },
		],
		['a list of errors', { success: true, data: [], errors: ['x'] }],
	])('%s is an error', (_, body) => {
		expect(readEnvelope(200, body)).toEqual({ kind: 'apiError', statusCode: 200, body });
	});

	test.each([301, 302, 303, 307, 308])('%i is a redirect', (status) => {
		expect(readEnvelope(status, {})).toEqual({ kind: 'redirect', statusCode: status });
	});

	test.each([
		['an HTML page', '<html></html>'],
		['a list', []],
		['nothing', undefined],
	])('%s is not JSON', (_, body) => {
		expect(readEnvelope(200, body)).toEqual({ kind: 'notJson', statusCode: 200 });
	});

	const clientNotFound = { success: false, data: null, meta: { message: 'Client not found' } };
	const routeMissing = { success: false, data: null, meta: { message: 'Not found' } };

	test('a 404 is "nothing found" only for the messages the request names', () => {
		expect(readEnvelope(404, clientNotFound, ['Client not found'])).toEqual({ kind: 'notFound' });
		expect(
			readEnvelope(404, { ...clientNotFound, meta: { message: 'client not found.' } }, [
				'Client not found',
			]),
		).toEqual({
			kind: 'notFound',
		});
		expect(readEnvelope(404, routeMissing, ['Client not found']).kind).toBe('apiError');
		expect(readEnvelope(404, clientNotFound).kind).toBe('apiError');
	});

	test('emptyOnNotFound: true takes any 404 in the API envelope, but not a page that is not the API', () => {
		expect(readEnvelope(404, routeMissing, true)).toEqual({ kind: 'notFound' });
		expect(readEnvelope(404, '<html>404</html>', true).kind).toBe('notJson');
		expect(readEnvelope(404, { message: 'nope' }, true).kind).toBe('apiError');
	});
});
