import type { IDataObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { createApi } from '../../../../../nodes/Altegio/transport';
import * as getAll from '../../../../../nodes/Altegio/actions/chain/getAll.operation';
import {
	caught,
	expectNoSecrets,
	fakeExecuteFunctions,
	fixture,
	respond,
} from '../../../../helpers/fakeExecuteFunctions';

function context() {
	return fakeExecuteFunctions({ parameters: { resource: 'chain', operation: 'getAll' } });
}

describe('chain → Get Many', () => {
	test('the option is "Get Many" / "Get many chains (read-only)" and has no fields of its own', () => {
		expect(getAll.option).toEqual({
			name: 'Get Many',
			value: 'getAll',
			description: 'List the chains the user of the credential has access to',
			action: 'Get many chains (read-only)',
		});
		expect(getAll.description).toEqual([]);
	});

	test('asks GET /groups and returns every chain as a row, fields as the API sent them', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('groups.json')),
		);

		const rows = await getAll.execute.call(ctx, 0, createApi(ctx));

		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		const [type, options] = ctx.helpers.httpRequestWithAuthentication.mock.calls[0];
		expect(type).toBe('altegioApi');
		expect(options).toMatchObject({
			method: 'GET',
			baseURL: 'https://api.alteg.io/api/v1',
			url: '/groups',
		});
		expect(options.qs).toBeUndefined();
		expect(rows.map((row) => row.id)).toEqual([509, 508, 1509]);
		expect(rows[1]).toEqual({
			id: 508,
			title: 'Spa chain in Boston',
			companies: [
				{ id: 38545, title: 'Back Bay spa' },
				{ id: 38704, title: 'Seaport spa' },
			],
			access: {
				settings_access: 1,
				clients_access: 1,
				users_access: 0,
				loyalty_access: 1,
				loyalty_cards_manual_transactions_access: 0,
				network_services_access: 1,
			},
		});
	});

	test('a user without chains gets no rows', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('groups-empty.json')),
		);

		await expect(getAll.execute.call(ctx, 0, createApi(ctx))).resolves.toEqual([]);
	});

	test('data null is no chains', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, { success: true, data: null, meta: [] }),
		);

		await expect(getAll.execute.call(ctx, 0, createApi(ctx))).resolves.toEqual([]);
	});

	test.each([
		['an object', fixture('groups-data-object.json').data, 'it is an object, not a list'],
		['a text', 'chains', 'it is a string, not a list'],
		['a number', 3, 'it is a number, not a list'],
		['a list with null', [{ id: 1 }, null], 'entry 2 is null'],
		['a list of texts', ['509'], 'entry 1 is a string'],
		['a list of lists', [[{ id: 1 }]], 'entry 1 is a list'],
	])('data as %s is a clear error with the item, never an item', async (_name, data, detail) => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, { success: true, data, meta: [] }),
		);

		const error = await caught(getAll.execute.call(ctx, 2, createApi(ctx)));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			'The Altegio API returned the chains in an unexpected shape [item 2]',
		);
		expect(error.description).toBe(
			`Expected a list of chains, each an object, in the "data" field of the response, but ${detail}`,
		);
		expect(error.context.itemIndex).toBe(2);
	});

	test('an API error reaches the caller with the item', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(401, fixture('errors/unauthorized.json')),
		);

		const error = await caught(getAll.execute.call(ctx, 1, createApi(ctx)));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Authentication needed. [item 1]');
		expect(error.context.itemIndex).toBe(1);
		expectNoSecrets(error);
	});

	test('rows are the chains themselves, not the envelope', async () => {
		const ctx = context();
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('groups-meta-object.json')),
		);

		const rows = (await getAll.execute.call(ctx, 0, createApi(ctx))) as IDataObject[];

		expect(rows).toEqual([
			{
				id: 509,
				title: 'Chain of salons in New York',
				companies: [{ id: 38726, title: 'Location in New York' }],
				access: { settings_access: 1, clients_access: 1 },
			},
		]);
	});
});
