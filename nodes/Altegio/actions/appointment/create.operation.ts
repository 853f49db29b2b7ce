import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { readLocation } from '../fields';
import { byVersion } from '../pickers';
import {
	appointmentFields,
	appointmentOptions,
	applyAppointmentFields,
} from './appointment.fields';

export const option = {
	name: 'Create',
	value: 'create',
	description:
		'Book a new appointment at a location: a team member, one or more services, a start time and length, and the client by phone. This writes to Altegio and may text the client.',
	action: 'Create an appointment (writes; may text the client)',
};

export const writes = true;

export const description: INodeProperties[] = [
	locationLocator,
	...byVersion(appointmentFields),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: appointmentOptions,
	},
];

const REQUIRED = ['teamMemberId', 'serviceIds', 'startAt', 'durationMinutes', 'clientPhone'];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject | IDataObject[]> {
	const locationId = readLocation.call(this, itemIndex);
	const fields: IDataObject = {};
	for (const name of [...REQUIRED, 'clientName']) {
		fields[name] = this.getNodeParameter(name, itemIndex, '');
	}
	const extra = this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
	// YCLIENTS requires both flags, so they are always sent.
	const body = applyAppointmentFields.call(
		this,
		{ save_if_busy: false, send_sms: false },
		{ ...fields, ...extra },
		itemIndex,
		await api.defaultCountry(itemIndex),
	);
	return (await api.request({
		method: 'POST',
		endpoint: `/records/${locationId}`,
		body,
		itemIndex,
	})) as IDataObject | IDataObject[];
}
