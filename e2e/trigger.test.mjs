// The Altegio Trigger in a real n8n (`n8n start`): activating a workflow registers its URL in the
// sandbox's webhook settings next to a foreign URL, leaving self_sending off; a change made in the
// sandbox by staff starts one execution with the payload, one made through the API with the
// credential's partner token starts none; a duplicate, a delivery without the secret and a malformed one start nothing;
// a restart adds no second copy; "Listen for test event" registers and removes the test URL; and
// deactivating removes only this workflow's URL. Activation, deactivation and the executions go
// through n8n's own REST API as the editor uses it, signed in as the instance owner.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';

import { N8N_MAJOR, freePort, n8nEnv, startN8n } from '../tools/n8n/harness.mjs';
import { assertNoSecrets, restSession, setupSuite, transcriptText } from './lib/suite.mjs';
import { node, readExamples, withCredential, workflow } from '../tools/n8n/workflows.mjs';

const LOCATION = 38726;
const FULL_LOCATION = 39287;
const FOREIGN = 'https://crm.example/altegio-hooks';
const WORKFLOW_ID = 'trgAppointments';
const FULL_WORKFLOW_ID = 'trgFullLocation';
const EXAMPLE_ID = 'exApptReminder';
const WEBHOOK_ID = 'c0ffee00-0000-4000-8000-a1te910t0001';
const OWNER = {
	email: 'trigger-e2e@example.com',
	firstName: 'Trigger',
	lastName: 'Tester',
	password: 'Trigger-e2e-5678',
};
const MARKER = 'MALFORMED-BODY-MARKER-13155550175';

const requireFromN8n = createRequire(n8nEnv().N8N_BIN);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function triggerWorkflow(id, locationId, credential, webhookId) {
	const trigger = {
		...node('Altegio Trigger', 'n8n-nodes-altegio.altegioTrigger', 1, {
			locationId: { __rl: true, mode: 'id', value: String(locationId) },
			events: ['appointment', 'client'],
			statuses: ['create', 'update', 'delete'],
			options: { ignoreAttendanceUpdates: true },
		}),
		webhookId,
		credentials: { altegioApi: { id: credential.id, name: credential.name } },
	};
	return workflow({ id, nodes: [trigger, node('Received', 'n8n-nodes-base.noOp', 1)] });
}

let ctx;
let server;
let port;
let rest;
let ownerSetUp = false;

/** Polls `check` until it returns a truthy value: n8n 2.41 publishes (activates) in the background. */
async function waitFor(what, check, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) {
			const log = server
				.output()
				.split('\n')
				.filter((line) => !/^\s+at /.test(line));
			throw new Error(
				`timed out waiting for ${what}\n--- n8n output (tail) ---\n${log.slice(-40).join('\n')}`,
			);
		}
		await sleep(200);
	}
}

async function startServer() {
	// The same port after a restart: the webhook address, and so the registered URL, stays the same.
	port ??= await freePort();
	server = await startN8n(ctx.instance, { port });
	// The owner is set up once, as on a new instance's first page; it stays across restarts.
	rest = await restSession(server.url, OWNER, { setup: !ownerSetUp });
	ownerSetUp = true;
}

const hooks = () => ctx.sandbox.modules.webhooks;
const settings = (locationId = LOCATION) => hooks().settings(locationId);
const ours = (locationId = LOCATION) =>
	settings(locationId).urls.filter((url) => url.includes(`/${WEBHOOK_ID}/`));

async function presetSettings(locationId, body) {
	const response = await fetch(`${ctx.sandbox.apiUrl}/hooks_settings/${locationId}`, {
		method: 'POST',
		headers: {
			authorization: `Bearer ${ctx.sandbox.seed.partnerToken}, User ${ctx.sandbox.seed.userToken}`,
			'content-type': 'application/json',
		},
		body: JSON.stringify(body),
	});
	assert.equal(response.status, 201);
}

