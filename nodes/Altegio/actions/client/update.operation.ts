import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { readLocation, readPhone, readText, readUpdateFields, updateFieldsField } from '../fields';
import { clientBody, clientCardFields, clientIdField, readClientId } from './client.fields';

export const option = {
	name: 'Update',
	value: 'update',
	description:
		'Change fields of an existing client card at a location, such as name, phone or email. This writes to Altegio; fields left out keep their values.',
	action: 'Update a client (writes; old values are lost)',
};

export const description: INodeProperties[] = [
	locationLocator,
	clientIdField,
	updateFieldsField([
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			default: '',
			description: 'First name, or the full name, of the client',
		},
		{
			displayName: 'Phone',
			name: 'phone',
			type: 'string',
			default: '',
			placeholder: 'e.g. +1 (426) 403-76-40',
			description: 'Phone number with its country code',
		},
		...clientCardFields,
	]),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject> {
	const locationId = readLocation.call(this, itemIndex);
	const clientId = readClientId.call(this, itemIndex);
	const fields = readUpdateFields.call(this, itemIndex);
	const endpoint = `/client/${locationId}/${clientId}`;
	const body = clientBody.call(this, fields, itemIndex);
	if (fields.name !== undefined)
		body.name = readText.call(this, fields.name, 'name', itemIndex, 'Olivia Brown');

	// The API requires name and phone in every update; the other fields it keeps as they are.
	if (body.name === undefined || body.phone === undefined) {
		const current = (await api.request({ endpoint, itemIndex })) as IDataObject;
		body.name ??= current.name;
		body.phone ??= readPhone.call(
			this,
			current.phone,
			"client's stored phone",
			'digits',
			itemIndex,
		);
	}
	return (await api.request({ method: 'PUT', endpoint, body, itemIndex })) as IDataObject;
}
