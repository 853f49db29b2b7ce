import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { normalizePhone } from '../../helpers/phone';
import { formatPhone } from '../../helpers/phoneFormat';
import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { readUpdateFields, updateFieldsField } from '../fields';
import { byVersion } from '../pickers';
import { readAndResend } from '../resend';
import {
	appointmentFields,
	appointmentIdField,
	appointmentOptions,
	applyAppointmentFields,
	readAppointmentEndpoint,
} from './appointment.fields';

export const option = {
	name: 'Update',
	value: 'update',
	description:
		'Change an existing appointment, for example move it to another time or team member, or mark a no-show. This writes to Altegio; fields left out keep their values.',
	action: 'Update an appointment (writes; may notify the client)',
};

export const writes = true;

export const description: INodeProperties[] = [
	locationLocator,
	appointmentIdField,
	...byVersion((pickers) => [
		updateFieldsField([...appointmentFields(pickers).map(optional), ...appointmentOptions]),
	]),
];

/** A required field of Create becomes an optional one under Update Fields. */
function optional(field: INodeProperties): INodeProperties {
	const copy = { ...field };
	delete copy.required;
	return copy;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject> {
	const { endpoint } = readAppointmentEndpoint.call(this, itemIndex);
	const fields = readUpdateFields.call(this, itemIndex);
	// The changes are read first, so that a field that cannot be read fails before any request.
	const changes = applyAppointmentFields.call(
		this,
		{},
		fields,
		itemIndex,
		await api.defaultCountry(itemIndex),
	);
	// The API replaces the whole appointment, so the stored one is read and resent with the changes.
	return (await readAndResend(api, endpoint, itemIndex, (record) => {
		const stored = bodyOf(record);
		const body = { ...stored, ...changes };
		if (changes.client !== undefined) {
			body.client = {
				...(stored.client as IDataObject | undefined),
				...(changes.client as IDataObject),
			};
			// A new phone names another client, who is then found (or created) by that phone.
			if (fields.clientPhone !== undefined) delete (body.client as IDataObject).id;
		}
		// The API refuses a busy or non-working slot unless save_if_busy is on. An appointment that
		// keeps its time, length and team member holds its slot already, even an overbooked one, so
		// such an update is not refused for it; a move is checked unless Book Even If Busy is on.
		if (fields.saveIfBusy === undefined) body.save_if_busy = !moves(stored, body);
		return body;
	})) as IDataObject;
}

function moves(stored: IDataObject, body: IDataObject): boolean {
	const at = (value: unknown) => Date.parse(String(value));
	return (
		at(stored.datetime) !== at(body.datetime) ||
		stored.seance_length !== body.seance_length ||
		Number(stored.staff_id) !== Number(body.staff_id)
	);
}

/** The create/update body that describes an appointment as the API returned it. */
export function bodyOf(record: IDataObject): IDataObject {
	const body: IDataObject = {
		staff_id: record.staff_id,
		services: ((record.services as IDataObject[] | undefined) ?? []).map(
			({ id, first_cost, discount, cost, amount }) => ({
				id,
				first_cost,
				discount,
				cost,
				...(amount === undefined || amount === null ? {} : { amount }),
			}),
		),
		datetime: record.datetime,
		seance_length: record.seance_length,
		save_if_busy: false,
		send_sms: false,
	};
	const client = record.client as IDataObject | null | undefined;
	if (client) {
		// The API stores a phone with its country code, so no Default Country reads it. A user without
		// the right to see phones gets them masked (`+1426*****40`): such a phone is not sent back as
		// if it were a number; the client is named by its ID instead.
		const phone = normalizePhone(client.phone);
		const email =
			typeof client.email === 'string' && !client.email.includes('*') ? client.email : '';
		body.client = {
			...('phone' in phone
				? { phone: formatPhone(phone.phone, 'international') }
				: client.id !== undefined && client.id !== null
					? { id: client.id }
					: {}),
			...(client.name ? { name: client.name } : {}),
			...(email ? { email } : {}),
		};
	}
	for (const key of ['comment', 'attendance', 'api_id', 'custom_color']) {
		if (record[key] !== undefined && record[key] !== null) body[key] = record[key];
	}
	for (const key of ['sms_remain_hours', 'email_remain_hours', 'technical_break_duration']) {
		if (typeof record[key] === 'number') body[key] = record[key];
	}
	if (Number(record.activity_id) > 0) body.activity_id = record.activity_id;
	const labels = record.record_labels;
	if (Array.isArray(labels) && labels.length > 0) {
		body.record_labels = labels.map((label) => String((label as IDataObject).id));
	}
	const custom = record.custom_fields;
	if (
		typeof custom === 'object' &&
		custom !== null &&
		!Array.isArray(custom) &&
		Object.keys(custom).length > 0
	) {
		body.custom_fields = custom;
	}
	return body;
}
