import {
	readDate,
	readDateTime,
	readId,
	readIdList,
	readLimit,
	readObject,
	readPhone,
} from '../../../../nodes/Altegio/actions/fields';
import { caught, fakeExecuteFunctions } from '../../../helpers/fakeExecuteFunctions';

const ctx = fakeExecuteFunctions();

describe('readDate', () => {
	test.each([
		['2026-12-14', '2026-12-14'],
		[' 2026-12-14 ', '2026-12-14'],
		['2026-12-14T00:00:00', '2026-12-14'],
		['2026-12-14T23:30:00-05:00', '2026-12-14'],
		['2028-02-29', '2028-02-29'],
	])('%p is the date %p, as written', (value, date) => {
		expect(readDate.call(ctx, value, 'start date', 0)).toBe(date);
	});

	test.each(['2026-02-30', '2026-13-01', '14.12.2026', 'tomorrow', '', 20261214])(
		'%p is refused with the item and the format to use',
		async (value) => {
			const error = await caught(
				Promise.resolve().then(() => readDate.call(ctx, value, 'start date', 3)),
			);
			expect(error.message).toBe(`The start date "${String(value)}" is not a real date [item 3]`);
			expect(error.description).toBe('Enter a date as YYYY-MM-DD, such as 2026-12-14');
		},
	);
});

describe('readDateTime', () => {
	test.each([
		['2026-12-14T10:30:00-05:00', '2026-12-14T10:30:00-05:00'],
		['2026-12-14T10:30-0500', '2026-12-14T10:30:00-05:00'],
		['2026-12-14 10:30', '2026-12-14T10:30:00'],
		['2026-12-14T15:30:00.000Z', '2026-12-14T15:30:00+00:00'],
		['2026-12-14T10:30:15.5+03:00', '2026-12-14T10:30:15+03:00'],
	])('%p is sent as %p', (value, sent) => {
		expect(readDateTime.call(ctx, value, 'start', 0)).toBe(sent);
	});

	test('a Date and a Luxon-like DateTime from an expression are read too', () => {
		expect(readDateTime.call(ctx, new Date('2026-12-14T15:30:00Z'), 'start', 0)).toBe(
			'2026-12-14T15:30:00+00:00',
		);
		const luxon = { toISO: () => '2026-12-14T10:30:00.000-05:00' };
		expect(readDateTime.call(ctx, luxon, 'start', 0)).toBe('2026-12-14T10:30:00-05:00');
	});

	test.each([
		'2026-12-14',
		'2026-12-14T24:00',
		'2026-12-14T10:60',
		'2026-12-14T10:30+15:00',
		'soon',
	])('%p is refused', async (value) => {
		const error = await caught(
			Promise.resolve().then(() => readDateTime.call(ctx, value, 'start', 1)),
		);
		expect(error.message).toBe(`The start "${value}" is not a real date and time [item 1]`);
	});
});

describe('readId and readIdList', () => {
	test.each([
		[4240880, 4240880],
		['4240880', 4240880],
		[' 0042 ', 42],
	])('%p is the ID %p', (value, id) => {
		expect(readId.call(ctx, value, 'client', 0, 1)).toBe(id);
	});

	test.each([0, -1, 1.5, '12a', '', null, {}])('%p is not an ID', async (value) => {
		const error = await caught(
			Promise.resolve().then(() => readId.call(ctx, value, 'client', 2, 4240880)),
		);
		expect(error.message).toMatch(
			/^The client ID( ".*")? is not a positive whole number \[item 2\]$/,
		);
		expect(error.description).toBe('Enter the numeric ID of the client, such as 4240880');
	});

	test.each([
		['11001, 11002', [11001, 11002]],
		['11001,', [11001]],
		[11001, [11001]],
		[
			[11001, '11002'],
			[11001, 11002],
		],
	])('the list %p is %p', (value, ids) => {
		expect(readIdList.call(ctx, value, 'service', 0, 11001)).toEqual(ids);
	});

	test('an empty list is refused with an example', async () => {
		const error = await caught(
			Promise.resolve().then(() => readIdList.call(ctx, ' , ', 'service', 0, 11001)),
		);
		expect(error.message).toBe('No service ID is given [item 0]');
		expect(error.description).toBe(
			'Enter one or more numeric service IDs separated by commas, such as 11001, 11002',
		);
	});
});

describe('readPhone', () => {
	test('writes the normalised digits in the format the endpoint documents', () => {
		expect(readPhone.call(ctx, '+1 (426) 403-76-40', 'phone', 'digits', undefined, 0)).toBe(
			'14264037640',
		);
		expect(readPhone.call(ctx, '+1 (426) 403-76-40', 'phone', 'international', undefined, 0)).toBe(
			'+14264037640',
		);
		expect(readPhone.call(ctx, '8 (916) 123-45-67', 'phone', 'digits', 'RU', 0)).toBe(
			'79161234567',
		);
	});

	test('a national phone without a Default Country says what to set', async () => {
		const error = await caught(
			Promise.resolve().then(() =>
				readPhone.call(ctx, '07700 900123', 'phone', 'digits', undefined, 2),
			),
		);
		expect(error.message).toBe(
			'The phone "07700 900123" is a national number (it starts with 0), and no Default Country is set to read it by [item 2]',
		);
		expect(error.description).toBe(
			'Set Default Country in the Altegio API credential to the country of such national numbers, or enter the number with + and its country code, such as +7 916 123 45 67',
		);
	});

	test('a bad phone names the field and the item', async () => {
		const error = await caught(
			Promise.resolve().then(() =>
				readPhone.call(ctx, 'call me', 'client phone', 'digits', undefined, 4),
			),
		);
		expect(error.message).toBe(
			'The client phone "call me" contains characters that are not digits [item 4]',
		);
	});
});

describe('readLimit and readObject', () => {
	test('Return All means no limit; otherwise the limit', () => {
		expect(
			readLimit.call(fakeExecuteFunctions({ parameters: { returnAll: true, limit: 5 } }), 0),
		).toBe(undefined);
		expect(
			readLimit.call(fakeExecuteFunctions({ parameters: { returnAll: false, limit: 5 } }), 0),
		).toBe(5);
	});

	test('custom fields come as an object or JSON text; anything else is refused', async () => {
		expect(readObject.call(ctx, '{"a": 1}', 'custom fields', 0)).toEqual({ a: 1 });
		expect(readObject.call(ctx, { a: 1 }, 'custom fields', 0)).toEqual({ a: 1 });
		const error = await caught(
			Promise.resolve().then(() => readObject.call(ctx, '[1]', 'custom fields', 0)),
		);
		expect(error.message).toBe('The custom fields is not a JSON object [item 0]');
	});
});
