// Editing an "Altegio API" credential (Login and Password) in a running n8n, the way the editor
// does: it reads the credential with its secrets blanked and sends the form back with the fields
// the user changed, so n8n keeps the stored session token of the previous user. The node must
// not use that token for the new login: the next run signs in as the new user.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
	REPO,
	publishWorkflow,
	startN8n,
	waitForWebhook,
	sandboxLoginCredential,
} from '../tools/n8n/harness.mjs';
import { assertNoSecrets, restSession, setupSuite } from './lib/suite.mjs';
import { altegio, node, workflow } from '../tools/n8n/workflows.mjs';

const CREDENTIAL = { id: 'altegioEdited001', name: 'Altegio (edited)' };
const WEBHOOK_PATH = 'altegio-credential-edit';
const OWNER = {
	email: 'credential-e2e@example.com',
	firstName: 'Credential',
	lastName: 'Editor',
	password: 'Credential-e2e-5678',
};
const MANAGER = { login: 'manager@example.com', password: 'sandbox-password-7c1f' };
// What n8n's editor receives in place of a secret and sends back for a field left as it was.
const BLANK = '__n8n_BLANK_VALUE_e5362baf-c777-4d57-a609-6eaf1f9e87f6';

const seed = JSON.parse(fs.readFileSync(path.join(REPO, 'sandbox', 'seed.json'), 'utf8'));
seed.users.push({ ...MANAGER, user: { id: 123457, name: 'Mia Anderson', login: MANAGER.login } });
const owner = seed.users.find((user) => !user.twoFactor);

let ctx;
let server;
let rest;

before(async () => {
	ctx = await setupSuite('credential-edit', {
		sandboxOptions: { seed },
		credentials: (sandbox) => [sandboxLoginCredential(sandbox, owner, CREDENTIAL)],
		workflows: () => [
			workflow({
				id: 'e2eCredentialEdit',
				nodes: [
					node(
						'Webhook',
						'n8n-nodes-base.webhook',
						2.1,
						{
							httpMethod: 'POST',
							path: WEBHOOK_PATH,
							responseMode: 'lastNode',
							responseData: 'allEntries',
							options: {},
						},
						{ webhookId: '5e7a1c2d-credential-edit-0001' },
					),
					altegio({ resource: 'chain', operation: 'getAll', credential: CREDENTIAL }),
				],
			}),
		],
	});
	ctx.secrets.push(MANAGER.password);
	await publishWorkflow(ctx.instance, 'e2eCredentialEdit');
	server = await startN8n(ctx.instance);
	rest = await restSession(server.url, OWNER, { setup: true });
	await waitForWebhook(server, WEBHOOK_PATH);
});

after(async () => {
	await server?.stop();
	await ctx?.close();
});

/** Runs the workflow through its webhook; returns the chains and the API requests it made. */
async function run() {
	ctx.sandbox.clearRequests();
	const response = await fetch(`${server.url}/webhook/${WEBHOOK_PATH}`, { method: 'POST' });
	assert.equal(response.status, 200, await response.clone().text());
	assert.deepEqual(await response.json(), ctx.sandbox.seed.chains);
	return ctx.sandbox.requests.map((r) => ({
		call: `${r.method} ${r.path.replace('/api/v1', '')} ${r.status}`,
		login: r.body?.login,
		user: /, User (\S+)$/.exec(r.headers.authorization ?? '')?.[1],
	}));
}

test('after the login is changed in the editor, the next run signs in as the new user', async () => {
	const first = await run();
	assert.deepEqual(
		first.map((r) => [r.call, r.login]),
		[
			['POST /auth 201', owner.login],
			['GET /groups 200', undefined],
		],
	);
	const ownersToken = first[1].user;
	ctx.secrets.push(ownersToken);
	assert.deepEqual(
		(await run()).map((r) => [r.call, r.user]),
		[['GET /groups 200', ownersToken]],
		'the stored session token is used again',
	);

	// The editor opens the credential: its secrets, the session token among them, come blanked.
	const opened = await rest('GET', `/credentials/${CREDENTIAL.id}?includeData=true`);
	assert.equal(opened.status, 200, JSON.stringify(opened.body));
	const { name, type, data } = opened.body.data;
	assert.equal(data.password, BLANK);
	assert.equal(data.sessionToken, BLANK);
	assert.equal(data.login, owner.login);
	// The user types the new login and its password and saves; the rest goes back as it came.
	const saved = await rest('PATCH', `/credentials/${CREDENTIAL.id}`, {
		name,
		type,
		data: { ...data, login: MANAGER.login, password: MANAGER.password },
	});
	assert.equal(saved.status, 200, JSON.stringify(saved.body));

	const afterEdit = await run();
	assert.deepEqual(
		afterEdit.map((r) => [r.call, r.login]),
		[
			['POST /auth 201', MANAGER.login],
			['GET /groups 200', undefined],
		],
	);
	assert.ok(afterEdit[1].user, 'the chains are read with a user token');
	assert.notEqual(afterEdit[1].user, ownersToken, "the previous user's session token is not used");
	ctx.secrets.push(afterEdit[1].user);
});

test('no token or password appears in anything n8n printed', () => {
	assertNoSecrets(ctx.instance, ctx.secrets);
});
