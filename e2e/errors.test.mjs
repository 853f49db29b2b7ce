// The error output in a real n8n: with On Error "continueErrorOutput" the failed item reaches the
// error branch paired to its input (n8n merges the input's fields into it), the others carry on, and
// nothing secret is printed. The messages, Retry On Fail and the other On Error settings are
// covered by test/integration (errors, faults, operations) in n8n-core's engine.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { execute } from '../tools/n8n/harness.mjs';
import { assertNoSecrets, describeRun, json, paired, setupSuite } from './lib/suite.mjs';
import {
	altegio,
	chainRef,
	manualTrigger,
	noOp,
	rowsNodes,
	workflow,
} from '../tools/n8n/workflows.mjs';

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
			mixedWorkflow('e2eErrMixedErrOut', credential, { onError: 'continueErrorOutput' }, [
				'Found',
				'Failed',
			]),
		],
	});
});

after(async () => {
	await ctx?.close();
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
	// there both merge the fields of the paired input item into it (handleNodeErrorOutput).
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

test('no token appears in anything n8n printed, errors included', () => {
	assertNoSecrets(ctx.instance, ctx.secrets);
});
