import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { appointmentIdField, readAppointmentEndpoint } from './appointment.fields';

export const option = {
	name: 'Delete',
	value: 'delete',
	description:
		'Cancel an appointment by deleting it. This writes to Altegio and cannot be undone; the time becomes free again.',
	action: 'Delete an appointment (no undo; frees slot, may notify)',
};

export const writes = true;

export const description: INodeProperties[] = [locationLocator, appointmentIdField];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject> {
	const { id, endpoint } = readAppointmentEndpoint.call(this, itemIndex);
	await api.request({ method: 'DELETE', endpoint, itemIndex });
	return { deleted: true, id };
}
