import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { toRecords } from '../../helpers/records';
import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { dateRangeFields, readDateRange, readLocation } from '../fields';
import { byVersion, readTeamMemberParameter, teamMemberField } from '../pickers';

export const option = {
	name: 'Get Schedule',
	value: 'getSchedule',
	description:
		'List the working hours of a team member between two days, one item per day: "is_working" and the "slots" ({ "from", "to" }, local time) they work. A day off has "is_working" false and no slots. Changes nothing.',
	action: "Get a team member's schedule (read-only)",
};

export const description: INodeProperties[] = [
	locationLocator,
	...byVersion((pickers) => [
		teamMemberField(pickers, {
			required: true,
			description: 'The team member (staff) at this location whose working hours to list',
			idDescription: 'ID of the team member (staff) at this location, from Team Member → Get Many',
		}),
	]),
	...dateRangeFields({
		start: 'The first day, in the time zone of the location; only the date is used',
		end: 'The last day; only the date is used',
	}),
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject[]> {
	const locationId = readLocation.call(this, itemIndex);
	const teamMemberId = readTeamMemberParameter.call(this, itemIndex);
	const { from, to } = readDateRange.call(this, itemIndex);
	const data = await api.request({
		endpoint: `/schedule/${locationId}/${teamMemberId}/${from}/${to}`,
		itemIndex,
	});
	const days = new Map<string, IDataObject>();
	for (const day of toRecords.call(this, data, itemIndex, 'schedule days')) {
		days.set(String(day.date).slice(0, 10), day);
	}
	// The documentation does not show the answer. Public integrations show one entry per day,
	// `{ date, is_working, slots }`, with `is_working` as true/false or as 1/0, and do not say
	// whether a day off is listed without slots or left out. Both are read: `is_working` becomes
	// true or false, and a day of the range that is not listed is a day off.
	return datesBetween(from, to).map((date) => {
		const day = days.get(date);
		if (day === undefined) return { date, is_working: false, slots: [] };
		const slots = Array.isArray(day.slots) ? day.slots : [];
		const working =
			day.is_working === undefined || day.is_working === null
				? slots.length > 0
				: day.is_working === true || Number(day.is_working) === 1;
		return { ...day, date, is_working: working, slots };
	});
}

function datesBetween(from: string, to: string): string[] {
	const dates: string[] = [];
	for (
		let day = Date.parse(`${from}T00:00:00Z`);
		day <= Date.parse(`${to}T00:00:00Z`);
		day += 86400000
	) {
		dates.push(new Date(day).toISOString().slice(0, 10));
	}
	return dates;
}
