import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { filtersField, readLocation } from '../fields';
import { listOf } from '../listOf';
import { byVersion, isGiven, readTeamMember, teamMemberField } from '../pickers';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description:
		'List the services a location offers, with their IDs, titles, prices and the team members who do them. Changes nothing.',
	action: 'Get many services (read-only)',
};

export const description: INodeProperties[] = [
	locationLocator,
	...byVersion((pickers) => [
		filtersField([
			teamMemberField(pickers, {
				description: 'Only the services this team member provides',
				idDescription: 'Only the services this team member provides',
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
	const filters = this.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const qs: IDataObject = {};
	if (isGiven(filters.teamMemberId))
		qs.staff_id = readTeamMember.call(this, filters.teamMemberId, itemIndex);
	const data = await api.request({ endpoint: `/company/${locationId}/services`, qs, itemIndex });
	return listOf.call(this, data, 'services', itemIndex);
}
