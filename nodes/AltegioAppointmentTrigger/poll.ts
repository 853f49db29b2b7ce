import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Zone } from '../Altegio/helpers/zone';
import { localDate, localIso, wallTimeNotAfter } from '../Altegio/helpers/zone';
import type { AltegioApi } from '../Altegio/transport';
import { createApi } from '../Altegio/transport';
import { readRecords, readZone } from './api';
import { clock } from './clock';
import type { Appointment, Due } from './events';
import {
	CHANGE_EVENTS,
	changeEvents,
	endedBy,
	inOrder,
	matches,
	readAppointment,
	startingSoon,
} from './events';
import type { Settings } from './settings';
import { fingerprint, readSettings } from './settings';
import type { PollState } from './state';
import { loadState, prune, saveState } from './state';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** How far back the trigger catches up after n8n was stopped: the README states it. */
export const CATCH_UP_MS = 7 * DAY;
/** Change events read this far behind the cursor, for clocks that differ and late writes. */
export const OVERLAP_MS = 10 * 60_000;
/** Appointments marked (arrived, say) up to this long after their follow-up time still count. */
export const LATE_MS = DAY;
/** The longest appointment the Ended window allows for. */
const MAX_LENGTH_MS = DAY;
/** The location's time zone is read again after this long. */
const ZONE_MAX_AGE_MS = DAY;

interface Poll {
	context: IPollFunctions;
	api: AltegioApi;
	settings: Settings;
	zone: Zone;
	now: number;
}

export async function poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings.call(this);
	const api = createApi(this);
	const now = clock.now();

	if (this.getMode() === 'manual') {
		const zone = await readZone(this, api, settings.locationId);
		return [[await sample({ context: this, api, settings, zone, now })]];
	}

	const staticData = this.getWorkflowStaticData('node');
	const { state, fresh } = loadState(staticData, fingerprint(settings), now);
	const zone = await zoneOf(this, api, settings.locationId, state, now, fresh);
	const run: Poll = { context: this, api, settings, zone, now };

	const items = fresh ? await start(run, state) : await step(run, state);
	state.lastPollAt = now;
	const dropped = prune(state, keepFrom(run, state));
	if (dropped > 0) {
		this.logger.warn(
			`Altegio Appointment Trigger: forgot ${dropped} emitted appointments early to keep its saved state small`,
		);
	}
	saveState(staticData, state);
	return items.length === 0 ? null : [items];
}

async function zoneOf(
	context: IPollFunctions,
	api: AltegioApi,
	locationId: string,
	state: PollState,
	now: number,
	fresh: boolean,
): Promise<Zone> {
	const saved = state.zone;
	if (
		!fresh &&
		saved !== undefined &&
		now - saved.readAt < ZONE_MAX_AGE_MS &&
		now >= saved.readAt
	) {
		return saved.fixedOffset === undefined
			? { id: saved.id }
			: { id: saved.id, fixedOffset: saved.fixedOffset };
	}
	const zone = await readZone(context, api, locationId);
	state.zone = { ...zone, readAt: now };
	return zone;
}

/** The earliest moment a kept key can still matter for. */
function keepFrom({ settings, now }: Poll, state: PollState): number {
	if (settings.event === 'startsSoon') return now;
	if (settings.event === 'ended') return endedFloor(state, now);
	return now - OVERLAP_MS;
}

function endedFloor(state: PollState, now: number): number {
	return Math.max(state.startedAt, now - CATCH_UP_MS, Math.min(state.lastPollAt, now - LATE_MS));
}

/** The first poll: nothing that happened before counts. */
async function start(run: Poll, state: PollState): Promise<INodeExecutionData[]> {
	if (CHANGE_EVENTS.includes(run.settings.event)) state.cursor = run.now;
	if (run.settings.event === 'startsSoon') {
		// Appointments already within the hours when the trigger starts are not reminded.
		for (const due of startingSoon(
			await window(run),
			run.settings.filters,
			run.now,
			run.settings.hoursMs,
		)) {
			state.emitted[due.key] = due.keepUntil;
		}
	}
	return [];
}