async function control(name, body) {
	const response = await fetch(`${ctx.sandbox.url}/__sandbox/${name}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	assert.equal(response.status, 200, await response.text());
}

/** The deliveries the sandbox made since `from`, once each has an answer. */
async function deliveriesSince(from) {
	await hooks().whenIdle();
	return hooks()
		.deliveries.slice(from)
		.map((d) => ({ url: d.url, status: d.status ?? d.error }));
}

async function executions(workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const { status, body } = await rest('GET', `/executions?filter=${filter}`);
	assert.equal(status, 200, JSON.stringify(body));
	return body.data.results;
}

async function waitForExecutions(workflowId, count, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const list = await executions(workflowId);
		if (list.length >= count && list.every((e) => e.status !== 'running' && e.status !== 'new'))
			return list;
		if (Date.now() > deadline)
			throw new Error(`${list.length} executions of ${workflowId}, expected ${count}`);
		await sleep(250);
	}
}

/** The items a node of an execution output, from n8n's stored (flatted) execution data. */
async function itemsOf(executionId, nodeName) {
	const { body } = await rest('GET', `/executions/${executionId}`);
	const data = requireFromN8n('flatted').parse(body.data.data);
	return data.resultData.runData[nodeName][0].data.main[0].map((item) => item.json);
}

before(async () => {
	ctx = await setupSuite('trigger', {
		workflows: (sandbox, credential) => [
			triggerWorkflow(WORKFLOW_ID, LOCATION, credential, WEBHOOK_ID),
			triggerWorkflow(FULL_WORKFLOW_ID, FULL_LOCATION, credential, `${WEBHOOK_ID.slice(0, -1)}2`),
			{
				...withCredential(
					readExamples().find((e) => e.file === 'appointment-reminder.json').workflow,
					credential,
				),
				id: EXAMPLE_ID,
			},
		],
	});
	await presetSettings(LOCATION, { urls: [FOREIGN], active: 1, client: 1, finances_operation: 1 });
	await startServer();
});

after(async () => {
	await server?.stop();
	await ctx?.close();
});

test('activation keeps the foreign URL and its flags, adds this URL with a secret and the needed flags', async () => {
	const workflowData = await rest('GET', `/workflows/${WORKFLOW_ID}`);
	const activated = await rest('POST', `/workflows/${WORKFLOW_ID}/activate`, {
		versionId: workflowData.body.data.versionId,
	});
	assert.equal(activated.status, 200, JSON.stringify(activated.body));

	const [url] = await waitFor('the URL in the settings', () =>
		ours().length ? ours() : undefined,
	);
	assert.match(
		url,
		new RegExp(`^${server.url}/webhook/${WEBHOOK_ID}/webhook\\?secret=[0-9a-f]{48}$`),
	);
	assert.deepEqual(settings().urls, [FOREIGN, url]);
	assert.deepEqual(
		{
			active: settings().active,
			client: settings().client,
			finances_operation: settings().finances_operation,
			record: settings().record,
			self_sending: settings().self_sending,
			master: settings().master,
		},
		{ active: 1, client: 1, finances_operation: 1, record: 1, self_sending: 0, master: 0 },
	);
});

test('a new appointment in the sandbox starts one execution with the payload', async () => {
	const from = hooks().deliveries.length;
	const data = {
		id: 9001,
		company_id: LOCATION,
		staff_id: 9,
		datetime: '2026-09-21T15:00:00-05:00',
		attendance: 0,
		services: [{ id: 1, title: 'Haircut', cost: 40 }],
		client: { id: 572, name: 'James', phone: '+13155550175' },
		last_change_date: '2026-09-01T10:00:00-0500',
	};
	await control('change', {
		locationId: LOCATION,
		resource: 'record',
		resourceId: 9001,
		status: 'create',
		data,
		own: false,
	});
	// Flags are location-wide: the foreign URL gets the appointment too (and, unreachable offline,
	// is tried three times).
	const delivered = await deliveriesSince(from);
	assert.deepEqual(
		delivered.filter((d) => d.url === ours()[0]).map((d) => d.status),
		[200],
	);
	assert.equal(delivered.filter((d) => d.url === FOREIGN).length, 3, JSON.stringify(delivered));
	const [execution] = await waitForExecutions(WORKFLOW_ID, 1);
	assert.equal(execution.status, 'success');
	const [item] = await itemsOf(execution.id, 'Altegio Trigger');
	assert.match(item.receivedAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
	assert.deepEqual(item, {
		resource: 'appointment',
		status: 'create',
		resourceId: 9001,
		locationId: LOCATION,
		data,
		receivedAt: item.receivedAt,
	});
});

test('a change made through the API with the credential`s partner token starts nothing', async () => {
	const from = hooks().deliveries.length;
	const count = (await executions(WORKFLOW_ID)).length;
	// As the Altegio node's update would: self_sending is off, so Altegio sends it to no address.
	await control('change', {
		locationId: LOCATION,
		resource: 'record',
		resourceId: 9001,
		status: 'update',
		data: { id: 9001, attendance: 0, comment: 'Updated by n8n' },
	});
	assert.deepEqual(await deliveriesSince(from), []);
	await sleep(1000);
	assert.equal((await executions(WORKFLOW_ID)).length, count);
});

