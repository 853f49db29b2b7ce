import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { isRecord } from '../../helpers/records';
import type { AltegioApi } from '../../transport';
import { paginateByCursor } from '../../transport/paginate';
import { attendanceOptions, readAttendance } from '../appointment/appointment.fields';
import { locationLocator } from '../common.descriptions';
import { filtersField, pageFields, readLocation } from '../fields';
import { hasFilter, readDateFilters, readListParameters } from '../filters';
import { clientIdField, readClientId } from './client.fields';

export const option = {
	name: 'Get Visit History',
	value: 'getVisitHistory',
	description:
		"List a client's visits (appointments) at a location, newest first, optionally within dates or only with one attendance, such as no-shows. Changes nothing.",
	action: "Get a client's visit history (read-only)",
};

export const description: INodeProperties[] = [
	locationLocator,
	clientIdField,
	...pageFields(),
	filtersField([
		{
			displayName: 'Attendance',
			name: 'attendance',
			type: 'options',
			options: attendanceOptions,
			default: 'arrived',
			description: 'Only visits with this attendance',
		},
		{
			displayName: 'End Date',
			name: 'endDate',
			type: 'dateTime',
			default: '',
			description: 'Only visits on or before this date',
		},
		{
			displayName: 'Start Date',
			name: 'startDate',
			type: 'dateTime',
			default: '',
			description: 'Only visits on or after this date',
		},
	]),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject[]> {
	const locationId = readLocation.call(this, itemIndex);
	const clientId = readClientId.call(this, itemIndex);
	const { limit, filters } = readListParameters.call(this, itemIndex);
	const { from = null, to = null } = readDateFilters.call(this, filters, itemIndex);
	const attendance = hasFilter(filters, 'attendance')
		? readAttendance.call(this, filters.attendance, itemIndex)
		: null;

	// Every field of the body is documented as required (null where not wanted), and
	// `payment_statuses` must be an empty list when not filtered on.
	return await paginateByCursor.call(this, api, itemIndex, {
		limit,
		page: (cursor) => ({
			method: 'POST',
			endpoint: `/company/${locationId}/clients/visits/search`,
			body: {
				client_id: clientId,
				client_phone: null,
				from: cursor === undefined ? from : cursor.from,
				to: cursor === undefined ? to : cursor.to,
				payment_statuses: [],
				attendance,
			},
		}),
		// The documentation does not show the answer's `data`: the records of the visits, either as
		// the list itself or under `records` (beside the goods sold), are taken in either form.
		rows: (data) => {
			if (Array.isArray(data)) return data.filter(isRecord);
			if (isRecord(data) && Array.isArray(data.records)) return data.records.filter(isRecord);
			return undefined;
		},
	});
}
