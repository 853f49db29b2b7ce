import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { readLocation } from '../fields';
import { listOf } from '../listOf';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description:
		'List the team members (staff) of a location with their IDs, names and specializations; "fired" and "hidden" tell who can be booked. Changes nothing.',
	action: 'Get many team members (read-only)',
};

export const description: INodeProperties[] = [locationLocator];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject[]> {
	const locationId = readLocation.call(this, itemIndex);
	const data = await api.request({ endpoint: `/company/${locationId}/staff`, itemIndex });
	return listOf.call(this, data, 'team members', itemIndex);
}
