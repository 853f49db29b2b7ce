// The per-location operations in a real n8n, through the three examples that use them:
//   caller-card      published and served by `n8n start`: a caller's card and next appointment;
//   lead-to-client   the same server: a lead form creates the client only when the chain has none;
//   ai-receptionist  the chat trigger swapped for a Manual Trigger + the same chat item; a
//                    scripted model on loopback finds the client, lists services and team members,
//                    asks for free times, books one and cancels it, each through an Altegio tool.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { execute, publishWorkflow, startN8n, waitForWebhook } from '../tools/n8n/harness.mjs';
import { startChatModel, toolText } from './lib/fake-openai.mjs';
import { assertNoSecrets, describeRun, setupSuite } from './lib/suite.mjs';
import locations from '../sandbox/locations.js';
import { manualVariant, readExamples, withCredential } from '../tools/n8n/workflows.mjs';

const OPENAI_CREDENTIAL = { id: 'openAiScript0001', name: 'Scripted OpenAI (e2e)' };
const OLIVIA = '+1 (426) 403-76-40';
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

const RECEPTIONIST_SCRIPT = [
	{ tool: /^Find_client/, args: () => ({ phone: OLIVIA }) },
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
			clientPhone: '+14264037640',
			clientName: 'Olivia Brown',
		}),
	},
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
		],
		workflows: (sandbox, credential) => {
			const agent = withCredential(example('ai-receptionist.json'), OPENAI_CREDENTIAL, 'openAiApi');
			return [
				{ ...withCredential(example('caller-card.json'), credential), id: 'exCallerCard' },
				{ ...withCredential(example('lead-to-client.json'), credential), id: 'exLeadToClient' },
				manualVariant(withCredential(agent, credential), {
					id: 'exReceptionistManual',
					replace: 'When chat message received',
					json: {
						sessionId: 'e2e-receptionist',
						action: 'sendMessage',
						chatInput: `This is ${OLIVIA}. Book me a women's haircut with Emma on ${BOOKING_DATE}, then cancel it.`,
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
		const post = async (path, body) => {
			const response = await fetch(`${server.url}/webhook/${path}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body),
			});
			return { status: response.status, body: await response.json() };
		};
		await waitForWebhook(server, 'altegio-caller-card');
		await waitForWebhook(server, 'altegio-lead');

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

test('ai-receptionist: the agent finds the client, books a free time and cancels it with the tools', async () => {
	ctx.sandbox.clearRequests();
	model.requests.length = 0;
	const changes = [];
	const onChange = (change) => changes.push(change);
	ctx.sandbox.events.on('change', onChange);
	const result = await execute(ctx.instance, 'exReceptionistManual');
	ctx.sandbox.events.off('change', onChange);
	assert.equal(result.code, 0, describeRun(result));

	const completions = model.requests.filter((r) => r.path.endsWith('/chat/completions'));
	assert.equal(completions.length, RECEPTIONIST_SCRIPT.length + 1, describeRun(result));
	const offered = completions[0].body.tools.map((t) => t.function);
	assert.deepEqual(offered.map((t) => t.name).sort(), [
		'Book_appointment',
		'Cancel_appointment',
		'Find_client',
		'Get_available_times',
		'List_services',
		'List_team_members',
	]);
	const book = offered.find((t) => t.name === 'Book_appointment');
	assert.match(book.description, /creates the appointment/);
	assert.equal(book.parameters.properties.durationMinutes.type, 'number');
	assert.equal(book.parameters.properties.startAt.type, 'string');

	const calls = apiCalls();
	assert.deepEqual(calls.slice(0, 4), [
		'GET /group/509/clients 200',
		'GET /company/38726/services 200',
		'GET /company/38726/staff 200',
		`GET /book_times/38726/2001/${BOOKING_DATE} 200`,
	]);
	assert.equal(calls[4], 'POST /records/38726 201');
	assert.match(calls[5], /^DELETE \/record\/38726\/\d+ 204$/);
	assert.equal(calls.length, 6);

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
	assert.deepEqual(
		changes.map(({ resource, status, locationId }) => [resource, status, locationId]),
		[
			['record', 'create', 38726],
			['record', 'delete', 38726],
		],
	);
	assert.equal(ctx.sandbox.requests[5].path, `/api/v1/record/38726/${changes[0].resourceId}`);

	const lastTool = completions
		.at(-1)
		.body.messages.filter((m) => m.role === 'tool')
		.at(-1);
	const lastText = Array.isArray(lastTool.content)
		? lastTool.content.map((part) => part.text ?? '').join('')
		: String(lastTool.content);
	assert.deepEqual(JSON.parse(lastText), [{ deleted: true, id: changes[0].resourceId }]);
	const [answer] = result.items('AI Agent');
	assert.match(answer.json.output, /"deleted":true/);
});

test('no token appears in anything n8n printed', () => {
	assertNoSecrets(ctx.instance, ctx.secrets, JSON.stringify(model.requests));
});
