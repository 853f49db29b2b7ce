import { runAltegio } from '../helpers/engine';
import { expectNoSecrets } from '../helpers/fakeExecuteFunctions';
import { byPhone, getChains, sandboxCredentials, secretsOf, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });

/** Each odd input, as an expression would hand it over, and what the user gets back. */
const phoneCases: Array<[string, unknown, string | number]> = [
	['an empty string', '', 'The phone is empty [item 0]'],
	['null', null, 'The phone is empty [item 0]'],
	['a number', 13155550175, 4250001],
	[
		'a number with a fraction',
		1315555.5,
		'The phone is not text but the number 1315555.5 [item 0]',
	],
	[
		'letters',
		'+1 315 CALL NOW',
		'The phone "+1 315 CALL NOW" contains characters that are not digits [item 0]',
	],
	[
		'Arabic-Indic digits',
		'١٣١٥٥٥٥٠١٧٥',
		'The phone "١٣١٥٥٥٥٠١٧٥" contains characters that are not digits [item 0]',
	],
	[
		'an emoji',
		'📞 13155550175',
		'The phone "📞 13155550175" contains characters that are not digits [item 0]',
	],
	[
		'too few digits',
		'+1 555',
		'The phone "+1 555" is not a possible phone number: it has 3 digits where a number after +1 has 10 [item 0]',
	],
	[
		'too many digits',
		'+1 315 555 0175 01750',
		'The phone "+1 315 555 0175 01750" is not a possible phone number: it has 15 digits where a number after +1 has 10 [item 0]',
	],
	[
		'a 10 kB string',
		'1'.repeat(10_240),
		`The phone "${'1'.repeat(32)}…" has 10240 digits, more than a phone number can have [item 0]`,
	],
	[
		'an object',
		{ number: '13155550175' },
		'The phone is not text but a value of type object [item 0]',
	],
	['a list', ['13155550175'], 'The phone is not text but a list [item 0]'],
	[
		'a plus in the middle',
		'1315+5550175',
		'The phone "1315+5550175" contains characters that are not digits [item 0]',
	],
	['a line break inside', '1315555\n0175', 4250001],
	['from a spreadsheet, with a trailing .0', '13155550175.0', 4250001],
	[
		'copied with direction marks and zero-width spaces',
		'\u202a+1\u200b 315 555 0175\u202c',
		4250001,
	],
	[
		'letters between invisible marks',
		'\u200e+1 315 CALL\u200f',
		'The phone "+1 315 CALL" contains characters that are not digits [item 0]',
	],
];

describe.each(phoneCases)('a phone that is %s', (_, phone, expected) => {
	test(
		typeof expected === 'number' ? 'is looked up' : 'fails its item before any request',
		async () => {
			const run = await runAltegio({
				parameters: byPhone('509', '={{ $json.phone }}'),
				items: [{ phone } as never],
				onError: 'continueRegularOutput',
				credentials: sandboxCredentials(sandbox()),
			});

			expect(run.status).toBe('success');
			if (typeof expected === 'number') {
				expect(run.outputs[0].map((item) => [item.json.id, item.pairedItem])).toEqual([
					[expected, { item: 0 }],
				]);
				expect(sandbox().requests.map((request) => request.rawQuery)).toEqual([
					'phone=13155550175',
				]);
			} else {
				expect(run.outputs[0]).toEqual([
					{
						json: {
							error: expected,
							message: String(expected).includes('not a possible')
								? 'Check the number and its country code'
								: 'Enter a phone number with its country code, such as +1 426 403 76 40',
						},
						pairedItem: { item: 0 },
					},
				]);
				expect(sandbox().requests).toHaveLength(0);
			}
		},
	);
});

const chainCases: Array<[string, unknown, string]> = [
	['a path', '509/../777', 'The chain ID "509/../777" is not a positive whole number [item 0]'],
	['negative', -1, 'The chain ID "-1" is not a positive whole number [item 0]'],
	['zero', '0', 'The chain ID "0" is not a positive whole number [item 0]'],
	['empty', '', 'The chain ID is not a positive whole number [item 0]'],
	[
		'a query string',
		'509?phone=1',
		'The chain ID "509?phone=1" is not a positive whole number [item 0]',
	],
	[
		'encoded',
		'509%2F..%2F777',
		'The chain ID "509%2F..%2F777" is not a positive whole number [item 0]',
	],
];

describe.each(chainCases)('a chain ID that is %s', (_, chain, message) => {
	test('fails its item and never reaches the URL', async () => {
		const run = await runAltegio({
			parameters: byPhone('={{ $json.chain }}', '13155550175'),
			items: [{ chain } as never],
			onError: 'continueRegularOutput',
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.outputs[0].map((item) => [item.json.error, item.pairedItem])).toEqual([
			[message, { item: 0 }],
		]);
		expect(sandbox().requests).toHaveLength(0);
	});
});

test('a phone with a plus and an ampersand-like text goes only into the encoded query', async () => {
	await runAltegio({
		parameters: byPhone('509', '+1 315 555 0175'),
		credentials: sandboxCredentials(sandbox()),
	});

	expect(sandbox().requests.map(({ path, rawQuery }) => [path, rawQuery])).toEqual([
		['/api/v1/group/509/clients', 'phone=13155550175'],
	]);
});

const tokenCases: Array<[string, Record<string, string>, string]> = [
	[
		'a partner token with a line break inside',
		{ partnerToken: 'sandbox-partner\ntoken-3f9a' },
		'The partner token in the Altegio API credential contains a space, a line break or a character that cannot be sent in an HTTP header [item 0]',
	],
	[
		'a user token with a space inside',
		{ userToken: 'sandbox-user token-7c21' },
		'The user token in the Altegio API credential contains a space, a line break or a character that cannot be sent in an HTTP header [item 0]',
	],
	[
		'a user token with a non-ASCII character',
		{ userToken: 'sandbox-user-tökén' },
		'The user token in the Altegio API credential contains a space, a line break or a character that cannot be sent in an HTTP header [item 0]',
	],
	[
		'an empty partner token',
		{ partnerToken: '   ' },
		'The partner token in the Altegio API credential is empty [item 0]',
	],
	[
		'login and password mode without a password',
		{ userAuth: 'loginPassword', login: 'owner@example.com', password: '' },
		'The Altegio API credential has no login or no password [item 0]',
	],
	[
		'a base URL that is not a URL',
		{ baseUrl: 'api.alteg.io/api/v1' },
		'The base URL in the Altegio API credential is not an http(s) URL [item 0]',
	],
];

describe.each(tokenCases)('a credential with %s', (_, data, message) => {
	test('is refused before any request, without echoing the secret', async () => {
		const run = await runAltegio({
			parameters: getChains,
			credentials: sandboxCredentials(sandbox(), data),
		});

		expect(run.error?.message).toBe(message);
		expect(sandbox().requests).toHaveLength(0);
		const tokens = [data.partnerToken, data.userToken].filter((token) => token?.trim());
		expectNoSecrets(run, [...secretsOf(sandbox()), ...(tokens as string[])]);
	});
});
