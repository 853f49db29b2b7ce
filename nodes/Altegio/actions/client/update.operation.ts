import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { isRecord } from '../../helpers/records';
import { PHONE_NOTE, readPhone, readText, readUpdateFields, updateFieldsField } from '../fields';
import { readAndResend } from '../resend';
import {
	cardBody,
	clientBody,
	clientCardFields,
	clientIdField,
	readClientEndpoint,
} from './client.fields';

export const option = {
	name: 'Update',
	value: 'update',
	description:
		'Change fields of an existing client card at a location, such as name, phone or email. This writes to Altegio; the stored card is read first and sent back whole with the changes, so fields left out keep their values.',
	action: 'Update a client (writes; no undo of changed fields)',
};

export const writes = true;

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
			description: `Phone number of the client. ${PHONE_NOTE}.`,
		},
		...clientCardFields,
	]),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject> {
	const { endpoint } = readClientEndpoint.call(this, itemIndex);
	const fields = readUpdateFields.call(this, itemIndex);
	const changes = clientBody.call(this, fields, itemIndex, await api.defaultCountry(itemIndex));
	if (fields.name !== undefined)
		changes.name = readText.call(this, fields.name, 'name', itemIndex, 'Olivia Brown');

	// Whether PUT keeps the fields it is not sent is not documented (name and phone are required).
	// The stored card is read and sent whole with the changes, which is right either way.
	const answer = await readAndResend(api, endpoint, itemIndex, (current) => {
		const body: IDataObject = { ...cardBody(current), ...changes };
		// The API stores a phone with its country code, so no Default Country reads it.
		body.phone ??= readPhone.call(
			this,
			current.phone,
			"client's stored phone",
			'digits',
			undefined,
			itemIndex,
		);
		return body;
	});
	if (isRecord(answer) && answer.id !== undefined) return answer;
	// The documented answer is an empty 200: the card is read again to show what was stored.
	return (await api.request({ endpoint, itemIndex })) as IDataObject;
}
