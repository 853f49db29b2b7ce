import { NodeApiError } from 'n8n-workflow';

import { searchChains } from '../../../../nodes/Altegio/methods/listSearch';
import {
	caught,
	expectNoSecrets,
	fakeLoadOptionsFunctions,
	fixture,
	respond,
} from '../../../helpers/fakeExecuteFunctions';

function context(body: unknown = fixture('groups.json'), status = 200) {
	const ctx = fakeLoadOptionsFunctions();
	ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(respond(status, body));
	return ctx;
}

const ALL = [
	{ name: 'Chain of salons in New York (509)', value: '509' },
	{ name: 'Spa chain in Boston (508)', value: '508' },
	{ name: 'NEW YORK Nails (1509)', value: '1509' },
];

describe('listSearch.searchChains', () => {
	test('without a filter: every chain, named "title (id)", with the ID as a string value', async () => {
		const ctx = context();

		const result = await searchChains.call(ctx);

		expect(result).toEqual({ results: ALL });
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledWith(
			'altegioApi',
			{
				method: 'GET',
				baseURL: 'https://api.alteg.io/api/v1',
				url: '/groups',
				qs: undefined,
				body: undefined,
				headers: { Accept: 'application/vnd.api.v2+json' },
				json: true,
				timeout: 30_000,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				disableFollowRedirect: true,
				abortSignal: expect.any(AbortSignal),
			},
			{
				credentialsDecrypted: expect.objectContaining({ type: 'altegioApi' }),
			},
		);
	});

	test.each([
		['new york', ['509', '1509']],
		['NEW YORK', ['509', '1509']],
		['  boston ', ['508']],
		['Spa', ['508']],
		['nails', ['1509']],
		['chain', ['509', '508']],
		['', ['509', '508', '1509']],
		['   ', ['509', '508', '1509']],
	])('the filter %p matches titles, whatever the case', async (filter, values) => {
		const { results } = await searchChains.call(context(), filter);

		expect(results.map((result) => result.value)).toEqual(values);
	});

	test.each([
		['509', ['509']],
		[' 1509 ', ['1509']],
		['508', ['508']],
		['50', []],
		['5090', []],
	])('the filter %p matches an ID exactly', async (filter, values) => {
		const { results } = await searchChains.call(context(), filter);

		expect(results.map((result) => result.value)).toEqual(values);
	});

	test('a filter that matches nothing gives an empty list', async () => {
		await expect(searchChains.call(context(), 'Paris')).resolves.toEqual({ results: [] });
	});

	test('no chains at all gives an empty list', async () => {
		await expect(searchChains.call(context(fixture('groups-empty.json')))).resolves.toEqual({
			results: [],
		});
	});

	test('every name and value is a string', async () => {
		const { results } = await searchChains.call(context());

		for (const result of results) {
			expect(typeof result.name).toBe('string');
			expect(typeof result.value).toBe('string');
		}
	});

	test('an API error is shown as it is, without an item number', async () => {
		const ctx = context(fixture('errors/unauthorized.json'), 401);

		const error = await caught(searchChains.call(ctx, 'new'));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Authentication needed.');
		expect(error.httpCode).toBe('401');
		expectNoSecrets(error);
	});
});
