import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { readDate, readId, readIdList, readLocation } from '../fields';
import { listOf } from '../listOf';
import { SERVICE_EXAMPLE, TEAM_MEMBER_EXAMPLE, teamMemberIdField } from './appointment.fields';

export const option = {
	name: 'Get Available Times',
	value: 'getAvailableTimes',
	description:
		'List the start times a team member can still be booked at on a date for the given services, as online booking offers them. Each "datetime" can go straight into Create. Changes nothing.',
	action: 'Get available times for an appointment (read-only)',
};

export const description: INodeProperties[] = [
	locationLocator,
	teamMemberIdField,
	{
		displayName: 'Date',
		name: 'date',
		type: 'dateTime',
		required: true,
		default: '',
		description: 'The day to look at, in the time zone of the location; only the date is used',
	},
	{
		displayName: 'Service IDs',
		name: 'serviceIds',
		type: 'string',
		default: '',
		placeholder: `e.g. ${SERVICE_EXAMPLE}, ${SERVICE_EXAMPLE + 1}`,
		description:
			'IDs of the services to book, separated by commas; their length decides which times fit',
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject[]> {
	const locationId = readLocation.call(this, itemIndex);
	const teamMemberId = readId.call(
		this,
		this.getNodeParameter('teamMemberId', itemIndex, ''),
		'team member',
		itemIndex,
		TEAM_MEMBER_EXAMPLE,
	);
	const date = readDate.call(this, this.getNodeParameter('date', itemIndex, ''), 'date', itemIndex);
	const services = this.getNodeParameter('serviceIds', itemIndex, '');
	const given = Array.isArray(services)
		? services.length > 0
		: String(services ?? '').trim() !== '';
	const serviceIds = given
		? readIdList.call(this, services, 'service', itemIndex, SERVICE_EXAMPLE)
		: [];

	// The documented `service_ids[]=…` form; a list in `qs` would be sent as `service_ids[0]=…`.
	const query = serviceIds.map((id) => `service_ids%5B%5D=${id}`).join('&');
	// An endpoint of Altegio's public online-booking API, documented for the partner token alone.
	const data = await api.request({
		endpoint: `/book_times/${locationId}/${teamMemberId}/${date}${query ? `?${query}` : ''}`,
		itemIndex,
		partnerTokenOnly: true,
	});
	return listOf.call(this, data, 'available times', itemIndex);
}
