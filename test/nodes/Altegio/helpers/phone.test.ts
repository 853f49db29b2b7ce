import type { CountryCode } from 'libphonenumber-js';
import { getCountries, getExampleNumber, parsePhoneNumberFromString } from 'libphonenumber-js';
import examples from 'libphonenumber-js/examples.mobile.json';

import { normalizePhone } from '../../../../nodes/Altegio/helpers/phone';
import { CALLING_CODE_REGIONS, PHONE_PLANS } from '../../../../nodes/Altegio/helpers/phoneMetadata';
import phones from '../../../fixtures/phones.json';

interface Row {
	typed: string;
	country?: string;
	sent?: string;
	error?: 'national' | 'extension' | 'impossible' | 'countryCode';
	problem?: string;
}

const rows = phones as Row[];
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]/g;

/**
 * The input as libphonenumber-js reads it: without the forms the node reads on top of it (WhatsApp
 * IDs, a spreadsheet's `.0`, invisible characters), and with `00` and digits without a Default
 * Country read as the node reads them, with the country code.
 */
function forLibphonenumber({ typed, country }: Row): string {
	let text = typed
		.replace(INVISIBLE, '')
		.trim()
		.replace(/^whatsapp:/i, '')
		.replace(/^(\d+)@(?:c\.us|s\.whatsapp\.net)$/i, '+$1')
		.replace(/\.0+$/, '');
	if (/^0\s*0/.test(text)) text = `+${text.replace(/^0\s*0/, '')}`;
	if (country === undefined && !/^(?:tel:)?\+/i.test(text)) text = `+${text}`;
	return text;
}

describe('normalizePhone: the table of numbers as typed in each market', () => {
	test('the table covers every market and every form the brief names', () => {
		const countries = new Set(rows.map((row) => row.country).filter(Boolean));
		for (const market of [
			'RU',
			'KZ',
			'BY',
			'UA',
			'UZ',
			'KG',
			'AM',
			'GE',
			'AZ',
			'AE',
			'IL',
			'TR',
			'DE',
			'GB',
			'ES',
			'IT',
			'FR',
			'PL',
			'CZ',
			'EE',
			'LV',
			'LT',
			'CY',
			'US',
			'CA',
		]) {
			expect(countries).toContain(market);
		}
		expect(rows.length).toBeGreaterThanOrEqual(60);
		for (const error of ['national', 'extension', 'impossible', 'countryCode']) {
			expect(rows.some((row) => row.error === error)).toBe(true);
		}
	});

	test.each(rows.map((row) => [row.typed, row.country ?? 'none', row]))(
		'%p with Default Country %s',
		(_typed, _country, row) => {
			const check = normalizePhone(row.typed, row.country);
			if (row.sent !== undefined) expect(check).toEqual({ phone: row.sent });
			else expect(check).toEqual({ problem: row.problem, hint: expect.any(String) });
		},
	);

	test.each(rows.map((row) => [row.typed, row.country ?? 'none', row]))(
		'%p with Default Country %s: libphonenumber-js agrees',
		(_typed, _country, row) => {
			const parsed = parsePhoneNumberFromString(
				forLibphonenumber(row),
				row.country as CountryCode | undefined,
			);
			if (row.sent !== undefined) {
				expect(parsed?.number).toBe(`+${row.sent}`);
				expect(parsed?.isPossible()).toBe(true);
			} else if (row.error === 'extension') {
				expect(parsed?.ext).toMatch(/^\d+$/);
			} else if (row.error === 'national') {
				// Neither as national digits without a country nor with the digits as a country code.
				expect(parsePhoneNumberFromString(row.typed)).toBeUndefined();
				expect(parsed === undefined || !parsed.isPossible()).toBe(true);
			} else {
				expect(parsed === undefined || !parsed.isPossible()).toBe(true);
			}
		},
	);
});

