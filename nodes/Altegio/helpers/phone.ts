import { preview } from './utils';

const SEPARATORS = /[\s().\-/]/g;
// Direction marks, zero-width characters and the like, which phone apps add when a number is copied.
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;
// A number that went through a spreadsheet, such as 14264037640.0
const SPREADSHEET_FRACTION = /^(\+?\d+)\.0+$/;
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

export type PhoneCheck = { phone: string } | { problem: string };

/**
 * Turns a phone number as people type it into the digits the API expects, country code as typed.
 * Returns the reason when the input is not a phone number.
 */
export function normalizePhone(input: unknown): PhoneCheck {
	if (typeof input === 'number' && Number.isSafeInteger(input) && input > 0) {
		input = String(input);
	}
	if (typeof input !== 'string') {
		return {
			problem:
				input === null || input === undefined ? 'is empty' : `is not text but ${describe(input)}`,
		};
	}
	const text = input.replace(INVISIBLE, '').trim();
	if (text === '') return { problem: 'is empty' };

	const digits = text
		.replace(SPREADSHEET_FRACTION, '$1')
		.replace(/^\+/, '')
		.replace(SEPARATORS, '');
	if (!/^[0-9]+$/.test(digits)) {
		return { problem: `"${preview(text)}" contains characters that are not digits` };
	}
	if (digits.length < MIN_DIGITS) {
		return {
			problem: `"${preview(text)}" has ${digits.length} digits, fewer than a phone number with its country code (${MIN_DIGITS})`,
		};
	}
	if (digits.length > MAX_DIGITS) {
		return {
			problem: `"${preview(text)}" has ${digits.length} digits, more than a phone number can have (${MAX_DIGITS})`,
		};
	}
	return { phone: digits };
}

function describe(value: unknown): string {
	if (Array.isArray(value)) return 'a list';
	if (typeof value === 'number') return `the number ${value}`;
	return `a value of type ${typeof value}`;
}