test('two copies of a change start one execution; no secret or a malformed body starts nothing', async () => {
	const [url] = ours();
	const base = url.split('?')[0];
	const before = (await executions(WORKFLOW_ID)).length;
	const payload = {
		company_id: LOCATION,
		resource: 'record',
		resource_id: 9003,
		status: 'update',
		data: { id: 9003, attendance: 0, last_change_date: '2026-09-01T10:30:00-0500' },
	};
	// Two copies at the same moment, and a third later, as a retry would come.
	let from = hooks().deliveries.length;
	await control('deliver', { url, payload, times: 2, delayMs: 0 });
	await control('deliver', { url, payload });
	assert.deepEqual(
		(await deliveriesSince(from)).map((d) => d.status),
		[200, 200, 200],
	);
	await waitForExecutions(WORKFLOW_ID, before + 1);

	from = hooks().deliveries.length;
	const fresh = { ...payload, resource_id: 9004, data: { id: 9004 } };
	const refused = [
		[{ url: base, payload: fresh }, 403],
		[{ url: `${base}?secret=guess`, payload: fresh }, 403],
		[{ url, raw: `{"company_id": ${LOCATION}, "note": "${MARKER}"` }, 422],
		[{ url, raw: MARKER }, 422],
		[{ url, raw: MARKER, contentType: 'text/plain' }, 400],
		[{ url, payload: { hello: MARKER } }, 400],
	];
	for (const [spec] of refused) await control('deliver', { ...spec, delayMs: 0 });
	const delivered = await deliveriesSince(from);
	assert.deepEqual(
		delivered.map((d) => d.status).sort(),
		refused.map(([, status]) => status).sort(),
	);
	await sleep(1500);
	assert.equal((await executions(WORKFLOW_ID)).length, before + 1);
	assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
	assert.doesNotMatch(server.output(), new RegExp(MARKER), 'a refused body appeared in the log');
	assert.match(
		server.output(),
		/Altegio Trigger refused a delivery: the body is not a JSON object/,
	);
	assert.match(
		server.output(),
		/Altegio Trigger refused a delivery without the secret of its address/,
	);
});

test('after a restart the same URL still starts the workflow, and no copy was added', async () => {
	const before = structuredClone(settings());
	const [url] = ours();
	await server.stop();
	ctx.sandbox.clearRequests();
	await startServer();
	await sleep(2000);
	// n8n 2.41 keeps a published workflow's webhooks across a restart: at most a check, never a write.
	const written = ctx.sandbox.requests.filter(
		(r) => r.path.startsWith('/api/v1/hooks_settings/') && r.method !== 'GET',
	);
	assert.deepEqual(written, []);
	assert.deepEqual(settings(), before);

	const from = hooks().deliveries.length;
	const count = (await executions(WORKFLOW_ID)).length;
	await control('change', {
		locationId: LOCATION,
		resource: 'record',
		resourceId: 9001,
		status: 'update',
		data: { id: 9001, attendance: 0, last_change_date: '2026-09-01T11:00:00-0500' },
		own: false,
	});
	const delivered = await deliveriesSince(from);
	assert.deepEqual(
		delivered.filter((d) => d.url === url).map((d) => d.status),
		[200],
	);
	await waitForExecutions(WORKFLOW_ID, count + 1);
});

test('"Listen for test event" registers the test URL, and it is removed after the test event', async () => {
	const production = ours()[0];
	// n8n 1.x's editor sends the workflow itself with the run; 2.x's sends only the trigger.
	const workflowData =
		N8N_MAJOR < 2 ? (await rest('GET', `/workflows/${WORKFLOW_ID}`)).body.data : undefined;
	const listening = await rest('POST', `/workflows/${WORKFLOW_ID}/run`, {
		workflowData,
		triggerToStartFrom: { name: 'Altegio Trigger' },
	});
	assert.equal(listening.status, 200, JSON.stringify(listening.body));
	assert.deepEqual(listening.body.data, { waitingForWebhook: true });
	const testUrl = settings().urls.find((u) =>
		u.includes(`/webhook-test/${WEBHOOK_ID}/webhook?secret=`),
	);
	assert.ok(testUrl, JSON.stringify(settings().urls));
	assert.deepEqual(settings().urls, [FOREIGN, production, testUrl]);

	const manualBefore = (await executions(WORKFLOW_ID)).filter((e) => e.mode === 'manual').length;
	await control('change', {
		locationId: LOCATION,
		resource: 'client',
		resourceId: 572,
		status: 'update',
		data: { id: 572, name: 'James', last_change_date: '2026-09-02T10:00:00-0500' },
		own: false,
	});
	await hooks().whenIdle();
	const deadline = Date.now() + 30_000;
	while (settings().urls.includes(testUrl)) {
		assert.ok(Date.now() < deadline, 'the test URL was not removed');
		await sleep(200);
	}
	assert.deepEqual(settings().urls, [FOREIGN, production]);
	const manual = (await waitForExecutions(WORKFLOW_ID, 1)).filter((e) => e.mode === 'manual');
	assert.equal(manual.length, manualBefore + 1);
	const [item] = await itemsOf(manual[0].id, 'Altegio Trigger');
	assert.deepEqual([item.resource, item.status, item.resourceId], ['client', 'update', 572]);
});

