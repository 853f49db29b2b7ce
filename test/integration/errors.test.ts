import { runAltegio } from '../helpers/engine';
import { expectNoSecrets } from '../helpers/fakeExecuteFunctions';
import { byPhone, getChains, sandboxCredentials, secretsOf, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });

const mixedItems = [
	{ chain: 509, phone: '13155550175' },
	{ chain: 999, phone: '13155550175' },
	{ chain: 509, phone: 'call me' },
	{ chain: 509, phone: '14264037640' },
];
const mixedParameters = {
	...byPhone(),
	chainId: { __rl: true, mode: 'id', value: '={{ $json.chain }}' },
};

const accessDenied = {
	error: 'Access denied. [item 1]',
	message:
		'The Altegio user of this credential has no access to this chain or action. Check the chain ID and the user’s rights in Altegio',
};
const badPhone = {
	error: 'The phone "call me" contains characters that are not digits [item 2]',
	message: 'Enter a phone number with its country code, such as +1 426 403 76 40',
};

describe('API errors in the n8n engine', () => {
	test("an API error fails the run with the API's own message and the item", async () => {
		const run = await runAltegio({
			parameters: mixedParameters,
			items: mixedItems.slice(0, 2),
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.status).toBe('error');
		expect(run.error).toMatchObject({
			message: 'Access denied. [item 1]',
			description: accessDenied.message,
			httpCode: '403',
			context: { itemIndex: 1 },
		});
		expectNoSecrets(run, secretsOf(sandbox()));
	});

	test('Continue (regular output): each failed item yields one paired error item, the others carry on', async () => {
		const run = await runAltegio({
			parameters: mixedParameters,
			items: mixedItems,
			onError: 'continueRegularOutput',
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.status).toBe('success');
		expect(
			run.outputs[0].map(({ json, pairedItem }) => [json.error ?? json.id, pairedItem]),
		).toEqual([
			[4250001, { item: 0 }],
			['Access denied. [item 1]', { item: 1 }],
			['The phone "call me" contains characters that are not digits [item 2]', { item: 2 }],
			[4240880, { item: 3 }],
			[4243272, { item: 3 }],
		]);
		expect(run.outputs[0][1].json).toEqual(accessDenied);
		expect(run.outputs[0][2].json).toEqual(badPhone);
		expect(sandbox().requests).toHaveLength(3);
	});

	test('Continue (using error output): failed items go to the error output, paired', async () => {
		const run = await runAltegio({
			parameters: mixedParameters,
			items: mixedItems,
			onError: 'continueErrorOutput',
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.status).toBe('success');
		expect(run.outputs[0].map(({ json, pairedItem }) => [json.id, pairedItem])).toEqual([
			[4250001, { item: 0 }],
			[4240880, { item: 3 }],
			[4243272, { item: 3 }],
		]);
		expect(run.outputs[1]).toEqual([
			{ json: { ...mixedItems[1], ...accessDenied }, pairedItem: { item: 1 } },
			{ json: { ...mixedItems[2], ...badPhone }, pairedItem: { item: 2 } },
		]);
	});

	test('a wrong user token: the API message and what to check, never the token', async () => {
		const run = await runAltegio({
			parameters: getChains,
			credentials: sandboxCredentials(sandbox(), { userToken: 'stale-user-token-0000' }),
		});

		expect(run.error).toMatchObject({
			message: 'Authentication needed. [item 0]',
			description:
				"Check the partner token and user token in the Altegio API credential. A user token changes when the user's password changes",
			httpCode: '401',
		});
		expectNoSecrets(run, [...secretsOf(sandbox()), 'stale-user-token-0000']);
	});

	test('422 validation details are part of the message', async () => {
		sandbox().injectFaults({
			mode: 'status',
			status: 422,
			body: {
				success: false,
				data: null,
				meta: {
					message: 'An error has occurred.',
					errors: { phone: ['The phone format is invalid.', 'The phone must be 11 digits.'] },
				},
			},
		});
		const run = await runAltegio({
			parameters: byPhone(),
			items: [{ phone: '13155550175' }],
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.error).toMatchObject({
			message:
				'An error has occurred. (phone: The phone format is invalid., The phone must be 11 digits.) [item 0]',
			httpCode: '422',
		});
		expect(sandbox().requests).toHaveLength(1);
	});

	test('success:false on HTTP 200 is an error with its message', async () => {
		sandbox().injectFaults({
			mode: 'status',
			status: 200,
			body: { success: false, data: null, meta: { message: 'Not enough rights' } },
		});
		const run = await runAltegio({
			parameters: getChains,
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.error).toMatchObject({ message: 'Not enough rights [item 0]', httpCode: '200' });
	});

	test('an HTML page from a proxy is reported as such, after the retries', async () => {
		sandbox().injectFaults({ mode: 'html', status: 502, times: 2 });
		const run = await runAltegio({
			parameters: { ...getChains, options: { maxRetries: 1 } },
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.error).toMatchObject({
			message: 'The Altegio API answered with HTTP 502 and a body that is not JSON [item 0]',
			description:
				'A proxy or the API itself failed. Try again later, or turn on Retry On Fail in the node settings',
			httpCode: '502',
		});
		expect(sandbox().requests.map((request) => request.status)).toEqual([502, 502]);
	});

	test('an HTML 404 page says to check the API address', async () => {
		sandbox().injectFaults({ mode: 'html', status: 404 });
		const run = await runAltegio({
			parameters: getChains,
			credentials: sandboxCredentials(sandbox()),
		});

		expect(run.error).toMatchObject({
			message: 'The Altegio API answered with HTTP 404 and a body that is not JSON [item 0]',
			description: `Check that the API address ${sandbox().apiUrl} is the API root, such as https://api.alteg.io/api/v1`,
		});
	});
});
