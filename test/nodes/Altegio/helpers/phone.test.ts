import { normalizePhone } from '../../../../nodes/Altegio/helpers/phone';

describe('normalizePhone', () => {
	test.each([
		['+1 (426) 403-76-40', '14264037640'],
		['14264037640 ', '14264037640'],
		['+7 926 403-76-40', '79264037640'],
		['+7(926)4037640', '79264037640'],
		['8 800 555 35 35', '88005553535'],
		['+44 20 7946 0958', '442079460958'],
		['+49.30.1234567', '49301234567'],
		['+33/1/23/45/67/89', '33123456789'],
		['\t+1 426\u00a0403 76 40\n', '14264037640'],
		['1234567', '1234567'],
		['123456789012345', '123456789012345'],
		[14264037640, '14264037640'],
		[1234567, '1234567'],
		['14264037640.0', '14264037640'],
		['+14264037640.00', '14264037640'],
		[14264037640.0, '14264037640'],
		['\u202a+1 426 403 76 40\u202c', '14264037640'],
		['\u200e+1\u200b426\u200d4037640\ufeff', '14264037640'],
	])('%p → %p (digits only, country code as typed)', (input, phone) => {
		expect(normalizePhone(input)).toEqual({ phone });
	});

	test.each([
		['abc', '"abc" contains characters that are not digits'],
		['\u200fabc\u200b', '"abc" contains characters that are not digits'],
		[
			'+1 426 403 76 40 ext. 12',
			'"+1 426 403 76 40 ext. 12" contains characters that are not digits',
		],
		['1 426 403 76 40#', '"1 426 403 76 40#" contains characters that are not digits'],
		['14264037640+', '"14264037640+" contains characters that are not digits'],
		['١٤٢٦٤٠٣٧٦٤٠', '"١٤٢٦٤٠٣٧٦٤٠" contains characters that are not digits'],
		['१४२६४०३७६४०', '"१४२६४०३७६४०" contains characters that are not digits'],
		['☎️ 14264037640', '"☎️ 14264037640" contains characters that are not digits'],
		['123456', '"123456" has 6 digits, fewer than a phone number with its country code (7)'],
		[
			'1234567890123456',
			'"1234567890123456" has 16 digits, more than a phone number can have (15)',
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
		expect(normalizePhone(input)).toEqual({ problem });
	});

	test('a very long input is quoted short', () => {
		const check = normalizePhone('7'.repeat(10_000));

		expect(check).toEqual({
			problem: `"${'7'.repeat(32)}…" has 10000 digits, more than a phone number can have (15)`,
		});
	});
});
