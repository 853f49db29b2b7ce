import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { toRecords } from '../../helpers/records';
import type { AltegioApi } from '../../transport';
import { paginate } from '../../transport/paginate';
import { locationLocator } from '../common.descriptions';
import { filtersField, pageFields, readId, readLocation } from '../fields';
import { hasFilter, readListParameters, readRecordFilters } from '../filters';
import { byVersion, teamMemberField } from '../pickers';

// The documentation's example asks for 50 a page and names no maximum; the answer carries no
// total (`meta: []`), so a page must not be asked larger than the API may serve.
const MAX_PAGE_SIZE = 50;

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description:
		'List the finance transactions (payments and other money movements) of a location, newest first, optionally within dates or only for a client, a team member or one appointment. Each has "amount", "date" and the "account" (cash register or payment type) it went to. Changes nothing.',
	action: 'Get many finance transactions (read-only)',
};

export const description: INodeProperties[] = [
	locationLocator,
	...pageFields(),
	...byVersion((pickers) => [
		filtersField([
			{
				displayName: 'Appointment ID',
				name: 'appointmentId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 61000001',
				description: 'Only the transactions of this appointment (record)',
			},
			{
				displayName: 'Client ID',
				name: 'clientId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 4240880',
				description: 'Only the transactions of this client of the location',
			},
			{
				displayName: 'End Date',
				name: 'endDate',
				type: 'dateTime',
				default: '',
				description: 'Only transactions on or before this date',
			},
			{
				displayName: 'Start Date',
				name: 'startDate',
				type: 'dateTime',
				default: '',
				description: 'Only transactions on or after this date',
			},
			teamMemberField(pickers, {
				description: 'Only the transactions of this team member',
				idDescription: 'Only the transactions of this team member',
			}),
		]),
	]),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject[]> {
	const locationId = readLocation.call(this, itemIndex);
	const { limit, filters } = readListParameters.call(this, itemIndex);
	const qs = readRecordFilters.call(this, filters, itemIndex, 'master_id');

	if (hasFilter(filters, 'appointmentId')) {
		const recordId = readId.call(this, filters.appointmentId, 'appointment', itemIndex, 61000001);
		// `GET /transactions` documents no appointment filter; the transactions of one appointment
		// come from `GET /timetable/transactions/{id}?record_id=`, which takes no other filter and
		// no pages. The other filters are applied to what it returns.
		const data = await api.request({
			endpoint: `/timetable/transactions/${locationId}`,
			qs: { record_id: recordId },
			itemIndex,
		});
		// Not shown in the documentation whether `data` is a list or a single transaction: both read.
		const rows = toRecords
			.call(this, Array.isArray(data) || data === null ? data : [data], itemIndex, 'transactions')
			.filter((row) => matches(row, qs));
		return limit === undefined ? rows : rows.slice(0, limit);
	}

	return await paginate.call(this, api, itemIndex, {
		maxPageSize: MAX_PAGE_SIZE,
		limit,
		page: (page, count) => ({
			endpoint: `/transactions/${locationId}`,
			qs: { page, count, ...qs },
		}),
	});
}

function matches(row: IDataObject, qs: IDataObject): boolean {
	const day = String(row.date ?? '').slice(0, 10);
	return (
		(qs.client_id === undefined || Number(row.client_id) === qs.client_id) &&
		(qs.master_id === undefined || Number(row.master_id) === qs.master_id) &&
		(qs.start_date === undefined || day >= (qs.start_date as string)) &&
		(qs.end_date === undefined || day <= (qs.end_date as string))
	);
}
