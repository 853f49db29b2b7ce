// The Altegio Appointment Trigger in a real n8n (`n8n start`): n8n polls it on its own schedule
// (Every Minute, the shortest poll time n8n allows), and each poll that finds something starts one
// execution. Two workflows at one location: Starts Soon (24 hours before) and Created. What the
// suite shows: nothing booked before activation is emitted; an appointment whose start comes
// within 24 hours as real time passes is reminded once; one moved into the window is reminded
// once, and again once after it moves again; one cancelled before its window never is; after a
// restart nothing is emitted again. The sandbox runs on real time here, as n8n does: the
// appointments are placed around the 24-hour mark, so the reminder's moment comes in seconds.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';

import { freePort, n8nEnv, startN8n } from '../tools/n8n/harness.mjs';
import { assertNoSecrets, restSession, setupSuite, transcriptText } from './lib/suite.mjs';
import { node, workflow } from '../tools/n8n/workflows.mjs';

const LOCATION = 38726;
const STAFF = 2001;
const SERVICE = 11001;
const SOON_ID = 'pollStartsSoon';
const CREATED_ID = 'pollCreated';
const OWNER = {
	email: 'poll-e2e@example.com',
	firstName: 'Poll',
	lastName: 'Tester',
	password: 'Poll-e2e-5678',
};
const HOUR = 3_600_000;
const MINUTE = 60_000;
/** n8n polls Every Minute at a random second; a poll may take a moment to finish its execution. */
const POLL_WAIT_MS = 2 * MINUTE + 30_000;

const requireFromN8n = createRequire(n8nEnv().N8N_BIN);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until the wall clock has moved on to a later whole second. */
const nextSecond = () => sleep(1000 - (Date.now() % 1000) + 50);

function pollWorkflow(id, parameters, credential) {
	const trigger = node(
		'Altegio Appointment Trigger',
		'n8n-nodes-altegio.altegioAppointmentTrigger',
		1,
		{
			pollTimes: { item: [{ mode: 'everyMinute' }] },
			locationId: { __rl: true, mode: 'id', value: String(LOCATION) },
			...parameters,
		},
		{ credentials: { altegioApi: { id: credential.id, name: credential.name } } },
	);
	return workflow({ id, nodes: [trigger, node('Received', 'n8n-nodes-base.noOp', 1)] });
}

let ctx;
let server;
let port;
let rest;
let ownerSetUp = false;

async function startServer() {
	port ??= await freePort();
	server = await startN8n(ctx.instance, { port });
	rest = await restSession(server.url, OWNER, { setup: !ownerSetUp });
	ownerSetUp = true;
}

function failWithLog(error) {
	const log = server
		?.output()
		.split('\n')
		.filter((line) => !/^\s+at /.test(line));
	error.message += `\n--- n8n output (tail) ---\n${(log ?? []).slice(-40).join('\n')}`;
	throw error;
}

