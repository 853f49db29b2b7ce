// The package in a real n8n: it installs and loads as a community package, Get Chains returns the
// API's chain objects, and the credential's Authorization header (user token or login+password)
// reaches the API.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
	execute,
	importWorkflows,
	n8n,
	NODE_TYPE,
	PACKAGE_NAME,
	sandboxLoginCredential,
	TOOL_NODE_TYPE,
} from '../tools/n8n/harness.mjs';
import {
	apiRequests,
	assertNoSecrets,
	describeRun,
	json,
	paired,
	setupSuite,
} from './lib/suite.mjs';
import { altegio, manualTrigger, rowsNodes, workflow } from '../tools/n8n/workflows.mjs';

const ACCEPT = 'application/vnd.api.v2+json';
const LOGIN_CREDENTIAL = { id: 'altegioLogin0001', name: 'Altegio sandbox (login)' };

let ctx;

before(async () => {
	ctx = await setupSuite('chains', {
		credentials: (sandbox) => {
			const owner = sandbox.seed.users.find((u) => !u.twoFactor);
			return [sandboxLoginCredential(sandbox, owner, LOGIN_CREDENTIAL)];
		},
		workflows: (sandbox, credential) => [
			workflow({
				id: 'e2eChains',
				nodes: [manualTrigger(), altegio({ resource: 'chain', operation: 'getAll', credential })],
			}),
			workflow({
				id: 'e2eChainsLogin',
				nodes: [
					manualTrigger(),
					altegio({ resource: 'chain', operation: 'getAll', credential: LOGIN_CREDENTIAL }),
				],
			}),
			workflow({
				id: 'e2eChains3Items',
				nodes: [
					manualTrigger(),
					...rowsNodes([{ n: 1 }, { n: 2 }, { n: 3 }]),
					altegio({ resource: 'chain', operation: 'getAll', credential }),
				],
			}),
		],
	});
});

after(async () => {
	await ctx?.close();
});

const TRIGGER_TYPE = `${PACKAGE_NAME}.altegioTrigger`;
const APPOINTMENT_TRIGGER_TYPE = `${PACKAGE_NAME}.altegioAppointmentTrigger`;

test("n8n's Community Nodes installer installs the package from the registry it was published to", () => {
	// What GET /rest/community-packages (Settings > Community Nodes) listed after the install.
	const [installed, ...others] = ctx.instance.installed;
	assert.deepEqual(others, []);
	assert.equal(installed.packageName, 'n8n-nodes-altegio');
	assert.equal(installed.installedVersion, ctx.instance.pack.version);
	assert.deepEqual(installed.installedNodes.map((n) => n.type).sort(), [
		NODE_TYPE,
		APPOINTMENT_TRIGGER_TYPE,
		TRIGGER_TYPE,
	]);
	const pkgDir = path.join(
		ctx.instance.userFolder,
		'.n8n',
		'nodes',
		'node_modules',
		'n8n-nodes-altegio',
	);
	const pkg = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'));
	assert.equal(
		pkg.dependencies,
		undefined,
		'a community package must not need runtime dependencies',
	);
	// Outside n8n nothing provides n8n-workflow to the package: it can only get n8n's own copy.
	const require = createRequire(path.join(pkgDir, 'package.json'));
	assert.throws(() => require.resolve('n8n-workflow'), /Cannot find module/);
});

test('n8n loads the node as n8n-nodes-altegio.altegio, plus its AI tool variant and the trigger', async () => {
	const output = path.join(ctx.instance.userFolder, 'node-types.json');
	const result = await n8n(ctx.instance, ['export:nodes', `--output=${output}`]);
	assert.equal(result.code, 0, result.stdout + result.stderr);
	const types = JSON.parse(fs.readFileSync(output, 'utf8'));
	const ours = types.filter((t) => t.name.startsWith('n8n-nodes-altegio.'));
	assert.deepEqual(ours.map((t) => t.name).sort(), [
		NODE_TYPE,
		APPOINTMENT_TRIGGER_TYPE,
		TOOL_NODE_TYPE,
		TRIGGER_TYPE,
	]);
	const node = ours.find((t) => t.name === NODE_TYPE);
	assert.deepEqual(node.version, [1, 1.1]);
	assert.deepEqual(
		node.credentials.map((c) => c.name),
		['altegioApi'],
	);
	const tool = ours.find((t) => t.name === TOOL_NODE_TYPE);
	assert.deepEqual(tool.outputs, ['ai_tool']);
	assert.doesNotMatch(result.stdout + result.stderr, /Skipping package|Failed to load package/);
});

