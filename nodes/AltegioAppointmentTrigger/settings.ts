import type { IDataObject, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { locatorValue, SERVICE_EXAMPLE, TEAM_MEMBER_EXAMPLE } from '../Altegio/actions/pickers';
import type { AttendanceName, EventName, Filters } from './events';
import { ATTENDANCE, EVENTS } from './events';

export interface Settings {
	locationId: string;
	event: EventName;
	/** Hours Before (startsSoon) or Hours After (ended), in milliseconds; 0 for change events. */
	hoursMs: number;
	filters: Filters;
}

const MAX_HOURS = 720;

function problem(context: IPollFunctions, message: string, description: string) {
	return new NodeOperationError(context.getNode(), message, { description });
}

function readWhole(value: unknown): number | undefined {
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	return /^[0-9]{1,15}$/.test(text) && Number(text) > 0 ? Number(text) : undefined;
}

/** Reads and checks the node's parameters. */
export function readSettings(this: IPollFunctions): Settings {
	const location = this.getNodeParameter('locationId', '', { extractValue: true });
	const locationId = readWhole(location);
	if (locationId === undefined) {
		throw problem(
			this,
			`The location ID "${String(location ?? '').slice(0, 40)}" is not a positive whole number`,
			'Pick the location from the list, or enter its numeric ID, such as 38726',
		);
	}
	const event = this.getNodeParameter('event', 'startsSoon') as EventName;
	if (!EVENTS.includes(event)) {
		throw problem(this, `Unknown event "${String(event)}"`, `Choose one of: ${EVENTS.join(', ')}`);
	}

	let hoursMs = 0;
	if (event === 'startsSoon' || event === 'ended') {
		const name = event === 'startsSoon' ? 'hoursBefore' : 'hoursAfter';
		const label = event === 'startsSoon' ? 'Hours Before' : 'Hours After';
		const hours = Number(this.getNodeParameter(name, event === 'startsSoon' ? 24 : 2));
		const low = event === 'startsSoon' ? 0 : -1;
		if (!Number.isFinite(hours) || hours <= low || hours > MAX_HOURS) {
			throw problem(
				this,
				`${label} must be a number of hours ${event === 'startsSoon' ? 'above 0' : 'from 0'} up to ${MAX_HOURS}`,
				`Enter the hours as a number, such as ${event === 'startsSoon' ? 24 : 2}`,
			);
		}
		hoursMs = Math.round(hours * 3_600_000);
	}

	const raw = this.getNodeParameter('filters', {}) as IDataObject;
	const filters: Filters = { serviceIds: [], attendance: [] };
	// The team member is a resource locator, its value picked, typed or an expression's result.
	const member = locatorValue(raw.teamMemberId);
	if (member !== undefined && member !== null && String(member).trim() !== '') {
		filters.teamMemberId = readWhole(member);
		if (filters.teamMemberId === undefined) {
			throw problem(
				this,
				`The team member ID "${String(member).slice(0, 40)}" is not a positive whole number`,
				`Pick the team member from the list, or enter its numeric ID, such as ${TEAM_MEMBER_EXAMPLE}, or remove the filter`,
			);
		}
	}
	// Services picked from the list are a list of IDs; an expression may give "8271531, 8271532".
	const services = raw.serviceIds;
	const parts = Array.isArray(services)
		? (services as unknown[])
		: services === undefined || services === null
			? []
			: String(services).split(',');
	for (const part of parts) {
		if (String(part ?? '').trim() === '') continue;
		const id = readWhole(part);
		if (id === undefined) {
			throw problem(
				this,
				`The service ID "${String(part).trim().slice(0, 40)}" is not a positive whole number`,
				`Pick the services from the list, or give numeric service IDs separated by commas, such as ${SERVICE_EXAMPLE}, ${SERVICE_EXAMPLE + 1}`,
			);
		}
		filters.serviceIds.push(id);
	}
	for (const name of (Array.isArray(raw.attendance) ? raw.attendance : []) as string[]) {
		if (!(name in ATTENDANCE)) {
			throw problem(
				this,
				`Unknown attendance "${String(name)}"`,
				`Choose from: ${Object.keys(ATTENDANCE).join(', ')}`,
			);
		}
		filters.attendance.push(ATTENDANCE[name as AttendanceName]);
	}
	filters.serviceIds.sort((a, b) => a - b);
	filters.attendance.sort((a, b) => a - b);
	return { locationId: String(locationId), event, hoursMs, filters };
}

/** What the saved state belongs to: other settings start over from now. */
export function fingerprint(settings: Settings): string {
	return JSON.stringify([
		settings.locationId,
		settings.event,
		settings.hoursMs,
		settings.filters.teamMemberId ?? null,
		settings.filters.serviceIds,
		settings.filters.attendance,
	]);
}
