import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { Zone } from '../Altegio/helpers/zone';
import { parseApiTime } from '../Altegio/helpers/zone';

export const EVENTS = ['created', 'changed', 'cancelled', 'startsSoon', 'ended'] as const;
export type EventName = (typeof EVENTS)[number];

export const CHANGE_EVENTS: readonly EventName[] = ['created', 'changed', 'cancelled'];

/** Attendance as the API codes it. */
export const ATTENDANCE = { confirmed: 2, arrived: 1, waiting: 0, noShow: -1 } as const;
export type AttendanceName = keyof typeof ATTENDANCE;

export interface Filters {
	teamMemberId?: number;
	serviceIds: number[];
	attendance: number[];
}

/** An appointment as the API returns it, with the moments the trigger works with. */
export interface Appointment {
	record: IDataObject;
	id: number;
	start?: number;
	end?: number;
	createdAt?: number;
	changedAt?: number;
	deleted: boolean;
}

/** One appointment that meets the event now. */
export interface Due {
	appointment: Appointment;
	key: string;
	/** When it met the event: the order of the items. */
	at: number;
	/** After this moment the key can no longer come back. */
	keepUntil: number;
}

const toNumber = (value: unknown): number | undefined => {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
};

/** Reads an appointment; `undefined` for a row without an ID. */
export function readAppointment(zone: Zone, record: IDataObject): Appointment | undefined {
	const id = toNumber(record.id);
	if (id === undefined) return undefined;
	const start = parseApiTime(zone, record.datetime) ?? parseApiTime(zone, record.date);
	const length = toNumber(record.seance_length) ?? toNumber(record.length) ?? 0;
	return {
		record,
		id,
		start,
		end: start === undefined ? undefined : start + length * 1000,
		createdAt: parseApiTime(zone, record.create_date),
		changedAt: parseApiTime(zone, record.last_change_date),
		deleted: record.deleted === true || record.deleted === 1 || record.deleted === '1',
	};
}

const serviceIdsOf = (record: IDataObject): number[] =>
	(Array.isArray(record.services) ? (record.services as IDataObject[]) : [])
		.map((service) => toNumber(service?.id))
		.filter((id): id is number => id !== undefined);

export function matches({ record }: Appointment, filters: Filters): boolean {
	if (filters.teamMemberId !== undefined) {
		const staffId = toNumber(record.staff_id) ?? toNumber((record.staff as IDataObject)?.id);
		if (staffId !== filters.teamMemberId) return false;
	}
	if (filters.serviceIds.length > 0) {
		const ids = serviceIdsOf(record);
		if (!ids.some((id) => filters.serviceIds.includes(id))) return false;
	}
	if (filters.attendance.length > 0) {
		const attendance = toNumber(record.attendance) ?? toNumber(record.visit_attendance);
		if (attendance === undefined || !filters.attendance.includes(attendance)) return false;
	}
	return true;
}

/**
 * The change events among appointments read with `changed_after`, for changes at or after
 * `floor`. `created` is keyed by the appointment, `changed` by the appointment, its
 * `last_change_date` and what it holds (see changeKey), `cancelled` by the appointment. Assumption: deleting an appointment sets its
 * `last_change_date`, and a created one has `create_date` equal to its `last_change_date` until it
 * changes (the documentation shows both fields but says neither).
 */
export function changeEvents(
	event: EventName,
	appointments: Appointment[],
	filters: Filters,
	floor: number,
): Due[] {
	const due: Due[] = [];
	for (const appointment of appointments) {
		const { id, createdAt, changedAt, deleted } = appointment;
		if (!matches(appointment, filters)) continue;
		if (event === 'created') {
			if (deleted || createdAt === undefined || createdAt < floor) continue;
			due.push({ appointment, key: `${id}`, at: createdAt, keepUntil: createdAt });
		} else if (event === 'changed') {
			if (deleted || changedAt === undefined || changedAt < floor) continue;
			if (createdAt !== undefined && changedAt <= createdAt) continue;
			due.push({ appointment, key: changeKey(appointment), at: changedAt, keepUntil: changedAt });
		} else if (event === 'cancelled') {
			if (!deleted || changedAt === undefined || changedAt < floor) continue;
			due.push({ appointment, key: `${id}`, at: changedAt, keepUntil: changedAt });
		}
	}
	return due;
}

/**
 * A change of an appointment: its ID, its whole-second `last_change_date`, and a hash of the record,
 * so that a second change within the same second, seen by a later poll, is not taken for the first.
 * The client inside the record counts by who it is, not by figures such as its visit count, which
 * other appointments change.
 */
function changeKey({ id, changedAt, record }: Appointment): string {
	const client = record.client as IDataObject | null | undefined;
	const who =
		client !== null && typeof client === 'object'
			? [client.id, client.name, client.surname, client.phone, client.email]
			: client;
	const hash = createHash('sha256')
		.update(JSON.stringify({ ...record, client: who }))
		.digest('hex')
		.slice(0, 16);
	return `${id}@${changedAt}#${hash}`;
}

/**
 * Appointments that start within `hoursMs` after `now` and are still on: keyed by the appointment
 * and its start, so a moved appointment meets the event again for its new time.
 */
export function startingSoon(
	appointments: Appointment[],
	filters: Filters,
	now: number,
	hoursMs: number,
): Due[] {
	return appointments
		.filter(
			(appointment) =>
				!appointment.deleted &&
				appointment.start !== undefined &&
				appointment.start > now &&
				appointment.start <= now + hoursMs &&
				matches(appointment, filters),
		)
		.map((appointment) => ({
			appointment,
			key: `${appointment.id}@${appointment.start}`,
			at: appointment.start as number,
			keepUntil: appointment.start as number,
		}));
}

/**
 * Appointments still on whose end lies `hoursMs` in the past at a moment after `floor` and up to
 * `now`: keyed by the appointment and its end.
 */
export function endedBy(
	appointments: Appointment[],
	filters: Filters,
	floor: number,
	now: number,
	hoursMs: number,
): Due[] {
	const due: Due[] = [];
	for (const appointment of appointments) {
		if (appointment.deleted || appointment.end === undefined) continue;
		const moment = appointment.end + hoursMs;
		if (moment <= floor || moment > now || !matches(appointment, filters)) continue;
		due.push({
			appointment,
			key: `${appointment.id}@${appointment.end}`,
			at: moment,
			keepUntil: moment,
		});
	}
	return due;
}

/** Each key once, in the order the appointments met the event. */
export function inOrder(due: Due[]): Due[] {
	const seen = new Set<string>();
	return [...due]
		.sort((a, b) => a.at - b.at || a.appointment.id - b.appointment.id)
		.filter((entry) => !seen.has(entry.key) && seen.add(entry.key) !== undefined);
}
