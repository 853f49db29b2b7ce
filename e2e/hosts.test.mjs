// The YCLIENTS environment in a real n8n: the node goes to https://api.yclients.com with the
// YCLIENTS Accept header. The host is served on this machine (a certificate made for it, trusted
// by n8n, and the name resolved to 127.0.0.1 inside n8n only) and passes requests to the sandbox.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { execute } from '../tools/n8n/harness.mjs';
import { startPublicHost } from './lib/public-host.mjs';
import { apiRequests, assertNoSecrets, describeRun, json, paired, setupSuite } from './lib/suite.mjs';
import { altegio, chainRef, manualTrigger, rowsNodes, workflow } from '../tools/n8n/workflows.mjs';

const YCLIENTS = { id: 'altegioYclients1', name: 'YCLIENTS' };

let ctx;
let host;

before(async () => {
	ctx = await setupSuite('hosts', {
		credentials: (sandbox) => [
			{
				...YCLIENTS,
				type: 'altegioApi',
				data: {
					environment: 'yclients',
					partnerToken: sandbox.seed.partnerToken,
					userToken: sandbox.seed.userToken,
				},
			},
		],
		workflows: () => [
			workflow({
				id: 'e2eYclients',
				nodes: [
					manualTrigger(),
					...rowsNodes([{ phone: '+7 926 403-76-40' }]),
					altegio({
						resource: 'chainClient',
						operation: 'getByPhone',
						chainId: chainRef(509),
						phone: '={{ $json.phone }}',
						credential: YCLIENTS,
					}),
				],
			}),
		],
	});
	host = await startPublicHost('api.yclients.com', ctx.sandbox.url);
});

after(async () => {
	await host?.close();
	await ctx?.close();
});

test('YCLIENTS credential: api.yclients.com, YCLIENTS Accept header, digits only', async () => {
	const result = await execute(ctx.instance, 'e2eYclients', { env: host.env });

	assert.equal(result.code, 0, describeRun(result));
	const items = result.items('Altegio');
	assert.deepEqual(json(items), [
		{
			id: 4250002,
			company_id: 39287,
			name: 'Ivan Petrov',
			email: 'ivan@example.com',
			salon_group_id: 509,
			phone: '+79264037640',
		},
	]);
	assert.deepEqual(paired(items), [{ item: 0 }]);
	assert.deepEqual(apiRequests(ctx.sandbox), [
		{
			method: 'GET',
			path: '/api/v1/group/509/clients',
			query: { phone: '79264037640' },
			authorization: `Bearer ${ctx.sandbox.seed.partnerToken}, User ${ctx.sandbox.seed.userToken}`,
			accept: 'application/vnd.yclients.v2+json',
			status: 200,
		},
	]);
	assertNoSecrets(ctx.instance, ctx.secrets);
});
