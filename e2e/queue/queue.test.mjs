// n8n's queue mode with the package: a main, two workers, Redis and PostgreSQL on loopback
// (tools/queue/deployment.mjs). Run: npm run test:queue (about 3 minutes on 2 cores).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { after, before, test } from 'node:test';

import { buildAndPack, sandboxCredential, startSandbox } from '../../tools/n8n/harness.mjs';
import { readExamples, withCredential } from '../../tools/n8n/workflows.mjs';
import { callWebhook, lookupWorkflow, startDeployment } from '../../tools/queue/deployment.mjs';

let sandbox;
let deployment;

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

const callerLookup = () => {
	const example = readExamples().find(({ file }) => file === 'caller-lookup.json').workflow;
	return { ...withCredential(example, tokenCredential()), id: 'queueCallerLookup', active: false };
};

before(async () => {
	sandbox = await startSandbox();
	const workflows = [
		callerLookup(),
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
		credentials: [tokenCredential(), loginCredential()],
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
	const answer = await callWebhook(deployment.url, 'altegio-caller-lookup', {
		phone: '+1 (315) 555-0175',
	});

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
	const next = await callWebhook(deployment.url, 'altegio-caller-lookup', { phone: '13155550175' });
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