async function api(method, path, body) {
	const { partnerToken, userToken } = ctx.sandbox.seed;
	let response;
	// The sandbox keeps the API's 5 requests a second, shared with n8n's polls: wait and retry.
	for (let attempt = 0; attempt < 10; attempt++) {
		response = await fetch(`${ctx.sandbox.apiUrl}${path}`, {
			method,
			headers: {
				authorization: `Bearer ${partnerToken}, User ${userToken}`,
				accept: 'application/vnd.api.v2+json',
				'content-type': 'application/json',
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (response.status !== 429) break;
		await sleep(1000);
	}
	const text = await response.text();
	assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
	return text === '' ? undefined : JSON.parse(text).data;
}

const at = (ms) => `${new Date(ms).toISOString().slice(0, 19)}Z`;

async function book(startMs) {
	const [record] = await api('POST', `/records/${LOCATION}`, {
		staff_id: STAFF,
		services: [{ id: SERVICE }],
		client: { phone: '+13155550175', name: 'James Smith' },
		datetime: at(startMs),
		seance_length: 3600,
		save_if_busy: true,
	});
	return record;
}

const move = async (record, startMs) =>
	await api('PUT', `/record/${LOCATION}/${record.id}`, {
		staff_id: STAFF,
		services: [{ id: SERVICE }],
		client: { phone: '+13155550175' },
		datetime: at(startMs),
		seance_length: 3600,
		save_if_busy: true,
	});

const current = async (record) => await api('GET', `/record/${LOCATION}/${record.id}`);

/** How many times n8n has read the location's appointments (one read per poll). */
const reads = () =>
	ctx.sandbox.requests.filter((r) => r.method === 'GET' && r.path === `/api/v1/records/${LOCATION}`)
		.length;

async function waitFor(what, check, timeoutMs = POLL_WAIT_MS) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const value = await check();
		if (value) return value;
		if (Date.now() > deadline) failWithLog(new Error(`timed out waiting for ${what}`));
		await sleep(500);
	}
}

/** Waits until both workflows have polled `count` more times. */
async function polls(count) {
	const from = reads();
	await waitFor(`${count} more polls of both workflows`, () => reads() >= from + 2 * count);
}

async function executions(workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const { status, body } = await rest('GET', `/executions?filter=${filter}`);
	assert.equal(status, 200, JSON.stringify(body));
	return body.data.results.filter((e) => e.status !== 'running' && e.status !== 'new');
}

/** Every item the trigger emitted in the workflow's executions, oldest execution first. */
async function emitted(workflowId) {
	const items = [];
	const list = (await executions(workflowId)).sort((a, b) => Number(a.id) - Number(b.id));
	for (const execution of list) {
		assert.equal(execution.status, 'success', JSON.stringify(execution));
		const { body } = await rest('GET', `/executions/${execution.id}`);
		const data = requireFromN8n('flatted').parse(body.data.data);
		items.push(
			...data.resultData.runData['Altegio Appointment Trigger'][0].data.main[0].map((i) => i.json),
		);
	}
	return items;
}

const item = (event, data) => ({
	event,
	locationId: LOCATION,
	appointmentId: data.id,
	timeZone: '-05:00',
	data,
});

async function activate(id) {
	const workflowData = await rest('GET', `/workflows/${id}`);
	const activated = await rest('POST', `/workflows/${id}/activate`, {
		versionId: workflowData.body.data.versionId,
	});
	assert.equal(activated.status, 200, JSON.stringify(activated.body));
}

const booked = {};

before(async () => {
	ctx = await setupSuite('appointment-trigger', {
		workflows: (sandbox, credential) => [
			pollWorkflow(SOON_ID, { event: 'startsSoon', hoursBefore: 24 }, credential),
			pollWorkflow(CREATED_ID, { event: 'created' }, credential),
		],
	});
	await startServer();
});

after(async () => {
	await server?.stop();
	await ctx?.close();
});

test('activation polls once and emits nothing that was booked before', async () => {
	// Already within 24 hours when the trigger starts: never reminded.
	booked.old = await book(Date.now() + 23 * HOUR);
	// The API stamps changes in whole seconds, and the trigger takes a change stamped in the second
	// it starts as new. n8n 1.x activates within the same second as the booking without this wait.
	await nextSecond();
	ctx.sandbox.clearRequests();
	await activate(SOON_ID);
	await activate(CREATED_ID);
	// n8n 1.x polls while it activates; n8n 2.x activates in the background, then polls.
	await waitFor('the activation polls', () => reads() >= 2, 60_000);
	await polls(1);
	assert.deepEqual(await executions(SOON_ID), []);
	assert.deepEqual(await executions(CREATED_ID), []);
});

test('an appointment whose start comes within 24 hours is reminded once; one moved into the window once; one cancelled before it never', async () => {
	// 24 hours and 20 seconds ahead: it enters the window 20 seconds from now, as time passes.
	booked.arriving = await book(Date.now() + 24 * HOUR + 20_000);
	booked.moved = await book(Date.now() + 30 * HOUR);
	await move(booked.moved, Date.now() + 23 * HOUR + 30 * MINUTE);
	booked.cancelled = await book(Date.now() + 24 * HOUR + 10_000);
	await api('DELETE', `/record/${LOCATION}/${booked.cancelled.id}`);

	await waitFor('two reminders', async () => (await emitted(SOON_ID)).length >= 2);
	// One more poll: nothing is emitted twice.
	await polls(1);
	const reminders = await emitted(SOON_ID);
	assert.deepEqual(
		[...reminders].sort((a, b) => a.appointmentId - b.appointmentId),
		[
			item('startsSoon', await current(booked.arriving)),
			item('startsSoon', await current(booked.moved)),
		],
	);
	// Created: the two bookings made after activation; the cancelled one was gone when polled.
	assert.deepEqual(
		(await emitted(CREATED_ID)).map((i) => [i.event, i.appointmentId]),
		[
			['created', booked.arriving.id],
			['created', booked.moved.id],
		],
	);
});

test('an appointment moved again within the window is reminded once more, for its new time', async () => {
	await move(booked.arriving, Date.now() + 22 * HOUR);
	const moved = await current(booked.arriving);
	await waitFor('the third reminder', async () => (await emitted(SOON_ID)).length >= 3);
	await polls(1);
	const reminders = await emitted(SOON_ID);
	assert.equal(reminders.length, 3, JSON.stringify(reminders.map((i) => i.appointmentId)));
	assert.deepEqual(reminders[2], item('startsSoon', moved));
	assert.equal((await emitted(CREATED_ID)).length, 2, 'a move is not a new appointment');
});

test('after a restart nothing is emitted again', async () => {
	const before = {
		soon: (await executions(SOON_ID)).length,
		created: (await executions(CREATED_ID)).length,
	};
	await server.stop();
	ctx.sandbox.clearRequests();
	await startServer();
	// The published workflows are activated again (a poll each), then poll on their schedule.
	await waitFor('the polls after the restart', () => reads() >= 2, 60_000);
	await polls(1);
	assert.equal((await executions(SOON_ID)).length, before.soon);
	assert.equal((await executions(CREATED_ID)).length, before.created);
	assert.deepEqual(
		(await emitted(SOON_ID)).map((i) => i.appointmentId).sort(),
		[booked.arriving.id, booked.arriving.id, booked.moved.id].sort(),
	);
	assert.ok(!(await emitted(SOON_ID)).some((i) => i.appointmentId === booked.old.id));
	assert.ok(!(await emitted(SOON_ID)).some((i) => i.appointmentId === booked.cancelled.id));
});

test('no token appears in anything n8n printed', async () => {
	await server.stop();
	assertNoSecrets(ctx.instance, ctx.secrets);
	assert.ok(transcriptText(ctx.instance).length > 0);
});
