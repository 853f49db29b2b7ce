// n8n's queue mode with the package: a main, two workers, Redis and PostgreSQL on loopback
// (tools/queue/deployment.mjs). Run: npm run test:queue (about 3 minutes on 2 cores).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import net from 'node:net';
import { after, before, test } from 'node:test';

import { buildAndPack, n8nEnv, sandboxCredential, startSandbox } from '../../tools/n8n/harness.mjs';
import { readExamples, withCredential } from '../../tools/n8n/workflows.mjs';
import { callWebhook, lookupWorkflow, startDeployment } from '../../tools/queue/deployment.mjs';
import { restSession } from '../lib/suite.mjs';

let sandbox;
let deployment;

const OWNER = {
	email: 'queue-e2e@example.com',
	firstName: 'Queue',
	lastName: 'Tester',
	password: 'Queue-e2e-5678',
};

const tokenCredential = () =>
	sandboxCredential(sandbox, { id: 'queueToken000001', name: 'Altegio token' });
const loginCredential = () =>
	sandboxCredential(sandbox, {
		id: 'queueLogin000001',
		name: 'Altegio login',
		data: {
			userAuth: 'loginPassword',
			userToken: '',
			login: sandbox.seed.users[0].login,
			password: sandbox.seed.users[0].password,
		},
	});

// The example's webhook answers only requests that carry its Header Auth credential.
const WEBHOOK_HEADER = { name: 'X-Webhook-Key', value: 'queue-webhook-key-7c41d2' };
const WEBHOOK_CREDENTIAL = { id: 'queueWebhookKey1', name: 'Webhook key (queue)' };
const withHeader = { [WEBHOOK_HEADER.name]: WEBHOOK_HEADER.value };

const callerLookup = () => {
	const example = readExamples().find(({ file }) => file === 'caller-lookup.json').workflow;
	return {
		...withCredential(
			withCredential(example, tokenCredential()),
			WEBHOOK_CREDENTIAL,
			'httpHeaderAuth',
		),
		id: 'queueCallerLookup',
		active: false,
	};
};

/** The 24-hour reminder example, polled every minute so that the suite waits less. */
const reminder = () => {
	const example = readExamples().find(
		({ file }) => file === 'appointment-reminder-24h.json',
	).workflow;
	const workflow = { ...withCredential(example, tokenCredential()), id: 'queueReminder' };
	workflow.nodes[0].parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
	return workflow;
};

before(async () => {
	sandbox = await startSandbox();
	const workflows = [
		callerLookup(),
		reminder(),
		lookupWorkflow({
			id: 'queueTokenLookup',
			webhookPath: 'queue-token',
			credential: tokenCredential(),
		}),
		lookupWorkflow({
			id: 'queueLoginLookup',
			webhookPath: 'queue-login',
			credential: loginCredential(),
		}),
	];
	deployment = await startDeployment({
		workers: 2,
		pack: await buildAndPack(),
		credentials: [
			tokenCredential(),
			loginCredential(),
			{ ...WEBHOOK_CREDENTIAL, type: 'httpHeaderAuth', data: WEBHOOK_HEADER },
		],
		workflows,
		publish: workflows.map((workflow) => workflow.id),
	});
});

after(async () => {
	await deployment?.stop();
	await sandbox?.close();
});

/** Which worker's log says it finished execution `id`. */
const ranOn = (id) =>
	deployment.workers.filter((worker) => worker.executions().includes(String(id)));