async function step(run: Poll, state: PollState): Promise<INodeExecutionData[]> {
	const { settings, now, zone } = run;
	const log = run.context.logger;
	const prefix = 'Altegio Appointment Trigger';
	let due: Due[];
	let notice: string | undefined;

	if (CHANGE_EVENTS.includes(settings.event)) {
		const cursor = state.cursor ?? state.lastPollAt;
		let from = cursor - OVERLAP_MS;
		if (cursor < now - CATCH_UP_MS) {
			from = now - CATCH_UP_MS;
			notice = `This trigger did not poll from ${localIso(zone, cursor)} to ${localIso(zone, now)}. It catches up at most 7 days, so changes before ${localIso(zone, from)} were not read.`;
		}
		const floor = Math.max(from, Math.floor(state.startedAt / 1000) * 1000);
		const qs: IDataObject = { changed_after: wallTimeNotAfter(zone, from), with_deleted: 1 };
		if (settings.filters.teamMemberId !== undefined) qs.staff_id = settings.filters.teamMemberId;
		const records = await readRecords(run.context, run.api, settings.locationId, qs);
		due = changeEvents(settings.event, appointmentsOf(zone, records), settings.filters, floor);
		state.cursor = now;
	} else if (settings.event === 'startsSoon') {
		if (now - state.lastPollAt > settings.hoursMs) {
			log.warn(
				`${prefix}: no poll from ${localIso(zone, state.lastPollAt)} to ${localIso(zone, now)}; appointments that started after ${localIso(zone, state.lastPollAt + settings.hoursMs)} got no reminder`,
			);
		}
		due = startingSoon(await window(run), settings.filters, now, settings.hoursMs);
	} else {
		const floor = endedFloor(state, now);
		if (state.lastPollAt < now - CATCH_UP_MS) {
			notice = `This trigger did not poll from ${localIso(zone, state.lastPollAt)} to ${localIso(zone, now)}. It catches up at most 7 days, so appointments due before ${localIso(zone, floor)} were not emitted.`;
		}
		due = endedBy(await window(run, floor), settings.filters, floor, now, settings.hoursMs);
	}
	if (notice !== undefined) log.warn(`${prefix}: ${notice}`);

	const items: INodeExecutionData[] = [];
	for (const entry of inOrder(due)) {
		if (state.emitted[entry.key] !== undefined) continue;
		state.emitted[entry.key] = entry.keepUntil;
		items.push(toItem(run, entry.appointment, notice));
	}
	return items;
}

/**
 * The appointments of the days a time event looks at, in the location's time zone: from now to
 * Hours Before ahead, or back from Hours After ago to the floor.
 */
async function window(run: Poll, floor?: number): Promise<Appointment[]> {
	const { settings, now, zone } = run;
	const [from, to] =
		settings.event === 'startsSoon'
			? [now, now + settings.hoursMs]
			: [(floor ?? now) - settings.hoursMs - MAX_LENGTH_MS, now - settings.hoursMs];
	const qs: IDataObject = { start_date: localDate(zone, from), end_date: localDate(zone, to) };
	if (settings.filters.teamMemberId !== undefined) qs.staff_id = settings.filters.teamMemberId;
	return appointmentsOf(zone, await readRecords(run.context, run.api, settings.locationId, qs));
}

function appointmentsOf(zone: Zone, records: IDataObject[]): Appointment[] {
	return records
		.map((record) => readAppointment(zone, record))
		.filter((appointment): appointment is Appointment => appointment !== undefined);
}

function toItem(run: Poll, appointment: Appointment, notice?: string): INodeExecutionData {
	const json: IDataObject = {
		event: run.settings.event,
		locationId: Number(run.settings.locationId),
		appointmentId: appointment.id,
		timeZone: run.zone.id,
		data: appointment.record,
	};
	if (notice !== undefined) json.notice = notice;
	return { json };
}

/** "Fetch Test Event": the most recent matching appointment, without touching the saved state. */
async function sample(run: Poll): Promise<INodeExecutionData> {
	const { settings, now, zone } = run;
	const filters = settings.filters;
	let found: Appointment | undefined;
	if (CHANGE_EVENTS.includes(settings.event)) {
		const qs: IDataObject = {
			changed_after: wallTimeNotAfter(zone, now - CATCH_UP_MS),
			with_deleted: 1,
		};
		if (filters.teamMemberId !== undefined) qs.staff_id = filters.teamMemberId;
		const records = await readRecords(run.context, run.api, settings.locationId, qs);
		const due = changeEvents(
			settings.event,
			appointmentsOf(zone, records),
			filters,
			now - CATCH_UP_MS,
		);
		found = inOrder(due).pop()?.appointment;
	} else {
		const ahead = settings.event === 'startsSoon';
		const [from, to] = ahead
			? [now, now + Math.max(settings.hoursMs, CATCH_UP_MS)]
			: [now - CATCH_UP_MS - settings.hoursMs - MAX_LENGTH_MS, now];
		const qs: IDataObject = { start_date: localDate(zone, from), end_date: localDate(zone, to) };
		if (filters.teamMemberId !== undefined) qs.staff_id = filters.teamMemberId;
		const appointments = appointmentsOf(
			zone,
			await readRecords(run.context, run.api, settings.locationId, qs),
		).filter((appointment) => !appointment.deleted && matches(appointment, filters));
		if (ahead) {
			found = appointments
				.filter((appointment) => appointment.start !== undefined && appointment.start > now)
				.sort((a, b) => (a.start as number) - (b.start as number))[0];
		} else {
			found = endedBy(appointments, filters, now - CATCH_UP_MS, now, settings.hoursMs).sort(
				(a, b) => b.at - a.at,
			)[0]?.appointment;
		}
	}
	if (found === undefined) {
		const span = settings.event === 'startsSoon' ? 'in the next 7 days' : 'in the last 7 days';
		throw new NodeOperationError(
			run.context.getNode(),
			`No appointment of location ${settings.locationId} matches this event and the filters ${span}`,
			{
				description:
					'Create or change an appointment in Altegio that matches, or loosen the filters, then fetch a test event again',
			},
		);
	}
	return toItem(run, found);
}
