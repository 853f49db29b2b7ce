import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { createApi } from '../../../../../nodes/Altegio/transport';
import * as getByPhone from '../../../../../nodes/Altegio/actions/chainClient/getByPhone.operation';
import {
	caught,
	expectNoSecrets,
	fakeExecuteFunctions,
	fixture,
	respond,
} from '../../../../helpers/fakeExecuteFunctions';

const PHONE_HINT = 'Enter a phone number with its country code, such as +1 426 403 76 40';
const SET_COUNTRY =
	'Set Default Country in the Altegio API credential to the country of such national numbers, or enter the number with + and its country code, such as +7 916 123 45 67';
const CHAIN_HINT = 'Pick the chain from the list, or enter its numeric ID, such as 509';

const byId = (value: unknown) => ({ __rl: true, mode: 'id', value });
const fromList = (value: unknown) => ({ __rl: true, mode: 'list', value });

function context(parameters: Record<string, unknown>) {
	const ctx = fakeExecuteFunctions({
		parameters: {
			resource: 'chainClient',
			operation: 'getByPhone',
			chainId: byId('509'),
			phone: '14264037640',
			...parameters,
		},
	});
	ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
		respond(200, fixture('chain-clients.json')),
	);
	return ctx;
}

function sent(ctx: ReturnType<typeof context>) {
	return ctx.helpers.httpRequestWithAuthentication.mock.calls.map(([, options]) => [
		options.url,
		options.qs,
	]);
}

describe('chainClient → Get by Phone: the request', () => {
	test.each([
		['+1 (426) 403-76-40', '14264037640'],
		['14264037640 ', '14264037640'],
		['  +14264037640\n', '14264037640'],
		['+7 926 403-76-40', '79264037640'],
		['7 (926) 403.76.40', '79264037640'],
		['+44/20/7946/0958', '442079460958'],
		[14264037640, '14264037640'],
	])('the phone %p is sent as the digits %p', async (phone, digits) => {
		const ctx = context({ phone });

		await getByPhone.execute.call(ctx, 0, createApi(ctx));

		expect(sent(ctx)).toEqual([['/group/509/clients', { phone: digits }]]);
		expect(ctx.helpers.httpRequestWithAuthentication.mock.calls[0][1]).toMatchObject({
			method: 'GET',
			baseURL: 'https://api.alteg.io/api/v1',
			headers: { Accept: 'application/vnd.api.v2+json' },
		});
	});

	test.each([
		['from the list', fromList('509'), '/group/509/clients'],
		['by ID', byId('508'), '/group/508/clients'],
		['by ID with spaces around it', byId('  509 '), '/group/509/clients'],
		['by ID as a number', byId(509), '/group/509/clients'],
		['by ID with leading zeros', byId('00509'), '/group/509/clients'],
		['as a plain value (not a locator)', '1509', '/group/1509/clients'],
		['as a plain number', 508, '/group/508/clients'],
	])('the chain %s goes into the path', async (_name, chainId, url) => {
		const ctx = context({ chainId });

		await getByPhone.execute.call(ctx, 0, createApi(ctx));

		expect(sent(ctx)).toEqual([[url, { phone: '14264037640' }]]);
	});
});

describe('chainClient → Get by Phone: the result', () => {
	test('each client is a row with id, company_id, name, email, salon_group_id and phone', async () => {
		const ctx = context({ phone: '+1 (426) 403-76-40' });

		const rows = await getByPhone.execute.call(ctx, 0, createApi(ctx));

		expect(rows).toEqual([
			{
				id: 4240880,
				company_id: 38726,
				name: 'lx',
				email: 'client@example.com',
				salon_group_id: 509,
				phone: '+14264037640',
			},
			{
				id: 4243272,
				company_id: 39287,
				name: 'lx',
				email: 'client@example.com',
				salon_group_id: 509,
				phone: '+14264037640',
			},
		]);
	});

	test('YCLIENTS echoes the phone without +: the row keeps it as sent back', async () => {
		const ctx = context({ phone: '79264037640' });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('chain-clients-yclients.json')),
		);

		expect(await getByPhone.execute.call(ctx, 0, createApi(ctx))).toEqual([
			{
				id: 4250002,
				company_id: 39287,
				name: 'Ivan Petrov',
				email: 'ivan@example.com',
				salon_group_id: 509,
				phone: '79264037640',
			},
		]);
	});

	test('404 "Client not found" is no rows, not an error', async () => {
		const ctx = context({ phone: '19999999999' });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(404, fixture('client-not-found.json')),
		);

		await expect(getByPhone.execute.call(ctx, 0, createApi(ctx))).resolves.toEqual([]);
	});

	test('200 with an empty client list is no rows', async () => {
		const ctx = context({ phone: '10000000000' });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('chain-clients-empty.json')),
		);

		await expect(getByPhone.execute.call(ctx, 0, createApi(ctx))).resolves.toEqual([]);
	});

	test('no access to the chain (403) is an error with the item', async () => {
		const ctx = context({ chainId: byId('777') });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(403, fixture('errors/forbidden.json')),
		);

		const error = await caught(getByPhone.execute.call(ctx, 4, createApi(ctx)));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Access denied. [item 4]');
		expect(error.httpCode).toBe('403');
		expect(error.context.itemIndex).toBe(4);
		expectNoSecrets(error);
	});
});

