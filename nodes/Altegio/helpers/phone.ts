import type { PhonePlan } from './phoneMetadata';
import { CALLING_CODE_REGIONS, PHONE_PLANS } from './phoneMetadata';
import { preview } from './utils';

const SEPARATORS = /[\s().\-/[\]\u2010-\u2015\u2212]/g;
// Direction marks, zero-width characters and the like, which phone apps add when a number is copied.
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;
// A number that went through a spreadsheet, such as 14264037640.0
const SPREADSHEET_FRACTION = /^(\+?\d+)\.0+$/;
// `tel:+1-201-555-0123` (RFC 3966) and `whatsapp:+16475883553` (as Twilio writes WhatsApp senders).
const URI_SCHEME = /^(?:tel|whatsapp):/i;
// A WhatsApp ID: the international number without +, then the server (and, in some, a device).
const WHATSAPP_ID = /^(\d+)(?::\d+)?@(?:c\.us|s\.whatsapp\.net)$/i;
// The longest international number (15 digits) after 00.
const MAX_DIGITS = 17;
const EXTENSION = /^(.*\d.*?)\s*(?:;\s*ext=|,?\s*(?:ext(?:ension)?\.?|x|#|доб\.?))\s*(\d{1,7})#?$/i;

export type PhoneCheck = { phone: string } | { problem: string; hint: string };

const WITH_COUNTRY_CODE = 'Enter a phone number with its country code, such as +1 426 403 76 40';
const SET_COUNTRY =
	'Set Default Country in the Altegio API credential to the country of such national numbers, or enter the number with + and its country code, such as +7 916 123 45 67';

/**
 * Reads a phone as people type it and returns its international digits: the country code and the
 * national number, without trunk prefix (`79161234567`). `country` is the region (`RU`) whose national
 * format a number without `+` or `00` is read in; without it, such digits must include the country
 * code. Returns the reason when the input is not a possible phone number.
 */
export function normalizePhone(input: unknown, country?: string): PhoneCheck {
	if (typeof input === 'number' && Number.isSafeInteger(input) && input > 0) {
		input = String(input);
	}
	if (typeof input !== 'string') {
		return {
			problem:
				input === null || input === undefined ? 'is empty' : `is not text but ${describe(input)}`,
			hint: WITH_COUNTRY_CODE,
		};
	}
	const text = input.replace(INVISIBLE, '').trim();
	if (text === '') return { problem: 'is empty', hint: WITH_COUNTRY_CODE };
	const shown = `"${preview(text)}"`;

	let rest = text.replace(URI_SCHEME, '');
	const extension = EXTENSION.exec(rest);
	if (extension) {
		return {
			problem: `${shown} has an extension (${extension[2]}), which a client's phone cannot have`,
			hint: 'Enter the number without its extension',
		};
	}
	const whatsApp = WHATSAPP_ID.exec(rest);
	rest = whatsApp ? `+${whatsApp[1]}` : rest.replace(SPREADSHEET_FRACTION, '$1');
	const international = rest.startsWith('+');
	let digits = rest.replace(/^\+/, '').replace(SEPARATORS, '');
	if (!/^[0-9]+$/.test(digits)) {
		return { problem: `${shown} contains characters that are not digits`, hint: WITH_COUNTRY_CODE };
	}
	if (digits.length > MAX_DIGITS) {
		return {
			problem: `${shown} has ${digits.length} digits, more than a phone number can have`,
			hint: WITH_COUNTRY_CODE,
		};
	}
	if (!international && digits.startsWith('00')) return withCountryCode(digits.slice(2), shown);
	if (international) return withCountryCode(digits, shown);

	if (country === undefined) {
		const read = withCountryCode(digits, shown);
		if ('phone' in read) return read;
		return {
			problem: digits.startsWith('0')
				? `${shown} is a national number (it starts with 0), and no Default Country is set to read it by`
				: `${read.problem}; if it is a national number, no Default Country is set to read it by`,
			hint: SET_COUNTRY,
		};
	}
	const plan = PHONE_PLANS[country] as PhonePlan | undefined;
	if (plan === undefined) {
		return {
			problem: `cannot be read in the unknown country ${preview(country)}`,
			hint: SET_COUNTRY,
		};
	}
	const [callingCode] = plan;
	// Digits that start with the country's own calling code, as libphonenumber reads them: the code
	// is taken off when the number is not possible with it and is without it, or is too long.
	if (digits.startsWith(callingCode)) {
		const national = withoutTrunkPrefix(digits, plan);
		const shorter = withoutTrunkPrefix(digits.slice(callingCode.length), plan);
		if (
			(!possible(national, plan) && possible(shorter, plan)) ||
			national.length > Math.max(...plan[3])
		) {
			digits = digits.slice(callingCode.length);
		}
	}
	const national = withoutTrunkPrefix(digits, plan);
	if (!possible(national, plan)) {
		return {
			problem: `${shown} is not a possible phone number in ${country}, the Default Country: ${lengthsOf(national, plan, `a national number in ${country}`)}`,
			hint: 'Check the number; a number of another country is entered with + and its country code',
		};
	}
	return { phone: callingCode + national };
}

/** Reads digits that begin with the country code. */
function withCountryCode(digits: string, shown: string): PhoneCheck {
	const callingCode = [1, 2, 3]
		.map((length) => digits.slice(0, length))
		.find((code) => code in CALLING_CODE_REGIONS);
	if (callingCode === undefined) {
		return {
			problem: `${shown} does not begin with a country code: none of ${[1, 2, 3]
				.map((length) => `+${digits.slice(0, length)}`)
				.filter((code, index, codes) => codes.indexOf(code) === index)
				.join(', ')} is one`,
			hint: WITH_COUNTRY_CODE,
		};
	}
	const plan = PHONE_PLANS[CALLING_CODE_REGIONS[callingCode]];
	// A trunk prefix after the country code, as in +44 (0) 20 7946 0958, is not dialled.
	const national = withoutTrunkPrefix(digits.slice(callingCode.length), plan);
	if (!possible(national, plan)) {
		return {
			problem: `${shown} is not a possible phone number: ${lengthsOf(national, plan, `a number after +${callingCode}`)}`,
			hint: 'Check the number and its country code',
		};
	}
	return { phone: callingCode + national };
}

/** Takes off the trunk prefix (8 in Russia, 0 in the UK) unless the rest is too short for a number. */
function withoutTrunkPrefix(digits: string, plan: PhonePlan): string {
	const [, prefix, rule, lengths] = plan;
	if (prefix === '') return digits;
	const pattern = new RegExp(`^(?:${prefix})`);
	const match = pattern.exec(digits);
	if (match === null) return digits;
	const captured = match.length > 1 && match[match.length - 1] !== undefined;
	const national =
		rule !== '' && captured ? digits.replace(pattern, rule) : digits.slice(match[0].length);
	return possible(national, plan) || national.length > Math.max(...lengths) ? national : digits;
}

function possible(national: string, plan: PhonePlan): boolean {
	return plan[3].includes(national.length);
}

function lengthsOf(national: string, plan: PhonePlan, where: string): string {
	const lengths = plan[3];
	const allowed =
		lengths.length === 1
			? String(lengths[0])
			: `${lengths.slice(0, -1).join(', ')} or ${lengths[lengths.length - 1]}`;
	const digits = national.length === 1 ? 'digit' : 'digits';
	return `it has ${national.length} ${digits} where ${where} has ${allowed}`;
}

function describe(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'number') return `the number ${value}`;
	return `a value of type ${typeof value}`;
}
