// Get Chain Client by Phone in a real n8n: several input items with phones typed in different ways,
// exact output items paired back to their input item, "nobody found" as no items, and the exact
// requests the API receives.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { execute } from '../tools/n8n/harness.mjs';
import {
	apiRequests,
	assertNoSecrets,
	describeRun,
	json,
	paired,
	setupSuite,
} from './lib/suite.mjs';
import {
	altegio,
	chainRef,
	manualTrigger,
	noOp,
	rowsNodes,
	workflow,
} from '../tools/n8n/workflows.mjs';

const ACCEPT = 'application/vnd.api.v2+json';
const CHAIN = 509;

// Input items and what each one must produce.
const INPUTS = [
	{ phone: '+1 (426) 403-76-40', digits: '14264037640' }, // two clients (one per location)
	{ phone: '13155550175', digits: '13155550175' }, // one client
	{ phone: '+1 000 000-00-00', digits: '10000000000' }, // the API answers with an empty list
	{ phone: '+7 926 403 76 40', digits: '79264037640' }, // one client
	{ phone: '1 999 555 0100', digits: '19995550100' }, // the API answers 404 "Client not found"
	{ phone: '+1.315.555.0175', digits: '13155550175' }, // the same client as item 1, typed differently
];

// 16 distinct phones (nobody has them: 404 each) to watch the node pace its requests.
const PACED_PHONES = Array.from({ length: 16 }, (_, i) => `1555000${String(i).padStart(4, '0')}`);

let ctx;

/** What the node must output for a phone: the seed's clients with the chain id and the phone. */
function expectedClients(seed, digits) {
	return (seed.clients[String(CHAIN)] ?? [])
		.filter((client) => client.phone === digits)
		.map(({ phone, ...client }) => ({ ...client, salon_group_id: CHAIN, phone: `+${phone}` }));
}

before(async () => {
	ctx = await setupSuite('get-by-phone', {
		workflows: (sandbox, credential) => [
			workflow({
				id: 'e2ePhones',
				nodes: [
					manualTrigger(),
					...rowsNodes(INPUTS.map(({ phone }) => ({ phone }))),
					altegio({
						resource: 'chainClient',
						operation: 'getByPhone',
						chainId: CHAIN,
						phone: '={{ $json.phone }}',
						credential,
					}),
					noOp('Next'),
				],
			}),
			workflow({
				id: 'e2ePhonesNone',
				nodes: [
					manualTrigger(),
					...rowsNodes([{ phone: '10000000000' }, { phone: '+1 999 555 01 00' }]),
					altegio({
						resource: 'chainClient',
						operation: 'getByPhone',
						chainId: CHAIN,
						phone: '={{ $json.phone }}',
						credential,
					}),
					noOp('Next'),
				],
			}),
			workflow({
				id: 'e2ePhonesPaced',
				nodes: [
					manualTrigger(),
					...rowsNodes(PACED_PHONES.map((phone) => ({ phone }))),
					altegio({
						resource: 'chainClient',
						operation: 'getByPhone',
						chainId: CHAIN,
						phone: '={{ $json.phone }}',
						credential,
					}),
				],
			}),
			workflow({
				id: 'e2ePhoneFromList',
				nodes: [
					manualTrigger(),
					altegio({
						resource: 'chainClient',
						operation: 'getByPhone',
						// The "From List" mode of the resource locator, as the editor saves it.
						chainId: {
							...chainRef(CHAIN, 'list'),
							cachedResultName: 'Chain of salons in New York',
						},
						phone: '+1 315 555 01 75',
						credential,
					}),
				],
			}),
		],
	});
});

after(async () => {
	await ctx?.close();
});

