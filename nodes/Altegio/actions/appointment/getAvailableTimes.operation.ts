import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { readDate, readLocation } from '../fields';
import { listOf } from '../listOf';
import {
	byVersion,
	readServicesParameter,
	readTeamMemberParameter,
	servicesField,
	teamMemberField,
} from '../pickers';
import { serviceIdsQuery } from './appointment.fields';

export const option = {
	name: 'Get Available Times',
	value: 'getAvailableTimes',
	description:
		'List the start times a team member can still be booked at on a date for the given services, as online booking offers them. Each "datetime" can go straight into Create. Changes nothing.',
	action: 'Get available times for an appointment (read-only)',
};

export const description: INodeProperties[] = [
	locationLocator,
	...byVersion((pickers) => [
		teamMemberField(pickers, {
			required: true,
			description: 'The team member (staff) at this location whose free times to list',
			idDescription: 'ID of the team member (staff) at this location, from Team Member → Get Many',
		}),
	]),
	{
		displayName: 'Date',
		name: 'date',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'The day to look at, in the time zone of the location; only the date is used',
	},
	...byVersion((pickers) => [
		servicesField(pickers, {
			description: 'The services to book; their length decides which times fit',
			idDescription:
				'IDs of the services to book, separated by commas; their length decides which times fit',
		}),
	]),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject[]> {
	const locationId = readLocation.call(this, itemIndex);
	const teamMemberId = readTeamMemberParameter.call(this, itemIndex);
	const date = readDate.call(this, this.getNodeParameter('date', itemIndex, ''), 'date', itemIndex);
	const serviceIds = readServicesParameter.call(this, itemIndex);

	const query = serviceIdsQuery(serviceIds).join('&');
	// An endpoint of Altegio's public online-booking API, documented for the partner token alone.
	const data = await api.request({
		endpoint: `/book_times/${locationId}/${teamMemberId}/${date}${query ? `?${query}` : ''}`,
		itemIndex,
		partnerTokenOnly: true,
	});
	return listOf.call(this, data, 'available times', itemIndex);
}
