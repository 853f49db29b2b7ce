import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { readDate, readId, readLimit } from './fields';
import { isGiven, readTeamMember } from './pickers';

/** The Return All / Limit and the Filters of a Get Many, read in that order. */
export function readListParameters(
	this: IExecuteFunctions,
	itemIndex: number,
): { limit: number | undefined; filters: IDataObject } {
	const limit = readLimit.call(this, itemIndex);
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	return { limit, filters };
}

/** Whether a filter holds a value; a filter left empty is not applied. */
export function hasFilter(filters: IDataObject, name: string): boolean {
	return filters[name] !== undefined && filters[name] !== '';
}

/** The Start Date and End Date filters as dates; `undefined` for one left empty. */
export function readDateFilters(
	this: IExecuteFunctions,
	filters: IDataObject,
	itemIndex: number,
): { from?: string; to?: string } {
	return {
		from: hasFilter(filters, 'startDate')
			? readDate.call(this, filters.startDate, 'start date', itemIndex)
			: undefined,
		to: hasFilter(filters, 'endDate')
			? readDate.call(this, filters.endDate, 'end date', itemIndex)
			: undefined,
	};
}

/**
 * The Client ID, team member, Start Date and End Date filters as the query of a list of a
 * location's records (`client_id`, `start_date`, `end_date`); `teamMemberKey` is the endpoint's
 * name for the team member.
 */
export function readRecordFilters(
	this: IExecuteFunctions,
	filters: IDataObject,
	itemIndex: number,
	teamMemberKey: string,
): IDataObject {
	const qs: IDataObject = {};
	if (hasFilter(filters, 'clientId'))
		qs.client_id = readId.call(this, filters.clientId, 'client', itemIndex, 4240880);
	if (isGiven(filters.teamMemberId))
		qs[teamMemberKey] = readTeamMember.call(this, filters.teamMemberId, itemIndex);
	const { from, to } = readDateFilters.call(this, filters, itemIndex);
	if (from !== undefined) qs.start_date = from;
	if (to !== undefined) qs.end_date = to;
	return qs;
}
