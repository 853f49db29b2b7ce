import type { IDataObject } from 'n8n-workflow';

import type { AltegioApi } from '../transport';

/**
 * The location's time zone: wall times as the Altegio API reads and writes them, and the instants
 * they stand for. An IANA zone follows daylight saving; a zone known only by its offset does not.
 */
export interface Zone {
	/** The IANA name (`America/New_York`) or, for a fixed offset, the offset (`-05:00`). */
	id: string;
	/** Set for a zone known only by its offset, in minutes east of UTC. */
	fixedOffset?: number;
}

const HOUR = 3_600_000;
const WALL =
	/^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
	let format = formatters.get(zone);
	if (format === undefined) {
		format = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		formatters.set(zone, format);
	}
	return format;
}

/** A zone from an IANA name, or `undefined` when this runtime does not know the name. */
export function namedZone(name: string): Zone | undefined {
	try {
		formatter(name);
		return { id: name };
	} catch {
		return undefined;
	}
}

export function offsetLabel(minutes: number): string {
	const sign = minutes < 0 ? '-' : '+';
	const abs = Math.abs(minutes);
	return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** A zone that is always `minutes` east of UTC. */
export function fixedZone(minutes: number): Zone {
	return { id: offsetLabel(minutes), fixedOffset: minutes };
}

/** The zone's offset from UTC at an instant, in minutes. */
export function offsetAt(zone: Zone, ms: number): number {
	if (zone.fixedOffset !== undefined) return zone.fixedOffset;
	const parts = Object.fromEntries(
		formatter(zone.id)
			.formatToParts(new Date(ms))
			.map((part) => [part.type, part.value]),
	);
	const local = Date.UTC(
		Number(parts.year),
		Number(parts.month) - 1,
		Number(parts.day),
		Number(parts.hour),
		Number(parts.minute),
		Number(parts.second),
	);
	return Math.round((local - Math.floor(ms / 1000) * 1000) / 60_000);
}

/** The wall time at an instant, as the API writes it without an offset: `2026-01-21T23:00:00`. */
export function wallTime(zone: Zone, ms: number): string {
	return new Date(ms + offsetAt(zone, ms) * 60_000).toISOString().slice(0, 19);
}

/** The wall time with the zone's offset at that instant: `2026-01-21T23:00:00-05:00`. */
export function localIso(zone: Zone, ms: number): string {
	return `${wallTime(zone, ms)}${offsetLabel(offsetAt(zone, ms))}`;
}

/** The local date at an instant: `2026-01-21`. */
export function localDate(zone: Zone, ms: number): string {
	return wallTime(zone, ms).slice(0, 10);
}

/**
 * The instants a wall time stands for, earliest first: two in the hour that repeats when clocks go
 * back, none in the hour skipped when they go forward.
 */
export function instantsOf(zone: Zone, wall: string): number[] {
	const match = WALL.exec(wall);
	if (!match) return [];
	const [, y, mo, d, h, mi, s] = match;
	const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, Number(s ?? 0));
	const offsets = new Set([offsetAt(zone, utc - 24 * HOUR), offsetAt(zone, utc + 24 * HOUR)]);
	const target = `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}`;
	return [...offsets]
		.map((offset) => utc - offset * 60_000)
		.filter((ms) => wallTime(zone, ms) === target)
		.sort((a, b) => a - b);
}

/**
 * A date and time from the API. With an offset it is exact; without one it is the location's wall
 * time, read as its earlier instant when clocks went back and as the later offset's reading when
 * they went forward.
 */
export function parseApiTime(zone: Zone, text: unknown): number | undefined {
	if (typeof text !== 'string') return undefined;
	const match = WALL.exec(text.trim());
	if (!match) return undefined;
	const [, y, mo, d, h, mi, s, offset] = match;
	const utc = Date.UTC(+y, +mo - 1, +d, +h, +mi, Number(s ?? 0));
	if (Number.isNaN(utc)) return undefined;
	if (offset !== undefined) {
		if (offset === 'Z') return utc;
		const digits = offset.replace(':', '');
		const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5));
		return utc - (digits[0] === '-' ? -minutes : minutes) * 60_000;
	}
	const instants = instantsOf(zone, `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}`);
	return instants[0] ?? utc - offsetAt(zone, utc - 24 * HOUR) * 60_000;
}

/**
 * The wall time to send as a lower bound such as `changed_after`: no reading of it lies after
 * `ms`, so the API never starts later than asked when the wall time falls in a repeated hour.
 */
export function wallTimeNotAfter(zone: Zone, ms: number): string {
	let at = ms;
	for (let step = 0; step < 4; step++) {
		const wall = wallTime(zone, at);
		const instants = instantsOf(zone, wall);
		if (instants.every((instant) => instant <= ms)) return wall;
		at -= HOUR;
	}
	return wallTime(zone, ms - 4 * HOUR);
}

/**
 * The location's record as `GET /groups` lists it under its chain, or `undefined` when no chain the
 * user can see lists it. `/groups` rather than `GET /company/{id}`: the documented field list of
 * `/groups` names each location's `timezone` (a number) and `timezone_name`, while the answer of
 * `GET /company/{id}` is not shown in the documentation this package follows. The location picker
 * reads the same list.
 */
export async function readLocationRecord(
	api: AltegioApi,
	locationId: string | number,
	itemIndex?: number,
): Promise<IDataObject | undefined> {
	const chains = await api.request({ endpoint: '/groups', itemIndex });
	return (Array.isArray(chains) ? (chains as IDataObject[]) : [])
		.flatMap((chain) => (Array.isArray(chain?.companies) ? (chain.companies as IDataObject[]) : []))
		.find((location) => String(location?.id) === String(locationId));
}

/**
 * The zone of a location record: its `timezone_name` (an IANA name, daylight saving included), or
 * else its `timezone`. The documented example shows neither field, so either may be missing.
 * Assumption: `timezone` is the offset from UTC in hours (the docs say only "number"); it is used,
 * without daylight saving, only when `timezone_name` is missing or unknown to this runtime.
 * `undefined` when neither gives a zone.
 */
export function locationZone(location: IDataObject): Zone | undefined {
	const name = location.timezone_name;
	if (typeof name === 'string' && name.trim() !== '') {
		const zone = namedZone(name.trim());
		if (zone !== undefined) return zone;
	}
	const { timezone } = location;
	const hours =
		typeof timezone === 'number'
			? timezone
			: typeof timezone === 'string' && /^[+-]?\d+(\.\d+)?$/.test(timezone.trim())
				? Number(timezone)
				: undefined;
	if (hours === undefined || !Number.isFinite(hours) || Math.abs(hours) > 14) return undefined;
	return fixedZone(Math.round(hours * 60));
}
