import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { clientIdField, readClientEndpoint } from './client.fields';

export const option = {
	name: 'Get',
	value: 'get',
	description:
		"Read one client card of a location by the client's ID: name, phone, email, visits, spend and balance. Changes nothing.",
	action: 'Get a client (read-only)',
};

export const description: INodeProperties[] = [locationLocator, clientIdField];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject> {
	const { endpoint } = readClientEndpoint.call(this, itemIndex);
	return (await api.request({
		endpoint,
		itemIndex,
	})) as IDataObject;
}
