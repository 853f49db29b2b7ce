import type { IDataObject, IHttpRequestOptions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { resources } from '../../../../nodes/Altegio/actions';
import { ITEMS_IN_FLIGHT, router, WRITTEN_LISTED } from '../../../../nodes/Altegio/actions/router';
import type { FakeContext, FakeOptions, FullResponse } from '../../../helpers/fakeExecuteFunctions';
import {
	caught,
	expectNoSecrets,
	fakeExecuteFunctions,
	fixture,
	respond,
} from '../../../helpers/fakeExecuteFunctions';

const CHAIN_509 = { __rl: true, mode: 'id', value: '509' };
const FORBIDDEN_HINT =
	'The Altegio user of this credential has no access to this chain or action. Check the chain ID and the user’s rights in Altegio';
const PHONE_HINT = 'Enter a phone number with its country code, such as +1 426 403 76 40';

const OLIVIA_ROWS = [
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
];
const IVAN_ROW = {
	id: 4250002,
	company_id: 39287,
	name: 'Ivan Petrov',
	email: 'ivan@example.com',
	salon_group_id: 509,
	phone: '79264037640',
};

/** A fake API that answers /group/{id}/clients by the phone in the query. */
function clientsApi(byPhone: Record<string, FullResponse | (() => Promise<FullResponse>)>) {
	return jest.fn(async (_type: string, options: IHttpRequestOptions) => {
		const answer = byPhone[String(options.qs?.phone)];
		if (answer === undefined) return respond(404, fixture('client-not-found.json'));
		return typeof answer === 'function' ? await answer() : answer;
	});
}

/** The chain-client lookup, one phone per input item (like `{{ $json.phone }}`). */
function lookup(phones: unknown[], options: FakeOptions = {}): FakeContext {
	return fakeExecuteFunctions({
		items: phones.map((phone) => ({ json: { phone } as IDataObject })),
		...options,
		parameters: {
			resource: 'chainClient',
			operation: 'getByPhone',
			chainId: CHAIN_509,
			phone: (itemIndex: number) => phones[itemIndex],
			...options.parameters,
		},
	});
}

function deferred<T>() {
	let resolve: (value: T) => void = () => {};
	const promise = new Promise<T>((done) => (resolve = done));
	return { promise, resolve };
}

async function flush() {
	for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function paired(rows: IDataObject[], item: number): INodeExecutionData[] {
	return rows.map((json) => ({ json, pairedItem: { item } }));
}

describe('router: items and pairing', () => {
	test('two items: one lookup each, outputs in item order, each row paired to its item', async () => {
		const http = clientsApi({
			'14264037640': respond(200, fixture('chain-clients.json')),
			'79264037640': respond(200, fixture('chain-clients-yclients.json')),
		});
		const ctx = lookup(['+1 (426) 403-76-40', '+7 926 403-76-40'], { http });

		const output = await router.call(ctx);

		expect(http.mock.calls.map(([, options]) => [options.url, options.qs])).toEqual([
			['/group/509/clients', { phone: '14264037640' }],
			['/group/509/clients', { phone: '79264037640' }],
		]);
		expect(output).toEqual([[...paired(OLIVIA_ROWS, 0), ...paired([IVAN_ROW], 1)]]);
	});

	test('an item whose lookup finds nobody adds nothing to the output', async () => {
		const http = clientsApi({
			'14264037640': respond(200, fixture('chain-clients.json')),
			'10000000000': respond(200, fixture('chain-clients-empty.json')),
			'79264037640': respond(200, fixture('chain-clients-yclients.json')),
		});
		// item 1: 404 "Client not found"; item 2: 200 with an empty list
		const ctx = lookup(['14264037640', '19999999999', '10000000000', '+7 926 403 76 40'], { http });

		const output = await router.call(ctx);

		expect(output).toEqual([[...paired(OLIVIA_ROWS, 0), ...paired([IVAN_ROW], 3)]]);
		expect(http).toHaveBeenCalledTimes(4);
	});

	test('Get Many chains: every chain is a row paired to the item', async () => {
		const ctx = fakeExecuteFunctions({ parameters: { resource: 'chain', operation: 'getAll' } });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('groups.json')),
		);

		const [rows] = await router.call(ctx);

		expect(rows.map((row) => [row.json.id, row.json.title, row.pairedItem])).toEqual([
			[509, 'Chain of salons in New York', { item: 0 }],
			[508, 'Spa chain in Boston', { item: 0 }],
			[1509, 'NEW YORK Nails', { item: 0 }],
		]);
	});

	test('identical lookups of several items go out once, and each item gets its own paired rows', async () => {
		const ctx = fakeExecuteFunctions({
			items: [{ json: {} }, { json: {} }],
			parameters: { resource: 'chain', operation: 'getAll' },
		});
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('groups.json')),
		);

		const [rows] = await router.call(ctx);

		expect(ctx.helpers.httpRequestWithAuthentication).toHaveBeenCalledTimes(1);
		expect(rows.map((row) => [row.json.id, row.pairedItem])).toEqual([
			[509, { item: 0 }],
			[508, { item: 0 }],
			[1509, { item: 0 }],
			[509, { item: 1 }],
			[508, { item: 1 }],
			[1509, { item: 1 }],
		]);
	});

	test('no input items: no request, no output', async () => {
		const ctx = fakeExecuteFunctions({
			items: [],
			parameters: { resource: 'chain', operation: 'getAll' },
		});

		expect(await router.call(ctx)).toEqual([[]]);
		expect(ctx.helpers.httpRequestWithAuthentication).not.toHaveBeenCalled();
	});

	test('the credential is asked for before the first item’s parameters: n8n reads it meanwhile', async () => {
		const asked: string[] = [];
		const ctx = lookup(['+14264037640'], { http: clientsApi({}) });
		const { getNodeParameter, getCredentials } = ctx;
		ctx.getNodeParameter = ((name: string, ...rest: unknown[]) => {
			asked.push(`${name} ${String(rest[0])}`);
			return (getNodeParameter as (...args: unknown[]) => unknown).call(ctx, name, ...rest);
		}) as typeof ctx.getNodeParameter;
		ctx.getCredentials = (async (...args: Parameters<typeof getCredentials>) => {
			asked.push('credential');
			return await getCredentials(...args);
		}) as typeof ctx.getCredentials;

		await router.call(ctx);

		expect(asked.indexOf('credential')).toBeGreaterThan(-1);
		expect(asked.indexOf('credential')).toBeLessThan(asked.indexOf('phone 0'));
	});
});

