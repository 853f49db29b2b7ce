'use strict';
/**
 * The phone check of the sandbox. The API documentation shows phones as digits with the country
 * code, with or without a leading + (`79264037640`, `+13155550175`; YCLIENTS' validate_phone takes
 * "+71234567890 or 71234567890"); it does not say how the API treats other input.
 *
 * Assumption (the docs are silent): the API reads the value as an international number and refuses
 * one that cannot be a phone number of its country code, such as `89161234567` (no country code 89),
 * `07700900123` (no country code starts with 0) or `+00447700900123`, rather than reading it in some
 * country's national format. A number is "possible" by libphonenumber's lengths; whether its range is
 * assigned is not checked, so the 555 numbers of the seed pass. Spaces, brackets and dashes are not
 * accepted, as no documented example has them.
 */
const { parsePhoneNumberFromString } = require('libphonenumber-js');

/** The digits of a documented phone (`79264037640`), or `undefined` when the API would refuse it. */
function phoneDigits(value) {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
	const match = /^\+?([1-9][0-9]{6,14})$/.exec(text.trim());
	if (!match) return undefined;
	const parsed = parsePhoneNumberFromString(`+${match[1]}`);
	return parsed !== undefined && parsed.isPossible() && parsed.number === `+${match[1]}`
		? match[1]
		: undefined;
}

module.exports = { phoneDigits };