test('with 10 URLs at the location, activation fails and says what to do', async () => {
	const ten = Array.from({ length: 10 }, (_, i) => `https://other.example/${i}`);
	await presetSettings(FULL_LOCATION, { urls: ten, active: 1, record: 1 });
	const workflowData = await rest('GET', `/workflows/${FULL_WORKFLOW_ID}`);
	const activated = await rest('POST', `/workflows/${FULL_WORKFLOW_ID}/activate`, {
		versionId: workflowData.body.data.versionId,
	});
	const message = 'Location 39287 already has 10 webhook addresses, the most Altegio allows (10)';
	if (N8N_MAJOR < 2) {
		// n8n 1.x activates while it answers, and the editor shows the error of the answer.
		assert.equal(activated.status, 400, JSON.stringify(activated.body));
		assert.equal(activated.body.message, message);
	} else {
		// n8n 2.x answers, then activates in the background and keeps the error for the editor.
		assert.equal(activated.status, 200, JSON.stringify(activated.body));
		const status = await waitFor('the failed publication', async () => {
			const { body } = await rest('GET', `/workflows/${FULL_WORKFLOW_ID}/publication-status`);
			return body.data?.triggers?.some((t) => t.status === 'failed') ? body.data : undefined;
		});
		assert.deepEqual(
			status.triggers.map((t) => [t.status, t.errorMessage]),
			[['failed', message]],
		);
	}
	assert.deepEqual(settings(FULL_LOCATION).urls, ten);
});

test('deactivation removes only this URL and turns no flag off', async () => {
	const flagsBefore = { ...settings(), urls: undefined, url_settings: undefined };
	const deactivated = await rest('POST', `/workflows/${WORKFLOW_ID}/deactivate`, {});
	assert.equal(deactivated.status, 200, JSON.stringify(deactivated.body));
	await waitFor('the URL to go', () => ours().length === 0);
	assert.deepEqual(settings().urls, [FOREIGN]);
	assert.deepEqual({ ...settings(), urls: undefined, url_settings: undefined }, flagsBefore);
});

test('examples/appointment-reminder.json: a booking becomes a reminder message', async () => {
	const workflowData = await rest('GET', `/workflows/${EXAMPLE_ID}`);
	const activated = await rest('POST', `/workflows/${EXAMPLE_ID}/activate`, {
		versionId: workflowData.body.data.versionId,
	});
	assert.equal(activated.status, 200, JSON.stringify(activated.body));
	await waitFor('the example`s URL', () => settings().urls.length === 2);

	const appointment = (id, client) => ({
		locationId: LOCATION,
		resource: 'record',
		resourceId: id,
		status: 'create',
		data: {
			id,
			company_id: LOCATION,
			datetime: '2026-09-21T15:00:00-05:00',
			attendance: 0,
			services: [
				{ id: 1, title: 'Haircut' },
				{ id: 2, title: 'Beard trim' },
			],
			staff: { id: 9, name: 'Alex Taylor' },
			client,
			last_change_date: `2026-09-01T12:00:0${id % 10}-0500`,
		},
		own: false,
	});
	await control('change', appointment(9101, { id: 572, name: 'James', phone: '+13155550175' }));
	await control('change', appointment(9102, null));
	await hooks().whenIdle();
	const list = await waitForExecutions(EXAMPLE_ID, 2);
	const messages = [];
	for (const execution of list) {
		const { body } = await rest('GET', `/executions/${execution.id}`);
		const run = requireFromN8n('flatted').parse(body.data.data).resultData.runData;
		if (run['Reminder message'])
			messages.push(...(await itemsOf(execution.id, 'Reminder message')));
	}
	assert.deepEqual(messages, [
		{
			to: '+13155550175',
			message:
				'Thank you for booking, James: Haircut, Beard trim with Alex Taylor on Monday, 21 September 2026 at 15:00.',
			appointmentId: 9101,
			locationId: LOCATION,
		},
	]);

	await rest('POST', `/workflows/${EXAMPLE_ID}/deactivate`, {});
	await waitFor('the example`s URL to go', () => settings().urls.length === 1);
	assert.deepEqual(settings().urls, [FOREIGN]);
});

test('no token appears in anything n8n printed', async () => {
	await server.stop();
	assertNoSecrets(ctx.instance, ctx.secrets);
	assert.ok(transcriptText(ctx.instance).includes('Altegio Trigger'));
});
