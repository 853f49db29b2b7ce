import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isRecord } from '../../helpers/records';
import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { dateRangeFields, readDateRange, readLocation } from '../fields';
import {
	byVersion,
	isGiven,
	readServicesParameter,
	readTeamMember,
	servicesField,
	teamMemberField,
} from '../pickers';
import { serviceIdsQuery } from './appointment.fields';

export const option = {
	name: 'Get Available Dates',
	value: 'getAvailableDates',
	description:
		'List the dates between two days on which a team member (or any team member) can still be booked for the given services, as online booking offers them; one item { "date" } per date. Changes nothing.',
	action: 'Get available dates for an appointment (read-only)',
};

export const description: INodeProperties[] = [
	locationLocator,
	...byVersion((pickers) => [
		teamMemberField(pickers, {
			description: 'The team member (staff) at this location; leave empty for any team member',
			idDescription:
				'ID of the team member (staff) at this location, from Team Member → Get Many; leave empty for any team member',
		}),
		servicesField(pickers, {
			description: 'The services to book',
			idDescription: 'IDs of the services to book, separated by commas, from Service → Get Many',
		}),
	]),
	...dateRangeFields({
		start: 'The first day to look at, in the time zone of the location; only the date is used',
		end: 'The last day to look at; only the date is used',
	}),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject[]> {
	const locationId = readLocation.call(this, itemIndex);
	const member = this.getNodeParameter('teamMemberId', itemIndex, '');
	const teamMemberId = isGiven(member) ? readTeamMember.call(this, member, itemIndex) : 0;
	const serviceIds = readServicesParameter.call(this, itemIndex);
	const { from, to } = readDateRange.call(this, itemIndex);

	// `date_from` and `date_to` go together.
	const query = [
		...serviceIdsQuery(serviceIds),
		`staff_id=${teamMemberId}`,
		`date_from=${from}`,
		`date_to=${to}`,
	].join('&');
	// An endpoint of Altegio's public online-booking API, documented for the partner token alone.
	const data = await api.request({
		endpoint: `/book_dates/${locationId}?${query}`,
		itemIndex,
		partnerTokenOnly: true,
	});
	// The online-booking page documents `data.booking_dates`; other sources show `data` as the list
	// of dates itself. Both are read.
	const dates = Array.isArray(data) ? data : isRecord(data) ? data.booking_dates : undefined;
	if (data === null || data === undefined) return [];
	if (!Array.isArray(dates) || dates.some((date) => typeof date !== 'string')) {
		throw new NodeOperationError(
			this.getNode(),
			`The Altegio API returned the available dates in an unexpected shape [item ${itemIndex}]`,
			{
				itemIndex,
				description:
					'Expected a list of dates in "booking_dates" in the "data" field of the response',
			},
		);
	}
	return (dates as string[]).map((date) => ({ date: date.slice(0, 10) }));
}