/** Executions finished on the workers since `known`, once there are `count` (logs come a little after the answers). */
async function newExecutions(known, count) {
	const deadline = Date.now() + 15_000;
	for (;;) {
		const ran = allExecutions().filter((id) => !known.includes(id));
		if (ran.length >= count || Date.now() > deadline) return ran;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}

const allExecutions = () => deployment.workers.flatMap((worker) => worker.executions());

test('the caller-lookup example runs on a worker, not on the main', async () => {
	const known = allExecutions();
	const answer = await callWebhook(
		deployment.url,
		'altegio-caller-lookup',
		{ phone: '+1 (315) 555-0175' },
		withHeader,
	);

	assert.equal(answer.status, 200, JSON.stringify(answer.body));
	assert.equal(answer.body.found, true);
	assert.deepEqual(
		answer.body.clients.map((client) => client.id),
		sandbox.seed.clients['509'].filter((client) => client.phone === '13155550175').map((c) => c.id),
	);
	const ran = await newExecutions(known, 1);
	assert.equal(ran.length, 1, 'one execution finished on a worker');
	assert.equal(ranOn(ran[0]).length, 1);
	assert.doesNotMatch(deployment.main.output(), /Worker finished execution/);
});

test('with Login and Password one worker signs in; the other worker and later executions reuse the stored token', async () => {
	const phones = ['14264037640'];
	const first = await callWebhook(deployment.url, 'queue-login', { phones });
	assert.equal(first.status, 200, JSON.stringify(first.body));
	assert.deepEqual(first.body.errors, []);
	assert.ok(first.body.items > 0);

	// four more at once: with one execution per worker at a time both workers take some
	const known = allExecutions();
	const answers = await Promise.all(
		[1, 2, 3, 4].map(async () => await callWebhook(deployment.url, 'queue-login', { phones })),
	);
	for (const answer of answers) {
		assert.equal(answer.status, 200);
		assert.deepEqual(answer.body, first.body);
	}
	const ran = await newExecutions(known, 4);
	assert.equal(ran.length, 4);
	assert.deepEqual(
		deployment.workers.map((worker) => ran.some((id) => worker.executions().includes(id))),
		[true, true],
		'both workers ran some of the executions',
	);
	const signIns = sandbox.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/auth');
	assert.equal(signIns.length, 1, 'one POST /auth for all five executions on both workers');
	const lookups = sandbox.requests.filter(
		(r) => r.path === '/api/v1/group/509/clients' && r.headers.authorization?.includes(', User '),
	);
	assert.ok(lookups.length >= 5);
});

test('the 24-hour reminder polls once per minute on the main: one reminder per appointment, run on a worker', async () => {
	const LOCATION = 38726;
	const { partnerToken, userToken } = sandbox.seed;
	const book = async (ms, phone, name) => {
		let response;
		// The sandbox keeps the API's 5 requests a second, shared with n8n's polls: wait and retry.
		for (let attempt = 0; attempt < 10; attempt++) {
			response = await fetch(`${sandbox.apiUrl}/records/${LOCATION}`, {
				method: 'POST',
				headers: {
					authorization: `Bearer ${partnerToken}, User ${userToken}`,
					accept: 'application/vnd.api.v2+json',
					'content-type': 'application/json',
				},
				body: JSON.stringify({
					staff_id: 2001,
					services: [{ id: 11001 }],
					client: { phone, name },
					datetime: `${new Date(Math.ceil(ms / 60_000) * 60_000).toISOString().slice(0, 19)}Z`,
					seance_length: 3600,
					save_if_busy: true,
				}),
			});
			if (response.status !== 429) break;
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
		const text = await response.text();
		assert.equal(response.status, 201, text);
		return JSON.parse(text).data[0];
	};
	const reads = () =>
		sandbox.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/records/${LOCATION}`)
			.length;
	const waitFor = async (what, check, timeoutMs = 150_000) => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = await check();
			if (value) return value;
			assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	};
	const rest = await restSession(deployment.url, OWNER, { setup: true });
	const flatted = createRequire(n8nEnv().N8N_BIN)('flatted');
	const reminders = async () => {
		const filter = encodeURIComponent(JSON.stringify({ workflowId: 'queueReminder' }));
		const { body } = await rest('GET', `/executions?filter=${filter}`);
		const list = [];
		for (const execution of body.data.results) {
			if (execution.status !== 'success') continue;
			const detail = await rest('GET', `/executions/${execution.id}`);
			const run = flatted.parse(detail.body.data.data).resultData.runData;
			for (const item of run['Reminder message'][0].data.main[0])
				list.push({ execution: execution.id, appointmentId: item.json.appointmentId });
		}
		return list;
	};

	// Published since the deployment started: these two come within 24 hours a little from now.
	const first = await book(Date.now() + 24 * 3_600_000 + 15_000, '+13155550175', 'James Smith');
	const second = await book(Date.now() + 24 * 3_600_000 + 45_000, '+14264037640', 'Olivia Brown');
	const startedAt = Date.now();
	const readsBefore = reads();
	await waitFor('both reminders', async () => (await reminders()).length >= 2);
	// One more poll: nothing comes twice.
	const readsNow = reads();
	await waitFor('one more poll', () => reads() > readsNow);
	const minutes = (Date.now() - startedAt) / 60_000;

	const list = await reminders();
	assert.deepEqual(
		list.map((entry) => entry.appointmentId).sort(),
		[first.id, second.id].sort(),
		'one reminder per appointment',
	);
	// One poller for the workflow (the main's), not one per process: about one read a minute.
	assert.ok(
		reads() - readsBefore <= Math.ceil(minutes) + 1,
		`${reads() - readsBefore} reads of the appointments in ${minutes.toFixed(1)} minutes`,
	);
	await waitFor('the workers` logs', () =>
		list.every((entry) => ranOn(entry.execution).length === 1),
	);
	assert.doesNotMatch(deployment.main.output(), /Worker finished execution/);
});

test('a worker stopped in the middle of an execution finishes it first: no item is lost', async () => {
	const phones = Array.from({ length: 30 }, (_, i) => String(12025560000 + i));
	const since = sandbox.requests.length;
	const pending = callWebhook(deployment.url, 'queue-token', { phones });
	const busy = await new Promise((resolve, reject) => {
		const deadline = Date.now() + 60_000;
		const look = () => {
			const started = deployment.workers.find(
				(worker) =>
					(worker.output().match(/Worker started execution/g) ?? []).length >
					(worker.output().match(/Worker finished execution/g) ?? []).length,
			);
			if (started && sandbox.requests.length > since + 5) resolve(started);
			else if (Date.now() > deadline) reject(new Error('no worker started the execution'));
			else setTimeout(look, 100);
		};
		look();
	});
	const stopping = busy.stop('SIGTERM', 60_000);

	const answer = await pending;
	await stopping;
	assert.equal(answer.status, 200, JSON.stringify(answer.body));
	assert.deepEqual(answer.body, { items: 0, errors: [], clients: [] });
	const answered = sandbox.requests
		.slice(since)
		.filter((r) => r.path === '/api/v1/group/509/clients' && r.status !== 429)
		.map((r) => r.query.phone);
	assert.deepEqual([...new Set(answered)].sort(), phones);
	assert.equal(busy.running(), false, 'the stopped worker exited');

	// the other worker goes on with new executions
	const next = await callWebhook(
		deployment.url,
		'altegio-caller-lookup',
		{ phone: '13155550175' },
		withHeader,
	);
	assert.equal(next.status, 200);
	assert.equal(next.body.found, true);
});

test('stop() leaves no process, port or folder behind', async () => {
	const pids = [deployment.main.child.pid, ...deployment.workers.map((worker) => worker.child.pid)];
	const ports = [
		Number(deployment.env.DB_POSTGRESDB_PORT),
		Number(deployment.env.QUEUE_BULL_REDIS_PORT),
	];
	const dir = deployment.dir;

	await deployment.stop();

	for (const pid of pids) {
		assert.throws(() => process.kill(-pid, 0), /ESRCH/, `process group ${pid} is gone`);
	}
	for (const port of ports) {
		const open = await new Promise((resolve) => {
			const socket = net.connect(port, '127.0.0.1');
			socket.once('connect', () => {
				socket.destroy();
				resolve(true);
			});
			socket.once('error', () => resolve(false));
		});
		assert.equal(open, false, `port ${port} is closed`);
	}
	assert.equal(fs.existsSync(dir), false);
});