test('Get Chains: one item per chain, exactly the chain objects of the API', async () => {
	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'e2eChains');
	assert.equal(result.code, 0, describeRun(result));
	assert.equal(result.status, 'success');
	const items = result.items('Altegio');
	assert.deepEqual(json(items), ctx.sandbox.seed.chains);
	assert.deepEqual(
		paired(items),
		ctx.sandbox.seed.chains.map(() => ({ item: 0 })),
	);
});

test('the request carries the credential header and the v2 Accept header', async () => {
	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'e2eChains');
	assert.equal(result.code, 0, describeRun(result));
	const { partnerToken, userToken } = ctx.sandbox.seed;
	assert.deepEqual(apiRequests(ctx.sandbox), [
		{
			method: 'GET',
			path: '/api/v1/groups',
			query: {},
			authorization: `Bearer ${partnerToken}, User ${userToken}`,
			accept: ACCEPT,
			status: 200,
		},
	]);
});

test('three input items: every item gets the chains, paired to it; the API is asked once', async () => {
	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'e2eChains3Items');
	assert.equal(result.code, 0, describeRun(result));
	const chains = ctx.sandbox.seed.chains;
	const items = result.items('Altegio');
	assert.deepEqual(json(items), [...chains, ...chains, ...chains]);
	assert.deepEqual(
		paired(items),
		[0, 1, 2].flatMap((item) => chains.map(() => ({ item }))),
	);
	assert.deepEqual(
		apiRequests(ctx.sandbox).map((r) => `${r.method} ${r.path} ${r.status}`),
		['GET /api/v1/groups 200'],
		'identical requests of one node run go out once',
	);
});

test('login and password: n8n signs in with POST /auth, keeps the token and signs in again when it expires', async () => {
	const { partnerToken } = ctx.sandbox.seed;
	const owner = ctx.sandbox.seed.users.find((u) => !u.twoFactor);

	// First run: no session token yet.
	ctx.sandbox.clearRequests();
	let result = await execute(ctx.instance, 'e2eChainsLogin');
	assert.equal(result.code, 0, describeRun(result));
	assert.deepEqual(json(result.items('Altegio')), ctx.sandbox.seed.chains);
	let requests = ctx.sandbox.requests;
	const auth = requests.filter((r) => r.path === '/api/v1/auth');
	assert.equal(auth.length, 1, 'signed in once');
	assert.equal(auth[0].method, 'POST');
	assert.equal(auth[0].headers.authorization, `Bearer ${partnerToken}`);
	assert.deepEqual(auth[0].body, { login: owner.login, password: owner.password });
	assert.equal(auth[0].status, 201);
	const last = requests.at(-1);
	assert.equal(last.path, '/api/v1/groups');
	assert.equal(last.status, 200);
	const sessionHeader = last.headers.authorization;
	assert.match(sessionHeader, new RegExp(`^Bearer ${partnerToken}, User \\S+$`));
	ctx.secrets.push(sessionHeader.split('User ')[1]); // an issued session token is a secret too

	// Second run: the token n8n stored with the credential is reused, no new sign-in.
	ctx.sandbox.clearRequests();
	result = await execute(ctx.instance, 'e2eChainsLogin');
	assert.equal(result.code, 0, describeRun(result));
	requests = ctx.sandbox.requests;
	assert.deepEqual(
		requests.map((r) => `${r.method} ${r.path} ${r.status}`),
		['GET /api/v1/groups 200'],
	);
	assert.equal(requests[0].headers.authorization, sessionHeader);

	// The token stops working (the user changed the password elsewhere): 401 → sign in → retry.
	ctx.sandbox.invalidateUserTokens();
	ctx.sandbox.clearRequests();
	result = await execute(ctx.instance, 'e2eChainsLogin');
	assert.equal(result.code, 0, describeRun(result));
	assert.deepEqual(json(result.items('Altegio')), ctx.sandbox.seed.chains);
	requests = ctx.sandbox.requests;
	assert.deepEqual(
		requests.map((r) => `${r.method} ${r.path} ${r.status}`),
		['GET /api/v1/groups 401', 'POST /api/v1/auth 201', 'GET /api/v1/groups 200'],
	);
	assert.notEqual(requests[2].headers.authorization, sessionHeader, 'a new token is used');
	ctx.secrets.push(requests[2].headers.authorization.split('User ')[1]);
	ctx.sandbox.setUserToken(ctx.sandbox.seed.userToken);
});

test('no token or password appears in anything n8n printed', () => {
	assertNoSecrets(ctx.instance, ctx.secrets);
});
