import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { appointmentIdField, readAppointmentEndpoint } from './appointment.fields';

export const option = {
	name: 'Get',
	value: 'get',
	description:
		'Read one appointment of a location by its ID: time, team member, services, client and status. Changes nothing.',
	action: 'Get an appointment (read-only)',
};

export const description: INodeProperties[] = [locationLocator, appointmentIdField];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject> {
	const { endpoint } = readAppointmentEndpoint.call(this, itemIndex);
	return (await api.request({ endpoint, itemIndex })) as IDataObject;
}
