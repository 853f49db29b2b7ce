import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { locationZone, readLocationRecord, wallTime } from '../../helpers/zone';
import type { AltegioApi } from '../../transport';
import { paginate } from '../../transport/paginate';
import { locationLocator } from '../common.descriptions';
import { filtersField, pageFields, readDateTime, readLocation } from '../fields';
import { hasFilter, readListParameters, readRecordFilters } from '../filters';
import type { Pickers } from '../pickers';
import { byVersion, teamMemberField } from '../pickers';

// Not documented; 300 is what Altegio's own tools and the YCLIENTS examples use.
const MAX_PAGE_SIZE = 300;

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description:
		"List the appointments of a location in time order, optionally only a client's or a team member's, within dates, or changed since a moment. Changes nothing.",
	action: 'Get many appointments (read-only)',
};

export const description: INodeProperties[] = [
	locationLocator,
	...pageFields(),
	...byVersion((pickers) => [filters(pickers)]),
];

function filters(pickers: Pickers): INodeProperties {
	return filtersField([
		{
			displayName: 'Changed After',
			name: 'changedAfter',
			type: 'dateTime',
			default: '',
			description:
				"Only appointments created or changed after this date and time, in the location's time. A time with an offset (such as {{ $now }}) is turned into the location's time.",
		},
		{
			displayName: 'Changed Before',
			name: 'changedBefore',
			type: 'dateTime',
			default: '',
			description:
				"Only appointments created or changed before this date and time, in the location's time. A time with an offset (such as {{ $now }}) is turned into the location's time.",
		},
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			placeholder: 'e.g. 4240880',
			description: 'Only the appointments of this client of the location',
		},
		{
			displayName: 'End Date',
			name: 'endDate',
			type: 'dateTime',
			default: '',
			description: 'Only appointments on or before this date',
		},
		{
			displayName: 'Include Deleted',
			name: 'includeDeleted',
			type: 'boolean',
			default: false,
			description: 'Whether to include deleted (cancelled) appointments',
		},
		{
			displayName: 'Start Date',
			name: 'startDate',
			type: 'dateTime',
			default: '',
			description: 'Only appointments on or after this date',
		},
		teamMemberField(pickers, {
			description: 'Only the appointments of this team member',
			idDescription: 'Only the appointments of this team member',
		}),
	]);
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject[]> {
	const locationId = readLocation.call(this, itemIndex);
	const { limit, filters } = readListParameters.call(this, itemIndex);
	const qs = readRecordFilters.call(this, filters, itemIndex, 'staff_id');
	for (const [name, key, label] of [
		['changedAfter', 'changed_after', '"changed after" time'],
		['changedBefore', 'changed_before', '"changed before" time'],
	]) {
		if (!hasFilter(filters, name)) continue;
		const moment = readDateTime.call(this, filters[name], label, itemIndex);
		qs[key] = await localTime.call(this, api, locationId, moment, label, itemIndex);
	}
	if (filters.includeDeleted === true) qs.with_deleted = 1;

	return await paginate.call(this, api, itemIndex, {
		maxPageSize: MAX_PAGE_SIZE,
		limit,
		page: (page, count) => ({ endpoint: `/records/${locationId}`, qs: { ...qs, page, count } }),
	});
}

/**
 * The API documents `changed_after` and `changed_before` as the location's wall time without an
 * offset (`2026-01-21T23:00:00`). A time typed with an offset is turned into that wall time with
 * the location's time zone, read once per run (identical reads of a run are shared).
 */
async function localTime(
	this: IExecuteFunctions,
	api: AltegioApi,
	locationId: number,
	moment: string,
	label: string,
	itemIndex: number,
): Promise<string> {
	if (!/[+-]\d{2}:\d{2}$/.test(moment)) return moment;
	const location = await readLocationRecord(api, locationId, itemIndex);
	const zone = location === undefined ? undefined : locationZone(location);
	if (zone === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`The time zone of location ${locationId} is unknown, so the ${label} "${moment}" cannot be turned into its local time [item ${itemIndex}]`,
			{
				itemIndex,
				description:
					"Enter the time without an offset, as the location's local time, such as 2026-01-21T23:00:00",
			},
		);
	}
	return wallTime(zone, Date.parse(moment));
}