describe('normalizePhone against the metadata of every region', () => {
	// libphonenumber-js's example mobile number of each region, written as people there write it.
	const regions = getCountries().filter((region) => region in examples);

	test.each(regions)('%s: the example number, national and international', (region) => {
		const example = getExampleNumber(region, examples)!;
		const e164 = example.number.slice(1);
		const national = example.formatNational();
		const ours = normalizePhone(national, region);
		const theirs = parsePhoneNumberFromString(national, region);

		expect(ours).toEqual({ phone: theirs!.number.slice(1) });
		expect(normalizePhone(example.formatInternational())).toEqual({ phone: e164 });
		expect(normalizePhone(`00${e164}`, region)).toEqual({ phone: e164 });
	});

	test('every region has a plan, and every calling code a region', () => {
		expect(Object.keys(PHONE_PLANS).sort()).toEqual([...getCountries()].sort());
		for (const region of Object.values(CALLING_CODE_REGIONS))
			expect(PHONE_PLANS[region]).toBeDefined();
	});

	test('the countries that share +7 and +1 read national numbers alike', () => {
		const [, ruPrefix, , ruLengths] = PHONE_PLANS.RU;
		expect(PHONE_PLANS.KZ).toEqual(['7', ruPrefix, '', ruLengths]);
		expect(CALLING_CODE_REGIONS['7']).toBe('RU');
		expect(PHONE_PLANS.US[1]).toBe('1');
		expect(PHONE_PLANS.CA[1]).toBe('1');
		expect(CALLING_CODE_REGIONS['1']).toBe('US');
	});
});

describe('normalizePhone: what is not a phone number', () => {
	test.each([
		['abc', '"abc" contains characters that are not digits'],
		['\u200fabc\u200b', '"abc" contains characters that are not digits'],
		['1 426 403 76 40#', '"1 426 403 76 40#" contains characters that are not digits'],
		['14264037640+', '"14264037640+" contains characters that are not digits'],
		['١٤٢٦٤٠٣٧٦٤٠', '"١٤٢٦٤٠٣٧٦٤٠" contains characters that are not digits'],
		['☎️ 14264037640', '"☎️ 14264037640" contains characters that are not digits'],
		[
			'120363022222222222@g.us',
			'"120363022222222222@g.us" contains characters that are not digits',
		],
		['', 'is empty'],
		[' \n\t ', 'is empty'],
		[null, 'is empty'],
		[undefined, 'is empty'],
		[{}, 'is not text but a value of type object'],
		[[], 'is not text but a list'],
		[false, 'is not text but a value of type boolean'],
		[0, 'is not text but the number 0'],
		[-79264037640, 'is not text but the number -79264037640'],
		[Number.NaN, 'is not text but the number NaN'],
		[1e20, 'is not text but the number 100000000000000000000'],
	])('%p is not a phone: %p', (input, problem) => {
		expect(normalizePhone(input)).toEqual({ problem, hint: expect.any(String) });
	});

	test('a number from a spreadsheet cell is read as its digits', () => {
		expect(normalizePhone(14264037640)).toEqual({ phone: '14264037640' });
		expect(normalizePhone(9161234567, 'RU')).toEqual({ phone: '79161234567' });
		expect(normalizePhone('+14264037640.00')).toEqual({ phone: '14264037640' });
	});

	test('a national number without a Default Country says what to set', () => {
		expect(normalizePhone('8 (916) 123-45-67')).toEqual({
			problem:
				'"8 (916) 123-45-67" does not begin with a country code: none of +8, +89, +891 is one; if it is a national number, no Default Country is set to read it by',
			hint: 'Set Default Country in the Altegio API credential to the country of such national numbers, or enter the number with + and its country code, such as +7 916 123 45 67',
		});
	});

	test('a very long input is quoted short', () => {
		const check = normalizePhone('7'.repeat(10_000));

		expect(check).toEqual({
			problem: `"${'7'.repeat(32)}…" has 10000 digits, more than a phone number can have`,
			hint: 'Enter a phone number with its country code, such as +1 426 403 76 40',
		});
	});
});