describe('router: order and concurrency', () => {
	test('the output keeps the input order when later items finish first', async () => {
		const answers = [0, 1, 2].map(() => deferred<FullResponse>());
		const http = clientsApi({
			'14264037640': async () => await answers[0].promise,
			'79264037640': async () => await answers[1].promise,
			'10000000000': async () => await answers[2].promise,
		});
		const ctx = lookup(['14264037640', '79264037640', '10000000000'], { http });

		const pending = router.call(ctx);
		await flush();
		expect(http).toHaveBeenCalledTimes(3);
		answers[2].resolve(respond(200, fixture('chain-clients-empty.json')));
		await flush();
		answers[1].resolve(respond(200, fixture('chain-clients-yclients.json')));
		await flush();
		answers[0].resolve(respond(200, fixture('chain-clients.json')));

		expect(await pending).toEqual([[...paired(OLIVIA_ROWS, 0), ...paired([IVAN_ROW], 1)]]);
	});

	test(`at most ${ITEMS_IN_FLIGHT} items are in flight at once`, async () => {
		const phones = Array.from({ length: 25 }, (_, i) => `1426403${String(i).padStart(4, '0')}`);
		const answers: Array<ReturnType<typeof deferred<FullResponse>>> = [];
		const http = jest.fn(async (_type: string, _options: IHttpRequestOptions) => {
			const answer = deferred<FullResponse>();
			answers.push(answer);
			return await answer.promise;
		});
		const ctx = lookup(phones, { http });

		const pending = router.call(ctx);
		await flush();
		expect(http).toHaveBeenCalledTimes(10);
		answers.shift()?.resolve(respond(200, fixture('chain-clients-empty.json')));
		await flush();
		expect(http).toHaveBeenCalledTimes(11);
		let settled = false;
		void pending.then(() => (settled = true));
		while (!settled) {
			expect(answers.length).toBeLessThanOrEqual(ITEMS_IN_FLIGHT);
			for (const answer of answers.splice(0))
				answer.resolve(respond(200, fixture('chain-clients-empty.json')));
			await flush();
		}

		expect(await pending).toEqual([[]]);
		expect(http).toHaveBeenCalledTimes(25);
	});
});

