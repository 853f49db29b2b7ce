import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { paginate } from '../../transport/paginate';
import { locationLocator } from '../common.descriptions';
import { filtersField, pageFields, readLocation } from '../fields';
import { readListParameters } from '../filters';

/** The search returns only the fields it is asked for; these are the ones Altegio and YCLIENTS share. */
export const CLIENT_LIST_FIELDS = [
	'id',
	'name',
	'phone',
	'email',
	'discount',
	'first_visit_date',
	'last_visit_date',
	'sold_amount',
	'visits_count',
];

const MAX_PAGE_SIZE = 200;

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description:
		'List the clients of a location, optionally only those whose name, phone or email matches a search text. Changes nothing.',
	action: 'Get many clients (read-only)',
};

export const description: INodeProperties[] = [
	locationLocator,
	...pageFields(),
	filtersField([
		{
			displayName: 'Search',
			name: 'search',
			type: 'string',
			default: '',
			placeholder: 'e.g. Olivia',
			description: 'Text to find in the name, phone or email of the client',
		},
	]),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject[]> {
	const locationId = readLocation.call(this, itemIndex);
	const { limit, filters } = readListParameters.call(this, itemIndex);
	const search = String(filters.search ?? '').trim();

	return await paginate.call(this, api, itemIndex, {
		maxPageSize: MAX_PAGE_SIZE,
		limit,
		page: (page, size) => ({
			method: 'POST',
			endpoint: `/company/${locationId}/clients/search`,
			body: {
				page,
				page_size: size,
				fields: CLIENT_LIST_FIELDS,
				order_by: 'id',
				order_by_direction: 'ASC',
				...(search ? { filters: [{ type: 'quick_search', state: { value: search } }] } : {}),
			},
		}),
	});
}
