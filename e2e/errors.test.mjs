// API errors in a real n8n: a failed run carries the API's own message; "On Error" settings
// (continueErrorOutput, continueRegularOutput) route paired error items while other items carry
// on; "Retry On Fail" repeats the node; nothing secret is printed.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { execute } from './lib/n8n.mjs';
import { assertNoSecrets, describeRun, json, paired, setupSuite } from './lib/suite.mjs';
import { altegio, chainRef, manualTrigger, noOp, rowsNodes, workflow } from './lib/workflows.mjs';

const FAULT_MESSAGE = 'Sandbox fault: the service is temporarily unavailable';
const DENIED_CHAIN = 999; // not a chain of the seed's user: the API answers 403 "Access denied."

// Three input items; the middle one asks a chain the user has no access to.
const MIXED = [
	{ chain: 509, phone: '+1 (426) 403-76-40' },
	{ chain: DENIED_CHAIN, phone: '13155550175' },
	{ chain: 509, phone: '13155550175' },
];

let ctx;

const clientsOf = (digits) =>
	ctx.sandbox.seed.clients['509']
		.filter((c) => c.phone === digits)
		.map(({ phone, ...c }) => ({ ...c, salon_group_id: 509, phone: `+${phone}` }));

function mixedWorkflow(id, credential, settings, outputs) {
	const lookup = altegio({
		name: 'Find client',
		resource: 'chainClient',
		operation: 'getByPhone',
		chainId: chainRef('={{ $json.chain }}'),
		phone: '={{ $json.phone }}',
		credential,
		settings,
	});
	const nodes = [
		manualTrigger(),
		...rowsNodes(MIXED),
		lookup,
		...outputs.map((name) => noOp(name)),
	];
	return workflow({
		id,
		nodes,
		chain: ['Start', 'Input list', 'Input', 'Find client', outputs[0]],
		extra: outputs.slice(1).map((name, i) => ['Find client', i + 1, name]),
	});
}

before(async () => {
	ctx = await setupSuite('errors', {
		workflows: (sandbox, credential) => [
			workflow({
				id: 'e2eErrChains',
				nodes: [
					manualTrigger(),
					altegio({
						resource: 'chain',
						operation: 'getAll',
						options: { maxRetries: 0 },
						credential,
					}),
				],
			}),
			workflow({
				id: 'e2eErrChainsRetry',
				nodes: [manualTrigger(), altegio({ resource: 'chain', operation: 'getAll', credential })],
			}),
			workflow({
				id: 'e2eErrDenied',
				nodes: [
					manualTrigger(),
					altegio({
						resource: 'chainClient',
						operation: 'getByPhone',
						chainId: DENIED_CHAIN,
						phone: '13155550175',
						credential,
					}),
				],
			}),
			workflow({
				id: 'e2eErrBadPhone',
				nodes: [
					manualTrigger(),
					altegio({
						resource: 'chainClient',
						operation: 'getByPhone',
						chainId: 509,
						phone: 'call me maybe',
						credential,
					}),
				],
			}),
			mixedWorkflow('e2eErrMixedStop', credential, {}, ['Found']),
			mixedWorkflow('e2eErrMixedErrOut', credential, { onError: 'continueErrorOutput' }, [
				'Found',
				'Failed',
			]),
			mixedWorkflow('e2eErrMixedRegular', credential, { onError: 'continueRegularOutput' }, [
				'Next',
			]),
			workflow({
				id: 'e2eErrRetryOnFail',
				nodes: [
					manualTrigger(),
					altegio({
						resource: 'chainClient',
						operation: 'getByPhone',
						chainId: DENIED_CHAIN,
						phone: '13155550175',
						credential,
						settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 },
					}),
				],
			}),
			workflow({
				id: 'e2eErrRetryRecovers',
				nodes: [
					manualTrigger(),
					altegio({
						resource: 'chain',
						operation: 'getAll',
						options: { maxRetries: 0 },
						credential,
						settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 100 },
					}),
				],
			}),
		],
	});
});

after(async () => {
	await ctx?.close();
});

const fault500 = (times = 1) => ({
	mode: 'status',
	status: 500,
	body: { success: false, data: null, meta: { message: FAULT_MESSAGE } },
	times,
	match: { path: '/groups' },
});

test('an API error (500) fails the run with the API’s own message and HTTP code', async () => {
	ctx.sandbox.clearRequests();
	ctx.sandbox.injectFaults(fault500());
	const result = await execute(ctx.instance, 'e2eErrChains');
	assert.equal(result.code, 1, describeRun(result));
	assert.equal(result.status, 'error');
	assert.match(result.error.message, new RegExp(FAULT_MESSAGE));
	assert.equal(String(result.error.httpCode), '500');
	assert.equal(result.lastNodeExecuted, 'Altegio');
	assert.equal(ctx.sandbox.requests.length, 1, 'Max Retries 0: the node does not repeat it');
	ctx.sandbox.clearFaults();
});

