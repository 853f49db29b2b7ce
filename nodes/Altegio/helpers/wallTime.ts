import type { IDataObject } from 'n8n-workflow';

/**
 * A moment written with an offset (`2026-12-01T13:00:00+00:00`) as the wall time of a location
 * without one (`2026-12-01T08:00:00`), the form the API documents for `changed_after` and
 * `changed_before`. The location's zone is its `timezone_name` (an IANA name, daylight saving
 * included), or else its `timezone` (hours from UTC). `undefined` when neither can be used.
 */
export function toWallTime(moment: string, company: IDataObject): string | undefined {
	const ms = Date.parse(moment);
	if (Number.isNaN(ms)) return undefined;
	const name = company.timezone_name;
	if (typeof name === 'string' && name.trim() !== '') {
		const text = inZone(ms, name.trim());
		if (text !== undefined) return text;
	}
	const hours =
		typeof company.timezone === 'number' || typeof company.timezone === 'string'
			? Number(company.timezone)
			: NaN;
	if (company.timezone === '' || !Number.isFinite(hours) || Math.abs(hours) > 14) return undefined;
	return new Date(ms + Math.round(hours * 60) * 60000).toISOString().slice(0, 19);
}

function inZone(ms: number, timeZone: string): string | undefined {
	let parts: Intl.DateTimeFormatPart[];
	try {
		parts = new Intl.DateTimeFormat('en-US', {
			timeZone,
			hourCycle: 'h23',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		}).formatToParts(new Date(ms));
	} catch {
		return undefined;
	}
	const part = (type: string) => parts.find((item) => item.type === type)?.value ?? '';
	return `${part('year')}-${part('month')}-${part('day')}T${part('hour')}:${part('minute')}:${part('second')}`;
}