test('Get by Phone: exact items for every input item, each paired to its input item', async () => {
	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'e2ePhones');
	assert.equal(result.code, 0, describeRun(result));
	assert.equal(result.status, 'success');

	const expected = INPUTS.flatMap(({ digits }, item) =>
		expectedClients(ctx.sandbox.seed, digits).map((client) => ({
			json: client,
			pairedItem: { item },
		})),
	);
	assert.equal(expected.length, 5, 'the fixture covers 2 + 1 + 0 + 1 + 0 + 1 clients');
	const items = result.items('Altegio');
	assert.deepEqual(json(items), json(expected));
	assert.deepEqual(paired(items), paired(expected));
	// The items reach the next node unchanged.
	assert.deepEqual(json(result.items('Next')), json(expected));
});

test('the API receives one GET per distinct phone, digits only, with the credential header', async () => {
	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'e2ePhones');
	assert.equal(result.code, 0, describeRun(result));
	const { partnerToken, userToken } = ctx.sandbox.seed;
	const requests = apiRequests(ctx.sandbox);
	const distinct = [...new Set(INPUTS.map((input) => input.digits))];
	assert.deepEqual(
		requests.map((r) => r.query.phone).sort(),
		distinct.sort(),
		'each distinct phone is asked once, as digits',
	);
	const statusOf = (digits) => (digits === '19995550100' ? 404 : 200);
	for (const request of requests) {
		assert.deepEqual(request, {
			method: 'GET',
			path: `/api/v1/group/${CHAIN}/clients`,
			query: { phone: request.query.phone },
			authorization: `Bearer ${partnerToken}, User ${userToken}`,
			accept: ACCEPT,
			status: statusOf(request.query.phone),
		});
	}
});

test('nobody found (empty list or 404 "Client not found"): no items and a successful run', async () => {
	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'e2ePhonesNone');
	assert.equal(result.code, 0, describeRun(result));
	assert.equal(result.status, 'success');
	assert.equal(result.error, undefined);
	assert.deepEqual(result.items('Altegio'), []);
	assert.equal(result.nodes.Next, undefined, 'the next node does not run without items');
	assert.deepEqual(ctx.sandbox.requests.map((r) => `${r.query.phone} ${r.status}`).sort(), [
		'10000000000 200',
		'19995550100 404',
	]);
});

test('16 items: the node paces its requests to the credential’s 5 per second', async () => {
	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'e2ePhonesPaced');
	assert.equal(result.code, 0, describeRun(result));
	assert.deepEqual(result.items('Altegio'), []);
	// A process never refused counts a request from its grant; on a busy machine one may leave late
	// and draw one burst of 429s within a second, retried. The benchmark shows none on a quiet one.
	const refused = ctx.sandbox.requests.filter((r) => r.status === 429).map((r) => r.at);
	assert.ok(refused.length <= 5, `at most one burst of 429s (${refused.length})`);
	if (refused.length > 0) assert.ok(Math.max(...refused) - Math.min(...refused) < 1000);
	const requests = ctx.sandbox.requests.filter((r) => r.status !== 429);
	assert.deepEqual(requests.map((r) => r.query.phone).sort(), [...PACED_PHONES].sort());
	assert.deepEqual(
		requests.map((r) => r.status),
		PACED_PHONES.map(() => 404),
	);
	const times = requests.map((r) => r.at).sort((a, b) => a - b);
	for (let i = 5; i < times.length; i++) {
		assert.ok(times[i] - times[i - 5] >= 1000, `at most 5 requests in any second (request ${i})`);
	}
});

test('a chain picked "From List" and a fixed phone work the same way', async () => {
	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'e2ePhoneFromList');
	assert.equal(result.code, 0, describeRun(result));
	const items = result.items('Altegio');
	assert.deepEqual(json(items), expectedClients(ctx.sandbox.seed, '13155550175'));
	assert.deepEqual(paired(items), [{ item: 0 }]);
	assert.deepEqual(
		ctx.sandbox.requests.map((r) => `${r.path}?phone=${r.query.phone}`),
		[`/api/v1/group/${CHAIN}/clients?phone=13155550175`],
	);
});

test('no token appears in anything n8n printed', () => {
	assertNoSecrets(ctx.instance, ctx.secrets);
});
