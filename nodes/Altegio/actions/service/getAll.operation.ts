import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { TEAM_MEMBER_EXAMPLE } from '../appointment/appointment.fields';
import { locationLocator } from '../common.descriptions';
import { filtersField, readId, readLocation } from '../fields';
import { listOf } from '../listOf';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description:
		'List the services a location offers, with their IDs, titles, prices and the team members who do them. Changes nothing.',
	action: 'Get many services (read-only)',
};

export const description: INodeProperties[] = [
	locationLocator,
	filtersField([
		{
			displayName: 'Team Member ID',
			name: 'teamMemberId',
			type: 'string',
			default: '',
			placeholder: `e.g. ${TEAM_MEMBER_EXAMPLE}`,
			description: 'Only the services this team member provides',
		},
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
	if (filters.teamMemberId !== undefined && filters.teamMemberId !== '') {
		qs.staff_id = readId.call(
			this,
			filters.teamMemberId,
			'team member',
			itemIndex,
			TEAM_MEMBER_EXAMPLE,
		);
	}
	const data = await api.request({ endpoint: `/company/${locationId}/services`, qs, itemIndex });
	return listOf.call(this, data, 'services', itemIndex);
}
