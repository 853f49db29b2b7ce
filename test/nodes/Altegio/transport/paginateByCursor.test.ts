import type { IDataObject } from 'n8n-workflow';

import type { AltegioApi } from '../../../../nodes/Altegio/transport';
import type { DateCursor } from '../../../../nodes/Altegio/transport/paginate';
import { paginateByCursor } from '../../../../nodes/Altegio/transport/paginate';
import { caught, fakeExecuteFunctions } from '../../../helpers/fakeExecuteFunctions';

/** An API that answers the pages in `pages` in turn, each `[rows, meta]`. */
function pagedApi(pages: Array<[unknown, IDataObject]>) {
	const asked: Array<DateCursor | undefined> = [];
	let next = 0;
	const api: AltegioApi = {
		request: jest.fn(),
		defaultCountry: jest.fn(),
		prepare: jest.fn(),
		requestPage: jest.fn(async ({ body }) => {
			asked.push((body as { cursor?: DateCursor }).cursor);
			const [data, meta] = pages[next++] ?? [[], {}];
			return { data, meta };
		}),
	};
	return { api, asked };
}

const read = async (api: AltegioApi, limit?: number) =>
	await paginateByCursor.call(fakeExecuteFunctions(), api, 0, {
		limit,
		page: (cursor) => ({ method: 'POST', endpoint: '/visits', body: { cursor } as IDataObject }),
		rows: (data) =>
			Array.isArray(data)
				? (data as IDataObject[])
				: ((data as IDataObject).records as IDataObject[]),
	});

const rows = (...ids: number[]) => ids.map((id) => ({ id }));

describe('paginateByCursor', () => {
	test('asks each next page with the cursor of the one before, and ends at an empty page', async () => {
		const { api, asked } = pagedApi([
			[rows(1, 2), { from: null, to: '2026-09-12' }],
			[{ records: rows(3) }, { from: '2026-01-01', to: '2026-08-31' }],
			[rows(), { from: null, to: null }],
		]);
		expect((await read(api)).map((row) => row.id)).toEqual([1, 2, 3]);
		expect(asked).toEqual([
			undefined,
			{ from: null, to: '2026-09-12' },
			{ from: '2026-01-01', to: '2026-08-31' },
		]);
	});

	test('ends at a page without a cursor', async () => {
		const { api, asked } = pagedApi([[rows(1), { from: null, to: null }]]);
		expect(await read(api)).toEqual(rows(1));
		expect(asked).toHaveLength(1);
	});

	test('a cursor that does not move ends the list instead of repeating the page forever', async () => {
		const { api, asked } = pagedApi([
			[rows(1), { to: '2026-09-12' }],
			[rows(2), { to: '2026-09-12' }],
			[rows(3), { to: '2026-09-12' }],
		]);
		expect(await read(api)).toEqual(rows(1, 2));
		expect(asked).toHaveLength(2);
	});

	test('a limit stops as soon as it has enough', async () => {
		const { api, asked } = pagedApi([
			[rows(1, 2, 3), { to: '2026-09-12' }],
			[rows(4), { to: '2026-08-31' }],
		]);
		expect(await read(api, 2)).toEqual(rows(1, 2));
		expect(asked).toHaveLength(1);
	});

	test('a page in an unknown shape fails the item', async () => {
		const { api } = pagedApi([[{ visits: 'none' }, {}]]);
		const error = await caught(read(api));
		expect(error.message).toBe(
			'The Altegio API returned page 1 of the list in an unexpected shape [item 0]',
		);
	});
});
