import { createHash, timingSafeEqual } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

import type { EventName, Status } from './events';
import { eventOfResource, STATUSES } from './events';

/** One delivery as Altegio sends it: `{company_id, resource, resource_id, status, data}`. */
export interface Envelope {
	company_id: number;
	resource: string;
	resource_id: number;
	status: Status;
	data: IDataObject | IDataObject[];
}

/** The item a delivery becomes. */
export interface TriggerItem extends IDataObject {
	resource: EventName;
	status: Status;
	resourceId: number;
	locationId: number;
	data: IDataObject | IDataObject[];
	receivedAt: string;
}

export interface Filter {
	events: readonly EventName[];
	statuses: readonly Status[];
	ignoreAttendanceUpdates: boolean;
}

/** Compares in constant time, so the secret cannot be guessed from response times. */
export function secretMatches(expected: unknown, given: unknown): boolean {
	if (typeof expected !== 'string' || expected === '' || typeof given !== 'string') return false;
	const a = createHash('sha256').update(expected).digest();
	const b = createHash('sha256').update(given).digest();
	return timingSafeEqual(a, b);
}

const isId = (value: unknown) =>
	(typeof value === 'number' && Number.isInteger(value) && value > 0) ||
	(typeof value === 'string' && /^[0-9]{1,15}$/.test(value) && Number(value) > 0);

/** The envelope of a request body, or why it is not one (the reason never quotes the body). */
export function parseEnvelope(body: unknown): { envelope: Envelope } | { problem: string } {
	if (typeof body !== 'object' || body === null || Array.isArray(body)) {
		return { problem: 'the body is not a JSON object' };
	}
	const value = body as IDataObject;
	const missing = ['company_id', 'resource', 'resource_id', 'status', 'data'].filter(
		(field) => value[field] === undefined,
	);
	if (missing.length > 0) return { problem: `the body has no ${missing.join(', ')}` };
	if (!isId(value.company_id)) return { problem: 'company_id is not a positive whole number' };
	if (!isId(value.resource_id)) return { problem: 'resource_id is not a positive whole number' };
	if (typeof value.resource !== 'string') return { problem: 'resource is not a string' };
	if (!(STATUSES as readonly unknown[]).includes(value.status)) {
		return { problem: 'status is not create, update or delete' };
	}
	if (typeof value.data !== 'object' || value.data === null) {
		return { problem: 'data is not an object' };
	}
	return {
		envelope: {
			company_id: Number(value.company_id),
			resource: value.resource,
			resource_id: Number(value.resource_id),
			status: value.status as Status,
			data: value.data as IDataObject | IDataObject[],
		},
	};
}

const ARRIVED = 1;
const NO_SHOW = -1;

/**
 * Marking a visit as arrived or as a no-show is an appointment `update` whose `attendance` (or
 * `visit_attendance`) is 1 or −1; a delivery carries no previous state to compare with.
 */
export function isAttendanceUpdate(envelope: Envelope): boolean {
	if (envelope.resource !== 'record' || envelope.status !== 'update') return false;
	if (Array.isArray(envelope.data)) return false;
	return [envelope.data.attendance, envelope.data.visit_attendance].some(
		(value) => Number(value) === ARRIVED || Number(value) === NO_SHOW,
	);
}

/** The event of a delivery when the user asked for it, else `undefined`. */
export function acceptedEvent(envelope: Envelope, filter: Filter): EventName | undefined {
	const event = eventOfResource(envelope.resource);
	if (event === undefined || !filter.events.includes(event)) return undefined;
	if (!filter.statuses.includes(envelope.status)) return undefined;
	if (filter.ignoreAttendanceUpdates && isAttendanceUpdate(envelope)) return undefined;
	return event;
}

export function toItem(envelope: Envelope, event: EventName, receivedAt: Date): TriggerItem {
	return {
		resource: event,
		status: envelope.status,
		resourceId: envelope.resource_id,
		locationId: envelope.company_id,
		data: envelope.data,
		receivedAt: receivedAt.toISOString(),
	};
}

/**
 * What makes two deliveries the same: a hash of the location, resource, id, status and the whole
 * `data`. Altegio's retries resend the same body, so they match; two changes of one record within
 * the same second differ in their data (the whole-second `last_change_date` alone would not tell
 * them apart), so neither is lost.
 */
export function deliveryKey(envelope: Envelope): string {
	return createHash('sha256')
		.update(
			JSON.stringify([
				envelope.company_id,
				envelope.resource,
				envelope.resource_id,
				envelope.status,
				envelope.data,
			]),
		)
		.digest('hex');
}

export const DEDUP_WINDOW_MS = 10 * 60_000;
const MAX_REMEMBERED = 10_000;

/**
 * Deliveries seen lately, per trigger node, kept in this process's memory: the check and the
 * record are one synchronous step, so two copies that arrive together cannot both pass, which
 * workflow static data (read from and saved to the database around each request) cannot promise.
 */
export class RecentDeliveries {
	private readonly seen = new Map<string, number>();

	constructor(
		private readonly windowMs = DEDUP_WINDOW_MS,
		private readonly limit = MAX_REMEMBERED,
	) {}

	/** Records the key; true when it was already seen within the window. */
	isRepeat(key: string, now: number): boolean {
		this.forgetBefore(now - this.windowMs);
		const last = this.seen.get(key);
		if (last !== undefined && last > now - this.windowMs) return true;
		this.seen.delete(key);
		this.seen.set(key, now);
		while (this.seen.size > this.limit) {
			this.seen.delete(this.seen.keys().next().value as string);
		}
		return false;
	}

	private forgetBefore(cutoff: number) {
		for (const [key, at] of this.seen) {
			if (at > cutoff) break;
			this.seen.delete(key);
		}
	}
}
