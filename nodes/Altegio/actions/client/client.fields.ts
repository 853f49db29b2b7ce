import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isRecord } from '../../helpers/records';
import { idField, readDate, readIdParameter, readLocation, readObject, readPhone } from '../fields';

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

/** Reads the location and the client: the client's ID and its `/client` endpoint. */
export function readClientEndpoint(
	this: IExecuteFunctions,
	itemIndex: number,
): { id: number; endpoint: string } {
	const locationId = readLocation.call(this, itemIndex);
	const id = readClientId.call(this, itemIndex);
	return { id, endpoint: `/client/${locationId}/${id}` };
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
		else if (name === 'gender') Object.assign(body, genderKeys(value));
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

/**
 * Altegio reads the gender as `gender_id`, YCLIENTS as `sex_id` (the same numbers); each host
 * ignores the other key, so both are sent and the node need not know which host it talks to.
 */
function genderKeys(value: unknown): IDataObject {
	const gender = value as number;
	return { gender_id: gender, sex_id: gender };
}

const GENDER_NAMES: Record<string, number> = { unknown: 0, male: 1, female: 2 };

function numberOf(value: unknown): number | undefined {
	if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
	if (typeof value !== 'string' || value.trim() === '') return undefined;
	const number = Number(value);
	return Number.isFinite(number) ? number : undefined;
}

/**
 * The update body that describes a client card as `GET /client/{location_id}/{id}` returned it:
 * every editable field the card shows, so that a PUT that replaces the card keeps them. The totals
 * the location keeps (spent, paid, balance, visits) are left out: sending back a value read a
 * moment ago could undo a payment made in between.
 */
export function cardBody(card: IDataObject): IDataObject {
	const body: IDataObject = {};
	if (typeof card.name === 'string') body.name = card.name;
	for (const key of ['surname', 'email', 'card', 'comment']) {
		if (typeof card[key] === 'string') body[key] = card[key];
	}
	const middleName = card.patronymic ?? card.middle_name;
	if (typeof middleName === 'string') body.middle_name = middleName;
	if (typeof card.birth_date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(card.birth_date)) {
		body.birth_date = card.birth_date;
	}
	for (const key of ['discount', 'importance_id', 'sms_check', 'sms_not']) {
		const number = numberOf(card[key]);
		if (number !== undefined) body[key] = number;
	}
	// YCLIENTS and webhooks show `sex_id`; Altegio's example shows `"gender": "unknown"`.
	const named = [card.gender, card.sex].find(
		(name) => typeof name === 'string' && name.toLowerCase() in GENDER_NAMES,
	);
	const gender =
		numberOf(card.sex_id) ??
		numberOf(card.gender_id) ??
		(typeof named === 'string' ? GENDER_NAMES[named.toLowerCase()] : undefined);
	if (gender !== undefined) Object.assign(body, genderKeys(gender));
	if (Array.isArray(card.categories)) {
		// Tags go in `labels` on an Altegio update and in `categories` on YCLIENTS; both are sent.
		const ids = card.categories
			.map((category) => numberOf(isRecord(category) ? category.id : category))
			.filter((id): id is number => id !== undefined);
		body.labels = ids;
		body.categories = ids;
	}
	if (isRecord(card.custom_fields) && Object.keys(card.custom_fields).length > 0) {
		body.custom_fields = card.custom_fields;
	}
	return body;
}
