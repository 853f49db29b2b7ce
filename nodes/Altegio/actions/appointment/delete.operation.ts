import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { readIdParameter, readLocation } from '../fields';
import { APPOINTMENT_EXAMPLE, appointmentIdField } from './get.operation';

export const option = {
	name: 'Delete',
	value: 'delete',
	description:
		'Cancel an appointment by deleting it. This writes to Altegio and cannot be undone; the time becomes free again.',
	action: 'Delete an appointment',
};

export const description: INodeProperties[] = [locationLocator, appointmentIdField];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject> {
	const locationId = readLocation.call(this, itemIndex);
	const id = readIdParameter.call(
		this,
		'appointmentId',
		'appointment',
		itemIndex,
		APPOINTMENT_EXAMPLE,
	);
	await api.request({ method: 'DELETE', endpoint: `/record/${locationId}/${id}`, itemIndex });
	return { deleted: true, id };
}
