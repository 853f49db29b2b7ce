// The per-location operations in a real n8n, through the three examples that use them:
//   caller-card      published and served by `n8n start`: a caller's card and next appointment,
//                    only for a request that carries the webhook's header credential;
//   lead-to-client   the same server: a lead form creates the client only when the chain has none;
//   ai-receptionist  the webhook swapped for a Manual Trigger + the same item (the caller's phone
//                    and message); a scripted model on loopback finds the caller, lists services
//                    and team members, asks for free times, books one, and cancels: someone else's
//                    appointment is refused by ai-receptionist-cancel (a sub-workflow), the
//                    caller's own one is deleted.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
	N8N_MAJOR,
	execute,
	publishWorkflow,
	startN8n,
	waitForWebhook,
} from '../tools/n8n/harness.mjs';
import { startChatModel, toolText } from './lib/fake-openai.mjs';
import { assertNoSecrets, describeRun, setupSuite } from './lib/suite.mjs';
import locations from '../sandbox/locations.js';
import { manualVariant, readExamples, withCredential } from '../tools/n8n/workflows.mjs';

const OPENAI_CREDENTIAL = { id: 'openAiScript0001', name: 'Scripted OpenAI (e2e)' };
// The Header Auth credential the examples' webhooks require (a placeholder in the files).
const WEBHOOK_HEADER = { name: 'X-Webhook-Key', value: 'e2e-webhook-key-7f3a9c' };
const WEBHOOK_CREDENTIAL = { id: 'webhookHeader001', name: 'Webhook header (e2e)' };
const OLIVIA = '+1 (426) 403-76-40';
// Another client's phone and appointment at the Manhattan location (sandbox/seed-locations.json).
const JAMES_PHONE = '+13155550175';
const JAMES_APPOINTMENT = '61000003';
// The sandbox moves its seed's appointments by whole weeks so that they stay ahead of today.
const TODAY = new Date().toISOString().slice(0, 10);
const seedDate = (text) => locations.seedDate(text, TODAY);
const BOOKING_DATE = seedDate('2026-12-16');

const example = (file) => {
	const found = readExamples().find((e) => e.file === file);
	assert.ok(found, `examples/${file} exists`);
	return found.workflow;
};

/**
 * A model that follows a fixed script: the n-th call with n tool results in the conversation
 * calls the n-th tool of `steps` (picked by name), with arguments built from the results so far;
 * after the last step it answers with the last result. Streams when asked to, like OpenAI.
 */
async function startScriptedModel(steps) {
	return await startChatModel((body, callId) => {
		const results = (body.messages ?? []).filter((m) => m.role === 'tool').map(toolText);
		const step = steps[results.length];
		if (!step) return { content: `Done. ${results.at(-1) ?? ''}` };
		const tool = (body.tools ?? []).find((t) => step.tool.test(t.function?.name ?? ''));
		if (!tool) return { content: `No tool matches ${step.tool}` };
		return {
			toolCall: {
				id: callId(),
				type: 'function',
				function: { name: tool.function.name, arguments: JSON.stringify(step.args(results)) },
			},
		};
	});
}

const firstMatch = (text, pattern) => {
	const match = pattern.exec(text);
	assert.ok(match, `${pattern} in ${text.slice(0, 300)}`);
	return match[1];
};

// The model tries to reach another client's data at each step that could: the tools ignore it.
const RECEPTIONIST_SCRIPT = [
	{ tool: /^Find_caller/, args: () => ({ phone: JAMES_PHONE }) },
	{ tool: /^List_services/, args: () => ({}) },
	{ tool: /^List_team_members/, args: () => ({}) },
	{
		tool: /^Get_available_times/,
		args: () => ({ teamMemberId: '2001', date: BOOKING_DATE, serviceIds: '11001' }),
	},
	{
		tool: /^Book_appointment/,
		args: (results) => ({
			teamMemberId: '2001',
			serviceIds: '11001',
			startAt: firstMatch(results[3], /"datetime":"([^"]+)"/),
			durationMinutes: Number(firstMatch(results[3], /"seance_length":(\d+)/)) / 60,
			clientPhone: JAMES_PHONE,
			clientName: 'Olivia Brown',
		}),
	},
	// "Cancel appointment 61000003", as a message could ask: it is not the caller's.
	{ tool: /^Cancel_appointment/, args: () => ({ appointmentId: JAMES_APPOINTMENT }) },
	{
		tool: /^Cancel_appointment/,
		args: (results) => ({ appointmentId: firstMatch(results[4], /"id":(\d+)/) }),
	},
];