describe('router: failures', () => {
	test('continue on fail: the failed item becomes a paired error item, the others carry on', async () => {
		const http = clientsApi({
			'14264037640': respond(200, fixture('chain-clients.json')),
			'79264037640': respond(200, fixture('chain-clients-yclients.json')),
		});
		const ctx = lookup(['+1 426 403 76 40', 'call me', '+7 926 403 76 40'], {
			http,
			continueOnFail: true,
		});

		const output = await router.call(ctx);

		expect(output).toEqual([
			[
				...paired(OLIVIA_ROWS, 0),
				{
					json: {
						error: 'The phone "call me" contains characters that are not digits [item 1]',
						message: PHONE_HINT,
					},
					pairedItem: { item: 1 },
				},
				...paired([IVAN_ROW], 2),
			],
		]);
		expect(http).toHaveBeenCalledTimes(2);
	});

	test('continue on fail: an API error item carries the message and what to do', async () => {
		const http = clientsApi({
			'14264037640': respond(200, fixture('chain-clients.json')),
			'79264037640': respond(403, fixture('errors/forbidden.json')),
		});
		const ctx = lookup(['14264037640', '79264037640'], { http, continueOnFail: true });

		const output = await router.call(ctx);

		expect(output).toEqual([
			[
				...paired(OLIVIA_ROWS, 0),
				{
					json: {
						error: 'Access denied. [item 1]',
						message: FORBIDDEN_HINT,
					},
					pairedItem: { item: 1 },
				},
			],
		]);
		expectNoSecrets(output);
	});

	test('without continue on fail: the failed item’s error is thrown as it is', async () => {
		const http = clientsApi({ '14264037640': respond(200, fixture('chain-clients.json')) });
		const ctx = lookup(['14264037640', '12'], { http });

		const error = await caught(router.call(ctx));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe(
			'The phone "12" is not a possible phone number: it has 1 digit where a number after +1 has 10; if it is a national number, no Default Country is set to read it by [item 1]',
		);
		expect(error.description).toBe(
			'Set Default Country in the Altegio API credential to the country of such national numbers, or enter the number with + and its country code, such as +7 916 123 45 67',
		);
		expect(error.context.itemIndex).toBe(1);
	});

	test('without continue on fail: an API error keeps its class, status and item', async () => {
		const ctx = lookup(['14264037640'], {
			http: clientsApi({ '14264037640': respond(403, fixture('errors/forbidden.json')) }),
		});

		const error = await caught(router.call(ctx));

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Access denied. [item 0]');
		expect(error.httpCode).toBe('403');
		expect(error.context.itemIndex).toBe(0);
	});

	test('without continue on fail: no further item is started after a failure', async () => {
		const phones = Array.from({ length: 14 }, (_, i) =>
			i === 3 ? 'not a phone' : `1426403${String(i).padStart(4, '0')}`,
		);
		const http = jest.fn(async (_type: string, _options: IHttpRequestOptions) => {
			await new Promise<void>((resolve) => setImmediate(resolve));
			return respond(200, fixture('chain-clients-empty.json'));
		});
		const ctx = lookup(phones, { http });

		const error = await caught(router.call(ctx));

		expect(error.message).toBe(
			'The phone "not a phone" contains characters that are not digits [item 3]',
		);
		// items 0–9 started together; item 3 failed at once, so items 10–13 never started
		const asked = http.mock.calls.map(([, options]) => options.qs?.phone);
		expect(asked).toEqual(phones.slice(0, 10).filter((_, i) => i !== 3));
	});

	test('without continue on fail: the error of the first failed item is thrown, not the first to fail', async () => {
		const late = deferred<FullResponse>();
		const http = clientsApi({
			'14264037640': async () => await late.promise,
			'79264037640': respond(200, fixture('chain-clients-yclients.json')),
		});
		const ctx = lookup(['79264037640', '14264037640', 'abc'], { http });

		const pending = caught(router.call(ctx));
		await flush();
		// item 2 has failed by now; item 1 fails later
		late.resolve(respond(403, fixture('errors/forbidden.json')));
		const error = await pending;

		expect(error).toBeInstanceOf(NodeApiError);
		expect(error.message).toBe('Access denied. [item 1]');
		expect(error.context.itemIndex).toBe(1);
	});

	test('an error that is not n8n’s (such as a failed expression) becomes a NodeOperationError with the item', async () => {
		const ctx = fakeExecuteFunctions({
			items: [{ json: {} }, { json: {} }],
			parameters: {
				resource: 'chainClient',
				operation: 'getByPhone',
				chainId: CHAIN_509,
				phone: (itemIndex: number) => {
					if (itemIndex === 1)
						throw new TypeError("Cannot read properties of undefined (reading 'phone')");
					return '14264037640';
				},
			},
		});
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('chain-clients.json')),
		);

		const error = await caught(router.call(ctx));

		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe("Cannot read properties of undefined (reading 'phone')");
		expect(error.context.itemIndex).toBe(1);
	});

	test('continue on fail with an error that is not n8n’s: a paired item with its message', async () => {
		const ctx = fakeExecuteFunctions({
			items: [{ json: {} }, { json: {} }],
			continueOnFail: true,
			parameters: {
				resource: 'chainClient',
				operation: 'getByPhone',
				chainId: CHAIN_509,
				phone: (itemIndex: number) => {
					if (itemIndex === 0)
						throw new TypeError("Cannot read properties of undefined (reading 'phone')");
					return '14264037640';
				},
			},
		});
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('chain-clients.json')),
		);

		const output = await router.call(ctx);

		expect(output).toEqual([
			[
				{
					json: { error: "Cannot read properties of undefined (reading 'phone')" },
					pairedItem: { item: 0 },
				},
				...paired(OLIVIA_ROWS, 1),
			],
		]);
	});

	test.each([
		['chain', 'delete', 'The operation "delete" is not known for the resource "chain"'],
		['chain', 'getByPhone', 'The operation "getByPhone" is not known for the resource "chain"'],
		['invoice', 'getAll', 'The operation "getAll" is not known for the resource "invoice"'],
	])(
		'unknown resource/operation %s/%s → NodeOperationError, no request',
		async (resource, operation, message) => {
			const ctx = fakeExecuteFunctions({
				parameters: { resource, operation },
				continueOnFail: true,
			});

			const error = await caught(router.call(ctx));

			expect(error).toBeInstanceOf(NodeOperationError);
			expect(error.message).toBe(message);
			expect(error.description).toBe('Open the node and choose one of the listed operations');
			expect(ctx.helpers.httpRequestWithAuthentication).not.toHaveBeenCalled();
		},
	);
});

