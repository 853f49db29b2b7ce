'use strict';

/**
 * The sandbox's clock. It runs with real time until a test sets it; from then on it stands still
 * until the test moves it, so that "24 hours before" takes a call, not a day. Changes made through
 * the API are stamped with it (`last_change_date`, `create_date`).
 *
 * In process: `sb.clock.now()`, `sb.clock.set(isoOrMs)`, `sb.clock.advance(ms)`, `sb.clock.reset()`.
 * Over HTTP: `GET /__sandbox/clock`, `POST /__sandbox/clock` with `{ "now": iso }` and/or
 * `{ "advanceMs": n }`, `DELETE /__sandbox/clock` (back to real time).
 */
function createClock() {
	let frozen = null;

	function toMs(value) {
		const ms = typeof value === 'number' ? value : Date.parse(String(value));
		if (!Number.isFinite(ms))
			throw new TypeError('the clock takes a date and time or milliseconds');
		return ms;
	}

	const clock = {
		now: () => (frozen === null ? Date.now() : frozen),
		set(value) {
			frozen = toMs(value);
			return frozen;
		},
		advance(ms) {
			if (!Number.isFinite(ms)) throw new TypeError('advance takes milliseconds');
			frozen = clock.now() + ms;
			return frozen;
		},
		reset() {
			frozen = null;
		},
		/** No API route of its own. */
		route: () => undefined,
		/** The `/__sandbox/clock` control route. */
		control(method, name, body) {
			if (name !== 'clock') return undefined;
			try {
				if (method === 'POST') {
					const value = body && typeof body === 'object' ? body : {};
					if (value.now !== undefined) clock.set(value.now);
					if (value.advanceMs !== undefined) clock.advance(Number(value.advanceMs));
				} else if (method === 'DELETE') {
					clock.reset();
				} else if (method !== 'GET') {
					return undefined;
				}
			} catch (error) {
				return [400, { ok: false, error: error.message }];
			}
			return [200, { now: new Date(clock.now()).toISOString(), frozen: frozen !== null }];
		},
	};
	return clock;
}

module.exports = { createClock };
