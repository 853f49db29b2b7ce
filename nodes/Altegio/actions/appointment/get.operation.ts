import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { idField, readIdParameter, readLocation } from '../fields';

export const APPOINTMENT_EXAMPLE = 61000002;

export const appointmentIdField = idField(
	'Appointment ID',
	'appointmentId',
	APPOINTMENT_EXAMPLE,
	'ID of the appointment (record) at this location',
);

export const option = {
	name: 'Get',
	value: 'get',
	description:
		'Read one appointment of a location by its ID: time, team member, services, client and status. Changes nothing.',
	action: 'Get an appointment',
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
	return (await api.request({ endpoint: `/record/${locationId}/${id}`, itemIndex })) as IDataObject;
}