describe('router: writes', () => {
	const LOCATION = { __rl: true, mode: 'id', value: '38726' };

	/** Appointment → Delete for `count` items; the item `bad` has an appointment ID that is not one. */
	function deletes(count: number, bad: number, options: FakeOptions = {}): FakeContext {
		return fakeExecuteFunctions({
			items: Array.from({ length: count }, () => ({ json: {} })),
			...options,
			parameters: {
				resource: 'appointment',
				operation: 'delete',
				locationId: LOCATION,
				appointmentId: (itemIndex: number) =>
					itemIndex === bad ? 'abc' : String(61000000 + itemIndex),
			},
		});
	}

	/** The API's answer to every DELETE: 204, no body. */
	const deleted = () =>
		jest.fn(async (_type: string, _options: IHttpRequestOptions) => respond(204, ''));

	test('the operations that write are exactly those whose description says so', () => {
		for (const resource of Object.values(resources)) {
			for (const operation of Object.values(resource.operations)) {
				const says = /This writes to Altegio/.test(String(operation.option.description));
				expect([resource.option.value, operation.option.value, operation.writes === true]).toEqual([
					resource.option.value,
					operation.option.value,
					says,
				]);
			}
		}
	});

	test('items are written one at a time, in order', async () => {
		const answers: Array<ReturnType<typeof deferred<FullResponse>>> = [];
		const http = jest.fn(async (_type: string, _options: IHttpRequestOptions) => {
			const answer = deferred<FullResponse>();
			answers.push(answer);
			return await answer.promise;
		});
		const ctx = deletes(3, -1, { http });

		const pending = router.call(ctx);
		for (let written = 1; written <= 3; written++) {
			await flush();
			expect(http).toHaveBeenCalledTimes(written);
			answers.shift()?.resolve({ statusCode: 204, body: '' });
		}

		expect(http.mock.calls.map(([, options]) => [options.method, options.url])).toEqual([
			['DELETE', '/record/38726/61000000'],
			['DELETE', '/record/38726/61000001'],
			['DELETE', '/record/38726/61000002'],
		]);
		expect((await pending)[0].map((item) => item.json.id)).toEqual([61000000, 61000001, 61000002]);
	});

	test('a failed item: no later item is sent, and the error lists what was written', async () => {
		const http = deleted();
		const ctx = deletes(5, 2, { http });

		const error = await caught(router.call(ctx));

		expect(http).toHaveBeenCalledTimes(2);
		expect(error).toBeInstanceOf(NodeOperationError);
		expect(error.message).toBe('The appointment ID "abc" is not a positive whole number [item 2]');
		expect(error.context.itemIndex).toBe(2);
		expect(error.description).toMatch(
			/\. Items 0–1 were written before this failure: appointment 61000000 \(item 0\), appointment 61000001 \(item 1\); items 3–4 were not sent\. Leave items 0–1 out when you run the node again$/,
		);
	});

	test('the last item fails after one written item: nothing more to say about items not sent', async () => {
		const http = deleted();

		const error = await caught(router.call(deletes(2, 1, { http })));

		expect(error.description).toMatch(
			/\. Item 0 was written before this failure: appointment 61000000 \(item 0\)\. Leave item 0 out when you run the node again$/,
		);
	});

	test(`a long run lists the first ${WRITTEN_LISTED} written records and counts the others`, async () => {
		const http = deleted();

		const error = await caught(router.call(deletes(30, 25, { http })));

		expect(http).toHaveBeenCalledTimes(25);
		const listed = Array.from(
			{ length: WRITTEN_LISTED },
			(_, i) => `appointment ${61000000 + i} (item ${i})`,
		).join(', ');
		expect(error.description).toContain(
			`. Items 0–24 were written before this failure: ${listed}, and 5 more (items 20–24); items 26–29 were not sent. Leave items 0–24 out when you run the node again`,
		);
	});

	test('continue on fail: every item is sent, the failed one is a paired error item', async () => {
		const http = deleted();
		const ctx = deletes(3, 1, { http, continueOnFail: true });

		const [rows] = await router.call(ctx);

		expect(http).toHaveBeenCalledTimes(2);
		expect(rows.map((row) => [row.json.id ?? row.json.error, row.pairedItem])).toEqual([
			[61000000, { item: 0 }],
			['The appointment ID "abc" is not a positive whole number [item 1]', { item: 1 }],
			[61000002, { item: 2 }],
		]);
	});
});
