import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { idField, readIdParameter, readLocation } from '../fields';

export const option = {
	name: 'Get',
	value: 'get',
	description:
		"Read one client card of a location by the client's ID: name, phone, email, visits, spend and balance. Changes nothing.",
	action: 'Get a client',
};

export const description: INodeProperties[] = [
	locationLocator,
	idField(
		'Client ID',
		'clientId',
		4240880,
		'ID of the client at this location, such as the "id" that Chain Client → Get by Phone returns',
	),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject> {
	const locationId = readLocation.call(this, itemIndex);
	const clientId = readIdParameter.call(this, 'clientId', 'client', itemIndex, 4240880);
	return (await api.request({
		endpoint: `/client/${locationId}/${clientId}`,
		itemIndex,
	})) as IDataObject;
}
