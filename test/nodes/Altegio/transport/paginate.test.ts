import type { IDataObject } from 'n8n-workflow';

import type { AltegioApi } from '../../../../nodes/Altegio/transport';
import { paginate } from '../../../../nodes/Altegio/transport/paginate';
import { caught, fakeExecuteFunctions } from '../../../helpers/fakeExecuteFunctions';

/**
 * An API whose list holds `total` rows and serves them in pages, with or without total_count;
 * `cap` serves pages of at most that many rows, whatever was asked for.
 */
function listApi(total: number, { withTotal = true, cap = Infinity } = {}) {
	const asked: Array<{ page: number; count: number }> = [];
	const api: AltegioApi = {
		request: jest.fn(),
		defaultCountry: jest.fn(),
		prepare: jest.fn(),
		requestPage: jest.fn(async ({ qs }) => {
			const { page, count: wanted } = qs as { page: number; count: number };
			asked.push({ page, count: wanted });
			const count = Math.min(wanted, cap);
			const rows = Array.from(
				{ length: Math.max(0, Math.min(count, total - (page - 1) * count)) },
				(_, i) => ({
					id: (page - 1) * count + i + 1,
				}),
			);
			return { data: rows, meta: withTotal ? { total_count: total } : {} };
		}),
	};
	return { api, asked };
}

const read = async (api: AltegioApi, maxPageSize: number, limit?: number) =>
	await paginate.call(fakeExecuteFunctions(), api, 0, {
		maxPageSize,
		limit,
		page: (page, count) => ({ endpoint: '/records/1', qs: { page, count } }),
	});

const ids = (rows: IDataObject[]) => rows.map((row) => row.id);

describe('paginate', () => {
	test('Return All asks for the largest pages and stops at total_count without an empty page', async () => {
		const { api, asked } = listApi(600);
		expect(ids(await read(api, 300))).toEqual(Array.from({ length: 600 }, (_, i) => i + 1));
		expect(asked).toEqual([
			{ page: 1, count: 300 },
			{ page: 2, count: 300 },
		]);
	});

	test('without total_count a short page ends the list', async () => {
		const { api, asked } = listApi(450, { withTotal: false });
		expect(await read(api, 200)).toHaveLength(450);
		expect(asked.map((page) => page.page)).toEqual([1, 2, 3]);
	});

	test('a list that is a multiple of the page size and has no total ends on the empty page', async () => {
		const { api, asked } = listApi(400, { withTotal: false });
		expect(await read(api, 200)).toHaveLength(400);
		expect(asked.map((page) => page.page)).toEqual([1, 2, 3]);
	});

	test('a limit below the page maximum is one request of that size', async () => {
		const { api, asked } = listApi(600);
		expect(ids(await read(api, 300, 7))).toEqual([1, 2, 3, 4, 5, 6, 7]);
		expect(asked).toEqual([{ page: 1, count: 7 }]);
	});

	test('a limit above it stops as soon as it has enough', async () => {
		const { api, asked } = listApi(2000);
		expect(await read(api, 300, 301)).toHaveLength(301);
		expect(asked).toEqual([
			{ page: 1, count: 300 },
			{ page: 2, count: 300 },
		]);
	});

	test('an empty list is one request and no rows', async () => {
		const { api, asked } = listApi(0);
		expect(await read(api, 300)).toEqual([]);
		expect(asked).toHaveLength(1);
	});

	test('pages smaller than asked for are followed to total_count', async () => {
		const { api, asked } = listApi(650, { cap: 200 });
		expect(ids(await read(api, 300))).toEqual(Array.from({ length: 650 }, (_, i) => i + 1));
		expect(asked).toEqual([1, 2, 3, 4].map((page) => ({ page, count: 300 })));
	});

	test('a limit is reached through pages smaller than asked for', async () => {
		const { api, asked } = listApi(650, { cap: 200 });
		expect(ids(await read(api, 300, 250))).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
		expect(asked).toEqual([
			{ page: 1, count: 250 },
			{ page: 2, count: 250 },
		]);
	});

	test('an empty page before total_count fails the item instead of returning part of the list', async () => {
		const pages = [[{ id: 1 }, { id: 2 }], []];
		const api: AltegioApi = {
			request: jest.fn(),
			defaultCountry: jest.fn(),
			prepare: jest.fn(),
			requestPage: jest.fn(async () => ({ data: pages.shift(), meta: { total_count: 5 } })),
		};
		const error = await caught(read(api, 2));
		expect(error.message).toBe(
			'The Altegio API stopped the list at 2 of the 5 records it counts [item 0]',
		);
		expect(error.description).toBe(
			'Page 2 came back empty. Nothing was returned, so that a cut-short list is not taken for the whole one. Run the node again; if this repeats, narrow the list with filters or use Limit.',
		);
	});

	test('an empty page whose own total_count has shrunk to what was read ends the list', async () => {
		const pages = [
			{ data: [{ id: 1 }, { id: 2 }], meta: { total_count: 3 } },
			{ data: [], meta: { total_count: 2 } },
		];
		const api: AltegioApi = {
			request: jest.fn(),
			defaultCountry: jest.fn(),
			prepare: jest.fn(),
			requestPage: jest.fn(async () => pages.shift() as { data: unknown; meta: IDataObject }),
		};
		expect(ids(await read(api, 2))).toEqual([1, 2]);
	});

	test('a page that is not a list fails the item', async () => {
		const api: AltegioApi = {
			request: jest.fn(),
			defaultCountry: jest.fn(),
			prepare: jest.fn(),
			requestPage: jest.fn(async () => ({ data: { id: 1 }, meta: {} })),
		};
		const error = await caught(read(api, 300));
		expect(error.message).toBe(
			'The Altegio API returned page 1 of the list in an unexpected shape [item 0]',
		);
	});
});
