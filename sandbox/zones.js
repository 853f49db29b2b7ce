'use strict';

/**
 * A location's IANA time zone for the sandbox: the offset at an instant, and the offset that a
 * wall time without one has there. A wall time in the hour that repeats when clocks go back is
 * read as its earlier instant; one in the hour skipped when they go forward, with the offset from
 * before the change. Assumption: the API reads `changed_after` and the other local times this way
 * (the documentation only says they are local).
 */
const HOUR = 3600000;

function label(minutes) {
	const sign = minutes < 0 ? '-' : '+';
	const abs = Math.abs(minutes);
	return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

function zoneOf(name) {
	const format = new Intl.DateTimeFormat('en-US', {
		timeZone: name,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	});
	const minutesAt = (ms) => {
		const parts = Object.fromEntries(
			format.formatToParts(new Date(ms)).map((p) => [p.type, p.value]),
		);
		const local = Date.UTC(
			+parts.year,
			+parts.month - 1,
			+parts.day,
			+parts.hour,
			+parts.minute,
			+parts.second,
		);
		return Math.round((local - Math.floor(ms / 1000) * 1000) / 60000);
	};
	return {
		name,
		/** `-05:00` or `-04:00` at that instant. */
		offsetAt: (ms) => label(minutesAt(ms)),
		/** The offset of `YYYY-MM-DDTHH:mm:ss` as a wall time of this zone. */
		offsetOfWall(wall) {
			const utc = Date.parse(`${wall}Z`);
			const before = minutesAt(utc - 24 * HOUR);
			const after = minutesAt(utc + 24 * HOUR);
			for (const minutes of [Math.max(before, after), Math.min(before, after)]) {
				const at = utc - minutes * 60000;
				if (new Date(at + minutesAt(at) * 60000).toISOString().slice(0, 19) === wall) {
					return label(minutes);
				}
			}
			return label(before);
		},
	};
}

module.exports = { zoneOf };
