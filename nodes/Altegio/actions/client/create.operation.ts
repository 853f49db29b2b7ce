import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { PHONE_NOTE, readLocation, readText } from '../fields';
import { clientBody, clientCardFields } from './client.fields';

export const option = {
	name: 'Create',
	value: 'create',
	description:
		'Add a new client to a location. This writes to Altegio, and the API does not refuse a second client with the same phone: look the phone up first.',
	action: 'Create a client (writes; allows a duplicate phone)',
};

export const writes = true;

export const description: INodeProperties[] = [
	locationLocator,
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. Olivia Brown',
		description: 'First name, or the full name, of the client',
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +1 (426) 403-76-40',
		description: `Phone number of the client. ${PHONE_NOTE}; spaces, brackets and dashes do not matter.`,
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: clientCardFields,
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject | IDataObject[]> {
	const locationId = readLocation.call(this, itemIndex);
	const fields = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	const body = clientBody.call(
		this,
		{
			name: readText.call(
				this,
				this.getNodeParameter('name', itemIndex, ''),
				'name',
				itemIndex,
				'Olivia Brown',
			),
			phone: this.getNodeParameter('phone', itemIndex, ''),
			...fields,
		},
		itemIndex,
		await api.defaultCountry(itemIndex),
	);
	return (await api.request({
		method: 'POST',
		endpoint: `/clients/${locationId}`,
		body,
		itemIndex,
	})) as IDataObject | IDataObject[];
}