describe('chainClient → Get by Phone: a phone that is not a phone number', () => {
	const tenKilobytesOfDigits = '1'.repeat(10_240);
	const tenKilobytesOfText = 'call me maybe '.repeat(732);

	test.each([
		['letters', 'abc', 'The phone "abc" contains characters that are not digits'],
		[
			'letters among digits',
			'+1 426 CALL NOW',
			'The phone "+1 426 CALL NOW" contains characters that are not digits',
		],
		[
			'a second +',
			'++14264037640',
			'The phone "++14264037640" contains characters that are not digits',
		],
		[
			'too few digits',
			'12345',
			'The phone "12345" is not a possible phone number: it has 4 digits where a number after +1 has 10' +
				'; if it is a national number, no Default Country is set to read it by',
		],
		[
			'six digits',
			'+123 456',
			'The phone "+123 456" is not a possible phone number: it has 5 digits where a number after +1 has 10',
		],
		[
			'too many digits',
			'1234567890123456',
			'The phone "1234567890123456" is not a possible phone number: it has 15 digits where a number after +1 has 10' +
				'; if it is a national number, no Default Country is set to read it by',
		],
		['an empty text', '', 'The phone is empty'],
		['spaces only', '   ', 'The phone is empty'],
		['a lone +', '+', 'The phone "+" contains characters that are not digits'],
		['null', null, 'The phone is empty'],
		[
			'an emoji',
			'📞 14264037640',
			'The phone "📞 14264037640" contains characters that are not digits',
		],
		[
			'Arabic-Indic digits',
			'١٤٢٦٤٠٣٧٦٤٠',
			'The phone "١٤٢٦٤٠٣٧٦٤٠" contains characters that are not digits',
		],
		[
			'full-width digits',
			'１４２６４０３７６４０',
			'The phone "１４２６４０３７６４０" contains characters that are not digits',
		],
		[
			'10 kB of digits',
			tenKilobytesOfDigits,
			`The phone "${'1'.repeat(32)}…" has 10240 digits, more than a phone number can have`,
		],
		[
			'10 kB of text',
			tenKilobytesOfText,
			'The phone "call me maybe call me maybe call…" contains characters that are not digits',
		],
		['an object', { number: '14264037640' }, 'The phone is not text but a value of type object'],
		['a list', ['14264037640'], 'The phone is not text but a list'],
		['a boolean', true, 'The phone is not text but a value of type boolean'],
		['the number 0', 0, 'The phone is not text but the number 0'],
		['a negative number', -14264037640, 'The phone is not text but the number -14264037640'],
		['a fraction', 1426403764.5, 'The phone is not text but the number 1426403764.5'],
	])('%s → NodeOperationError with the item, and no request', async (_name, phone, message) => {
		const ctx = context({ phone });

		const error = await caught(getByPhone.execute.call(ctx, 3, createApi(ctx)));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`${message} [item 3]`);
		expect(error.description).toBe(
			message.includes('Default Country')
				? SET_COUNTRY
				: message.includes('not a possible')
					? 'Check the number and its country code'
					: PHONE_HINT,
		);
		expect(error.context.itemIndex).toBe(3);
		expect(ctx.helpers.httpRequestWithAuthentication).not.toHaveBeenCalled();
	});

	test('the message quotes at most 32 characters of a long input', async () => {
		const ctx = context({ phone: tenKilobytesOfText });

		const error = await caught(getByPhone.execute.call(ctx, 0, createApi(ctx)));

		expect(error.message.length).toBeLessThan(120);
	});
});

describe('chainClient → Get by Phone: a chain ID that is not a chain ID', () => {
	test.each([
		['a path', byId('509/../777'), 'The chain ID "509/../777" is not a positive whole number'],
		['-1', byId('-1'), 'The chain ID "-1" is not a positive whole number'],
		['0', byId('0'), 'The chain ID "0" is not a positive whole number'],
		['000', byId('000'), 'The chain ID "000" is not a positive whole number'],
		['letters', byId('abc'), 'The chain ID "abc" is not a positive whole number'],
		['empty', byId(''), 'The chain ID is not a positive whole number'],
		['spaces', byId('   '), 'The chain ID is not a positive whole number'],
		['nothing picked from the list', fromList(''), 'The chain ID is not a positive whole number'],
		[
			'a query string',
			byId('509?phone=1'),
			'The chain ID "509?phone=1" is not a positive whole number',
		],
		['an exponent', byId('1e3'), 'The chain ID "1e3" is not a positive whole number'],
		['hexadecimal', byId('0x1F'), 'The chain ID "0x1F" is not a positive whole number'],
		['a space inside', byId('5 09'), 'The chain ID "5 09" is not a positive whole number'],
		['full-width digits', byId('５０９'), 'The chain ID "５０９" is not a positive whole number'],
		['the number 0', byId(0), 'The chain ID "0" is not a positive whole number'],
		['the number -1', byId(-1), 'The chain ID "-1" is not a positive whole number'],
		['a fraction', byId(509.5), 'The chain ID "509.5" is not a positive whole number'],
		['null', byId(null), 'The chain ID is not a positive whole number'],
		[
			'16 digits',
			byId('1234567890123456'),
			'The chain ID "1234567890123456" is not a positive whole number',
		],
	])('%s → NodeOperationError with the item, and no request', async (_name, chainId, message) => {
		const ctx = context({ chainId });

		const error = await caught(getByPhone.execute.call(ctx, 1, createApi(ctx)));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(`${message} [item 1]`);
		expect(error.description).toBe(CHAIN_HINT);
		expect(error.context.itemIndex).toBe(1);
		expect(ctx.helpers.httpRequestWithAuthentication).not.toHaveBeenCalled();
	});
});