let ctx;
let model;

before(async () => {
	model = await startScriptedModel(RECEPTIONIST_SCRIPT);
	ctx = await setupSuite('operations', {
		sandboxOptions: { today: TODAY },
		credentials: () => [
			{
				...OPENAI_CREDENTIAL,
				type: 'openAiApi',
				data: { apiKey: 'sk-e2e-scripted-model-key', url: model.url, header: false },
			},
			{ ...WEBHOOK_CREDENTIAL, type: 'httpHeaderAuth', data: WEBHOOK_HEADER },
		],
		workflows: (sandbox, credential) => {
			const prepared = (file) =>
				withCredential(
					withCredential(example(file), credential),
					WEBHOOK_CREDENTIAL,
					'httpHeaderAuth',
				);
			const agent = withCredential(
				prepared('ai-receptionist.json'),
				OPENAI_CREDENTIAL,
				'openAiApi',
			);
			const cancelTool = agent.nodes.find((n) => n.name === 'Cancel appointment');
			assert.equal(cancelTool.parameters.workflowId.value, 'REPLACE_WITH_CANCEL_WORKFLOW_ID');
			cancelTool.parameters.workflowId.value = 'exReceptionCancel';
			return [
				{ ...prepared('caller-card.json'), id: 'exCallerCard' },
				{ ...prepared('lead-to-client.json'), id: 'exLeadToClient' },
				{ ...prepared('ai-receptionist-cancel.json'), id: 'exReceptionCancel' },
				manualVariant(agent, {
					id: 'exReceptionistManual',
					replace: 'Incoming message',
					json: {
						body: {
							phone: OLIVIA,
							message: `Book me a women's haircut with Emma on ${BOOKING_DATE}. Also cancel appointment ${JAMES_APPOINTMENT}, then the new one.`,
						},
					},
				}),
			];
		},
	});
});

after(async () => {
	await ctx?.close();
	await model?.close();
});

const apiCalls = () =>
	ctx.sandbox.requests.map((r) => `${r.method} ${r.path.replace('/api/v1', '')} ${r.status}`);

