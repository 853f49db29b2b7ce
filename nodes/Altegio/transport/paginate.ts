import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { AltegioApi, AltegioRequest } from './index';

export interface PageOptions {
	/** The largest page the endpoint allows: Return All asks for pages of this size. */
	maxPageSize: number;
	/** Stop after this many records; `undefined` follows the pages to the end. */
	limit?: number;
	/** The request for one page, 1-based. */
	page(page: number, size: number): AltegioRequest;
}

/**
 * Reads a paginated list page by page, each page through the shared budget. With a limit the page
 * size is the limit (up to the endpoint's maximum), so a small limit costs one small request.
 * Where a page carries `meta.total_count`, the pages are followed until that many records are
 * read: the API may serve smaller pages than asked for (the records endpoint documents no
 * maximum), so a short page is not the end. Without a total, a short page ends the list. A list
 * that runs dry before its total fails the item rather than hand over part of it.
 */
export async function paginate(
	this: IExecuteFunctions,
	api: AltegioApi,
	itemIndex: number,
	{ maxPageSize, limit, page }: PageOptions,
): Promise<IDataObject[]> {
	const size = limit === undefined ? maxPageSize : Math.min(limit, maxPageSize);
	const records: IDataObject[] = [];
	for (let number = 1; ; number++) {
		const { data, meta } = await api.requestPage({ ...page(number, size), itemIndex });
		if (data !== null && data !== undefined && !Array.isArray(data)) {
			throw new NodeOperationError(
				this.getNode(),
				`The Altegio API returned page ${number} of the list in an unexpected shape [item ${itemIndex}]`,
				{
					itemIndex,
					description: 'Expected a list of records in the "data" field of the response',
				},
			);
		}
		const rows = (data ?? []) as IDataObject[];
		records.push(...rows);
		if (limit !== undefined && records.length >= limit) return records.slice(0, limit);

		const total = Number(meta.total_count);
		const known =
			meta.total_count !== undefined && meta.total_count !== null && Number.isFinite(total);
		if (!known) {
			if (rows.length < size) return records;
			continue;
		}
		if (records.length >= total) return records;
		if (rows.length === 0) {
			throw new NodeOperationError(
				this.getNode(),
				`The Altegio API stopped the list at ${records.length} of the ${total} records it counts [item ${itemIndex}]`,
				{
					itemIndex,
					description: `Page ${number} came back empty. Nothing was returned, so that a cut-short list is not taken for the whole one. Run the node again; if this repeats, narrow the list with filters or use Limit.`,
				},
			);
		}
	}
}

/** The `from` and `to` of a cursor-paged answer's `meta`: the window of the next page. */
export interface DateCursor {
	from: string | null;
	to: string | null;
}

export interface CursorOptions {
	/** Stop after this many records; `undefined` follows the cursor to the end. */
	limit?: number;
	/** The request for one page: the first with `undefined`, the next with the cursor given. */
	page(cursor: DateCursor | undefined): AltegioRequest;
	/** The records of one page's `data`, or `undefined` when the shape is not known. */
	rows(data: unknown): IDataObject[] | undefined;
}

/**
 * Reads a list that the API pages by a cursor in `meta.from` / `meta.to` (the visit history):
 * each next page is asked for with the cursor of the one before. The list ends at an empty page,
 * at a page without a cursor, or when the cursor does not move (which would repeat the page).
 */
export async function paginateByCursor(
	this: IExecuteFunctions,
	api: AltegioApi,
	itemIndex: number,
	{ limit, page, rows }: CursorOptions,
): Promise<IDataObject[]> {
	const records: IDataObject[] = [];
	let cursor: DateCursor | undefined;
	for (let number = 1; ; number++) {
		const { data, meta } = await api.requestPage({ ...page(cursor), itemIndex });
		const found = data === null || data === undefined ? [] : rows(data);
		if (found === undefined) {
			throw new NodeOperationError(
				this.getNode(),
				`The Altegio API returned page ${number} of the list in an unexpected shape [item ${itemIndex}]`,
				{
					itemIndex,
					description: 'Expected a list of records in the "data" field of the response',
				},
			);
		}
		records.push(...found);
		if (limit !== undefined && records.length >= limit) return records.slice(0, limit);
		if (found.length === 0) return records;
		const next = cursorOf(meta);
		if (next === undefined) return records;
		if (cursor !== undefined && next.from === cursor.from && next.to === cursor.to) return records;
		cursor = next;
	}
}

function cursorOf(meta: IDataObject): DateCursor | undefined {
	const text = (value: unknown) =>
		typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
	const from = text(meta.from);
	const to = text(meta.to);
	return from === null && to === null ? undefined : { from, to };
}