test('403 "Access denied." fails the run with that message', async () => {
	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'e2eErrDenied');
	assert.equal(result.code, 1, describeRun(result));
	assert.equal(result.status, 'error');
	assert.match(result.error.message, /Access denied\./);
	assert.equal(String(result.error.httpCode), '403');
	assert.equal(ctx.sandbox.requests.length, 1, '403 is not repeated');
});

test('a phone that is not a phone fails before any request', async () => {
	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'e2eErrBadPhone');
	assert.equal(result.code, 1, describeRun(result));
	assert.match(result.error.message, /call me maybe/);
	assert.equal(ctx.sandbox.requests.length, 0);
});

test('the node repeats a 500 by itself (Max Retries) and then succeeds', async () => {
	ctx.sandbox.clearRequests();
	ctx.sandbox.injectFaults(fault500(2));
	const result = await execute(ctx.instance, 'e2eErrChainsRetry');
	assert.equal(result.code, 0, describeRun(result));
	assert.deepEqual(json(result.items('Altegio')), ctx.sandbox.seed.chains);
	assert.deepEqual(
		ctx.sandbox.requests.map((r) => r.status),
		[500, 500, 200],
	);
});

test('one failing item stops the workflow by default', async () => {
	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'e2eErrMixedStop');
	assert.equal(result.code, 1, describeRun(result));
	assert.equal(result.status, 'error');
	assert.match(result.error.message, /Access denied\./);
	assert.equal(result.nodes.Found, undefined);
});

test('On Error "continueErrorOutput": the failed item goes to the error output, paired; the others carry on', async () => {
	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'e2eErrMixedErrOut');
	assert.equal(result.code, 0, describeRun(result));
	assert.equal(result.status, 'success');

	const success = result.items('Find client', 0);
	assert.deepEqual(json(success), [...clientsOf('14264037640'), ...clientsOf('13155550175')]);
	assert.deepEqual(paired(success), [{ item: 0 }, { item: 0 }, { item: 2 }]);

	const failed = result.items('Find client', 1);
	assert.equal(failed.length, 1);
	assert.deepEqual(failed[0].pairedItem, { item: 1 });
	// The node emits { error, message }, the shape n8n 1.x and 2.x both send to the error output;
	// there n8n merges the fields of the paired input item into it (handleNodeErrorOutput).
	const error = failed[0].json;
	assert.deepEqual(error, {
		...MIXED[1],
		error: 'Access denied. [item 1]',
		message:
			'The Altegio user of this credential has no access to this chain or action. Check the chain ID and the user’s rights in Altegio',
	});
	// Both outputs reach their next node.
	assert.deepEqual(json(result.items('Found')), json(success));
	assert.deepEqual(json(result.items('Failed')), [error]);
});

test('On Error "continueRegularOutput": the error item stays in item order on the main output', async () => {
	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'e2eErrMixedRegular');
	assert.equal(result.code, 0, describeRun(result));
	const items = result.items('Find client');
	assert.deepEqual(paired(items), [{ item: 0 }, { item: 0 }, { item: 1 }, { item: 2 }]);
	assert.deepEqual(json(items.filter((_, i) => i !== 2)), [
		...clientsOf('14264037640'),
		...clientsOf('13155550175'),
	]);
	assert.deepEqual(Object.keys(items[2].json).sort(), ['error', 'message']);
	assert.equal(items[2].json.error, 'Access denied. [item 1]');
	assert.equal(result.items('Next').length, 4);
});

test('Retry On Fail (3 tries): n8n runs the node three times, then fails', async () => {
	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'e2eErrRetryOnFail');
	assert.equal(result.code, 1, describeRun(result));
	assert.match(result.error.message, /Access denied\./);
	assert.deepEqual(
		ctx.sandbox.requests.map((r) => `${r.path} ${r.status}`),
		Array(3).fill(`/api/v1/group/${DENIED_CHAIN}/clients 403`),
	);
});

test('Retry On Fail: a second try after a 500 succeeds', async () => {
	ctx.sandbox.clearRequests();
	ctx.sandbox.injectFaults(fault500(1));
	const result = await execute(ctx.instance, 'e2eErrRetryRecovers');
	assert.equal(result.code, 0, describeRun(result));
	assert.deepEqual(json(result.items('Altegio')), ctx.sandbox.seed.chains);
	assert.deepEqual(
		ctx.sandbox.requests.map((r) => r.status),
		[500, 200],
	);
});

test('no token appears in anything n8n printed, errors included', () => {
	assertNoSecrets(ctx.instance, ctx.secrets);
});