test('caller-card and lead-to-client: the published webhooks answer through the new operations', async () => {
	await publishWorkflow(ctx.instance, 'exCallerCard');
	await publishWorkflow(ctx.instance, 'exLeadToClient');
	const server = await startN8n(ctx.instance);
	try {
		const post = async (path, body, headers = { [WEBHOOK_HEADER.name]: WEBHOOK_HEADER.value }) => {
			const response = await fetch(`${server.url}/webhook/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body: JSON.stringify(body),
			});
			const text = await response.text();
			let parsed = text;
			try {
				parsed = JSON.parse(text);
			} catch {
				/* keep the text */
			}
			return { status: response.status, body: parsed };
		};
		await waitForWebhook(server, 'altegio-caller-card');
		await waitForWebhook(server, 'altegio-lead');

		// Without the header credential, or with a wrong key, n8n refuses before the workflow runs.
		ctx.sandbox.clearRequests();
		for (const [path, body] of [
			['altegio-caller-card', { phone: OLIVIA }],
			['altegio-lead', { name: 'Eve', phone: '+1 212 555 01 98', location_id: 38726 }],
		]) {
			for (const headers of [{}, { [WEBHOOK_HEADER.name]: 'a-guessed-key' }]) {
				const refused = await post(path, body, headers);
				assert.equal(refused.status, 403, `${path} ${JSON.stringify(headers)}: ${refused.status}`);
				assert.doesNotMatch(JSON.stringify(refused.body), /Olivia|4240880|visits/);
			}
		}
		assert.deepEqual(apiCalls(), [], 'no request reached the API');

		ctx.sandbox.clearRequests();
		// The seeded appointments of sandbox/seed-locations.json that lie ahead of today.
		assert.deepEqual(await post('altegio-caller-card', { phone: OLIVIA }), {
			status: 200,
			body: {
				found: true,
				cards: [
					{
						location_id: 38726,
						client_id: 4240880,
						name: 'Olivia Brown',
						visits: 7,
						spent: 615,
						balance: 25,
						next_appointment: seedDate('2026-12-14T10:30:00-05:00'),
						team_member: 'Emma Wilson',
						services: "Women's haircut",
					},
					{
						location_id: 39287,
						client_id: 4243272,
						name: 'Olivia Brown',
						visits: 2,
						spent: 120,
						balance: 0,
						next_appointment: seedDate('2026-12-10T09:00:00-05:00'),
						team_member: 'Mia Anderson',
						services: 'Haircut',
					},
				],
			},
		});
		assert.deepEqual(apiCalls().sort(), [
			'GET /client/38726/4240880 200',
			'GET /client/39287/4243272 200',
			'GET /group/509/clients 200',
			'GET /records/38726 200',
			'GET /records/39287 200',
		]);
		const lists = ctx.sandbox.requests.filter((r) => r.path.includes('/records/'));
		assert.deepEqual(lists.map((r) => r.query.client_id).sort(), ['4240880', '4243272']);
		for (const r of lists) {
			assert.equal(r.query.count, '1', 'Limit 1 asks for one appointment');
			assert.match(r.query.start_date, /^\d{4}-\d{2}-\d{2}$/, "today's date in n8n's time zone");
		}

		ctx.sandbox.clearRequests();
		const lead = {
			name: 'Zoe Clark',
			phone: '+1 212 555 01 99',
			email: 'zoe@example.com',
			location_id: 38726,
		};
		const created = await post('altegio-lead', lead);
		assert.equal(created.status, 201, JSON.stringify(created.body));
		assert.deepEqual(created.body, {
			created: true,
			client: {
				id: created.body.client.id,
				location_id: 38726,
				name: 'Zoe Clark',
				phone: '+12125550199',
			},
		});
		const write = ctx.sandbox.requests.find((r) => r.method === 'POST');
		assert.deepEqual(write.body, {
			name: 'Zoe Clark',
			phone: '12125550199',
			email: 'zoe@example.com',
			comment: 'From the website lead form',
		});

		ctx.sandbox.clearRequests();
		assert.deepEqual(await post('altegio-lead', { ...lead, phone: OLIVIA }), {
			status: 200,
			body: {
				created: false,
				clients: [
					{ id: 4240880, location_id: 38726, name: 'Olivia Brown' },
					{ id: 4243272, location_id: 39287, name: 'Olivia Brown' },
				],
			},
		});
		assert.deepEqual(apiCalls(), ['GET /group/509/clients 200'], 'nothing is created');
	} catch (error) {
		error.message += `\n--- n8n start output (tail) ---\n${server.output().split('\n').slice(-30).join('\n')}`;
		throw error;
	} finally {
		await server.stop();
	}
});

test("ai-receptionist: the agent acts only for the caller: someone else's appointment is refused, the caller's own is cancelled", async () => {
	// n8n 2.x runs only the published version of a sub-workflow outside the editor ("Workflow is
	// not active and cannot be executed" otherwise); 1.x runs the saved one. `publish:workflow` marks
	// the version; a running n8n's publication service would then copy it to its own table, which
	// `n8n execute` does not start, so this run reads the marked version directly.
	if (N8N_MAJOR >= 2) await publishWorkflow(ctx.instance, 'exReceptionCancel');
	const env = N8N_MAJOR >= 2 ? { N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false' } : {};
	ctx.sandbox.clearRequests();
	model.requests.length = 0;
	const changes = [];
	const onChange = (change) => changes.push(change);
	ctx.sandbox.events.on('change', onChange);
	const result = await execute(ctx.instance, 'exReceptionistManual', { env });
	ctx.sandbox.events.off('change', onChange);
	assert.equal(result.code, 0, describeRun(result));

	const completions = model.requests.filter((r) => r.path.endsWith('/chat/completions'));
	assert.equal(completions.length, RECEPTIONIST_SCRIPT.length + 1, describeRun(result));
	const toolResults = completions
		.at(-1)
		.body.messages.filter((m) => m.role === 'tool')
		.map(toolText);
	const seen = `tool results:\n${toolResults.join('\n')}`;
	const offered = completions[0].body.tools.map((t) => t.function);
	assert.deepEqual(offered.map((t) => t.name).sort(), [
		'Book_appointment',
		'Cancel_appointment',
		'Find_caller',
		'Get_available_times',
		'List_services',
		'List_team_members',
	]);
	const tool = (name) => offered.find((t) => t.name === name);
	// The phone is not the model's to choose: no tool takes one.
	assert.deepEqual(Object.keys(tool('Find_caller').parameters.properties ?? {}), []);
	assert.deepEqual(Object.keys(tool('Book_appointment').parameters.properties).sort(), [
		'clientName',
		'durationMinutes',
		'serviceIds',
		'startAt',
		'teamMemberId',
	]);
	assert.deepEqual(Object.keys(tool('Cancel_appointment').parameters.properties), [
		'appointmentId',
	]);
	assert.match(tool('Book_appointment').description, /This writes to Altegio/);
	assert.match(tool('Cancel_appointment').description, /cannot be undone/);
	assert.match(tool('Cancel_appointment').description, /anyone else is refused/);
	assert.equal(tool('Book_appointment').parameters.properties.durationMinutes.type, 'number');

	const calls = apiCalls();
	assert.deepEqual(calls.slice(0, 4), [
		'GET /group/509/clients 200',
		'GET /company/38726/services 200',
		'GET /company/38726/staff 200',
		`GET /book_times/38726/2001/${BOOKING_DATE} 200`,
	]);
	// Find caller asked for the caller's phone, not the one the model gave.
	assert.equal(ctx.sandbox.requests[0].query.phone, '14264037640');
	assert.equal(calls[4], 'POST /records/38726 201');
	const booked = ctx.sandbox.requests[4].body;
	assert.deepEqual(booked, {
		save_if_busy: false,
		send_sms: false,
		staff_id: 2001,
		services: [{ id: 11001 }],
		datetime: `${BOOKING_DATE}T10:00:00-05:00`,
		seance_length: 3600,
		client: { phone: '+14264037640', name: 'Olivia Brown' },
		comment: 'Booked by the AI receptionist',
	});
	const bookedId = changes[0].resourceId;
	// Someone else's appointment is read, found not to be the caller's, and left alone; the
	// caller's own one is read and then deleted.
	assert.deepEqual(
		calls.slice(5),
		[
			`GET /record/38726/${JAMES_APPOINTMENT} 200`,
			`GET /record/38726/${bookedId} 200`,
			`DELETE /record/38726/${bookedId} 204`,
		],
		seen,
	);
	assert.deepEqual(
		changes.map(({ resource, status, locationId, resourceId }) => [
			resource,
			status,
			locationId,
			resourceId,
		]),
		[
			['record', 'create', 38726, bookedId],
			['record', 'delete', 38726, bookedId],
		],
	);

	assert.equal(toolResults.length, RECEPTIONIST_SCRIPT.length);
	// n8n sends a sub-workflow's answer as a list of items (2.x) or as its first item (1.x).
	const items = (text) => [JSON.parse(text)].flat();
	assert.deepEqual(items(toolResults[5]), [
		{
			cancelled: false,
			message: `Appointment ${JAMES_APPOINTMENT} is not an appointment of this caller, so it was not cancelled. Only the caller's own appointments can be cancelled.`,
		},
	]);
	assert.deepEqual(items(toolResults[6]), [{ deleted: true, id: bookedId }]);
	// The model never saw the other client's card.
	assert.doesNotMatch(toolResults.join('\n'), /James|3155550175/);
	const [answer] = result.items('AI Agent');
	assert.match(answer.json.output, /"deleted"/);
});

test('no token appears in anything n8n printed', () => {
	assertNoSecrets(ctx.instance, ctx.secrets, JSON.stringify(model.requests));
});
