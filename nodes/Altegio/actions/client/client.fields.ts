import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { idField, readDate, readIdParameter, readObject, readPhone } from '../fields';

const CLIENT_EXAMPLE = 4240880;

/** The client that Get and Update work on. */
export const clientIdField = idField(
	'Client ID',
	'clientId',
	CLIENT_EXAMPLE,
	'ID of the client at this location, such as the "id" that Chain Client → Get by Phone returns',
);

export function readClientId(this: IExecuteFunctions, itemIndex: number): number {
	return readIdParameter.call(this, 'clientId', 'client', itemIndex, CLIENT_EXAMPLE);
}

/** The optional fields of a client card, as Create shows them under Additional Fields. */
export const clientCardFields: INodeProperties[] = [
	{
		displayName: 'Birth Date',
		name: 'birthDate',
		type: 'dateTime',
		default: '',
		description: 'Date of birth; only the date is sent',
	},
	{
		displayName: 'Card Number',
		name: 'card',
		type: 'string',
		default: '',
		description: 'Number of the client card',
	},
	{
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
	},
	{
		displayName: 'Custom Fields',
		name: 'customFields',
		type: 'json',
		default: '{}',
		description: 'Additional client fields of the location, as an object of API keys and values',
	},
	{
		displayName: 'Discount',
		name: 'discount',
		type: 'number',
		typeOptions: { minValue: 0, maxValue: 100 },
		default: 0,
		description: 'Discount of the client in percent',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
	},
	{
		displayName: 'Exclude From SMS Mailings',
		name: 'excludeFromSmsMailings',
		type: 'boolean',
		default: false,
		description: 'Whether the client receives no SMS mailings',
	},
	{
		displayName: 'Gender',
		name: 'gender',
		type: 'options',
		options: [
			{ name: 'Unknown', value: 0 },
			{ name: 'Male', value: 1 },
			{ name: 'Female', value: 2 },
		],
		default: 0,
	},
	{
		displayName: 'Importance',
		name: 'importance',
		type: 'options',
		options: [
			{ name: 'None', value: 0 },
			{ name: 'Bronze', value: 1 },
			{ name: 'Silver', value: 2 },
			{ name: 'Gold', value: 3 },
		],
		default: 0,
		description: 'Importance class of the client',
	},
	{
		displayName: 'Middle Name',
		name: 'middleName',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Send Birthday SMS',
		name: 'birthdaySms',
		type: 'boolean',
		default: false,
		description: 'Whether the client gets a birthday greeting by SMS',
	},
	{
		displayName: 'Surname',
		name: 'surname',
		type: 'string',
		default: '',
	},
];

const SAME_NAME: Record<string, string> = {
	card: 'card',
	comment: 'comment',
	discount: 'discount',
	email: 'email',
	surname: 'surname',
};

/** Turns the fields the user added into the API's body keys, checking the ones that need it. */
export function clientBody(
	this: IExecuteFunctions,
	fields: IDataObject,
	itemIndex: number,
	country: string | undefined,
): IDataObject {
	const body: IDataObject = {};
	for (const [name, value] of Object.entries(fields)) {
		if (name in SAME_NAME) body[SAME_NAME[name]] = value;
		else if (name === 'name') body.name = value;
		else if (name === 'phone')
			body.phone = readPhone.call(this, value, 'phone', 'digits', country, itemIndex);
		else if (name === 'middleName') body.middle_name = value;
		else if (name === 'gender') body.gender_id = value;
		else if (name === 'importance') body.importance_id = value;
		else if (name === 'birthDate')
			body.birth_date = readDate.call(this, value, 'birth date', itemIndex);
		else if (name === 'birthdaySms') body.sms_check = value === true ? 1 : 0;
		else if (name === 'excludeFromSmsMailings') body.sms_not = value === true ? 1 : 0;
		else if (name === 'customFields') {
			body.custom_fields = readObject.call(this, value, 'custom fields', itemIndex);
		}
	}
	return body;
}
