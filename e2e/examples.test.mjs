// The example workflows (examples/*.json) in a real n8n: every one imports as shipped, uses only
// node types and versions this n8n has, and runs against the sandbox:
//   chain-locations-to-rows  `n8n execute`, exact rows;
//   caller-lookup            published and served by `n8n start`; real HTTP calls to its webhook,
//                            which refuses requests without its header credential;
//   ai-agent-tool            the chat trigger swapped for a Manual Trigger + the same chat item;
//                            the model is a scripted fake OpenAI server on loopback, the tool is
//                            the Altegio node's tool variant (n8n-nodes-altegio.altegioTool);
//   appointment-reminder-24h, review-request
//                            published and polled by `n8n start` with one change: Poll Times
//                            Every Minute instead of every 15 minutes; appointments booked around
//                            the 24-hour and 2-hour marks become message drafts, each once.
// Also: what a model reads about every Altegio operation as a tool in n8n's default tool mode.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { startChatModel, startFakeOpenAi } from './lib/fake-openai.mjs';
import {
	execute,
	importWorkflows,
	n8n,
	n8nEnv,
	publishWorkflow,
	startN8n,
	waitForWebhook,
} from '../tools/n8n/harness.mjs';
import { assertNoSecrets, describeRun, json, restSession, setupSuite } from './lib/suite.mjs';
import {
	manualTrigger,
	manualVariant,
	node,
	readExamples,
	withCredential,
} from '../tools/n8n/workflows.mjs';

const OPENAI_CREDENTIAL = { id: 'openAiFake000001', name: 'Fake OpenAI (e2e)' };
const LISTENER_CREDENTIAL = { id: 'openAiListen0001', name: 'Listening OpenAI (e2e)' };
const WEBHOOK_HEADER = { name: 'X-Webhook-Key', value: 'e2e-webhook-key-5b8e21' };
const WEBHOOK_CREDENTIAL = { id: 'webhookHeader001', name: 'Webhook header (e2e)' };
const CALLER_PHONE = '+1 (426) 403-76-40';
const OWNER = {
	email: 'examples-e2e@example.com',
	firstName: 'Examples',
	lastName: 'Tester',
	password: 'Examples-e2e-5678',
};
const requireFromN8n = createRequire(n8nEnv().N8N_BIN);

/**
 * What a model reads about each operation as a tool when the Description is left on "Set
 * Automatically": "<action> in Altegio". The nodes carry the names n8n gives a new tool node
 * (the same text), so the tool names are n8n's defaults too.
 */
const DEFAULT_TOOL_DESCRIPTIONS = {
	'appointment.create': 'Create an appointment (writes; may text the client) in Altegio',
	'appointment.delete': 'Delete an appointment (no undo; frees slot, may notify) in Altegio',
	'appointment.get': 'Get an appointment (read-only) in Altegio',
	'appointment.getAll': 'Get many appointments (read-only) in Altegio',
	'appointment.getAvailableDates': 'Get available dates for an appointment (read-only) in Altegio',
	'appointment.getAvailableTimes': 'Get available times for an appointment (read-only) in Altegio',
	'appointment.setAttendance': 'Set appointment attendance (writes; may notify client) in Altegio',
	'appointment.update': 'Update an appointment (writes; may notify the client) in Altegio',
	'chain.getAll': 'Get many chains (read-only) in Altegio',
	'chainClient.getByPhone': 'Get a chain client by phone (read-only) in Altegio',
	'client.create': 'Create a client (writes; allows a duplicate phone) in Altegio',
	'client.delete': 'Delete a client (no undo; erases the client card) in Altegio',
	'client.get': 'Get a client (read-only) in Altegio',
	'client.getAll': 'Get many clients (read-only) in Altegio',
	'client.getVisitHistory': "Get a client's visit history (read-only) in Altegio",
	'financeTransaction.getAll': 'Get many finance transactions (read-only) in Altegio',
	'client.update': 'Update a client (writes; no undo of changed fields) in Altegio',
	'loyaltyCard.getByPhone': 'Get loyalty cards by phone (read-only) in Altegio',
	'service.getAll': 'Get many services (read-only) in Altegio',
	'teamMember.getAll': 'Get many team members (read-only) in Altegio',
	'teamMember.getSchedule': "Get a team member's schedule (read-only) in Altegio",
};

/** An AI Agent with one Altegio tool per operation, every tool on n8n's defaults. */
function everyToolWorkflow(credential) {
	const agent = node('AI Agent', '@n8n/n8n-nodes-langchain.agent', 3, {
		promptType: 'define',
		text: 'Which tools do you have?',
		options: {},
	});
	const chatModel = node('OpenAI Chat Model', '@n8n/n8n-nodes-langchain.lmChatOpenAi', 1.3, {
		model: { __rl: true, mode: 'list', value: 'gpt-5-mini' },
		responsesApiEnabled: false,
		options: {},
	});
	chatModel.credentials = { openAiApi: LISTENER_CREDENTIAL };
	const tools = Object.entries(DEFAULT_TOOL_DESCRIPTIONS).map(([key, text]) => {
		const [resource, operation] = key.split('.');
		return {
			...node(text, 'n8n-nodes-altegio.altegioTool', 1, { resource, operation }),
			credentials: { altegioApi: { id: credential.id, name: credential.name } },
		};
	});
	const start = manualTrigger();
	const toAgent = (type) => ({ [type]: [[{ node: 'AI Agent', type, index: 0 }]] });
	return {
		id: 'exEveryTool',
		name: 'Every Altegio tool on defaults',
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [start, agent, chatModel, ...tools],
		connections: {
			[start.name]: toAgent('main'),
			[chatModel.name]: toAgent('ai_languageModel'),
			...Object.fromEntries(tools.map((t) => [t.name, toAgent('ai_tool')])),
		},
	};
}

let ctx;
let fakeOpenAi;
let listener;
const examples = readExamples();
const example = (file) => {
	const found = examples.find((e) => e.file === file);
	assert.ok(found, `examples/${file} exists`);
	return found.workflow;
};

before(async () => {
	fakeOpenAi = await startFakeOpenAi({ toolPattern: /find/i, args: { phone: CALLER_PHONE } });
	listener = await startChatModel(() => ({ content: 'I only listened.' }));
	ctx = await setupSuite('examples', {
		credentials: () => [
			{
				...OPENAI_CREDENTIAL,
				type: 'openAiApi',
				data: { apiKey: 'sk-e2e-fake-openai-key', url: fakeOpenAi.url, header: false },
			},
			{
				...LISTENER_CREDENTIAL,
				type: 'openAiApi',
				data: { apiKey: 'sk-e2e-listener-key', url: listener.url, header: false },
			},
			{ ...WEBHOOK_CREDENTIAL, type: 'httpHeaderAuth', data: WEBHOOK_HEADER },
		],
		workflows: (sandbox, credential) => {
			const prepared = (file, id) => ({
				...withCredential(
					withCredential(example(file), credential),
					WEBHOOK_CREDENTIAL,
					'httpHeaderAuth',
				),
				id,
			});
			/** A polling example as shipped, polled every minute so that the suite waits less. */
			const everyMinute = (file, id) => {
				const wf = prepared(file, id);
				for (const n of wf.nodes) {
					if (n.type === 'n8n-nodes-altegio.altegioAppointmentTrigger')
						n.parameters.pollTimes = { item: [{ mode: 'everyMinute' }] };
				}
				return wf;
			};
			const agent = withCredential(example('ai-agent-tool.json'), OPENAI_CREDENTIAL, 'openAiApi');
			return [
				prepared('caller-lookup.json', 'exCallerLookup'),
				prepared('chain-locations-to-rows.json', 'exChainRows'),
				everyMinute('appointment-reminder-24h.json', 'exReminder24h'),
				everyMinute('review-request.json', 'exReviewRequest'),
				manualVariant(withCredential(agent, credential), {
					id: 'exAiAgentManual',
					replace: 'When chat message received',
					json: {
						sessionId: 'e2e-session',
						action: 'sendMessage',
						chatInput: `Who is calling from ${CALLER_PHONE}?`,
					},
				}),
				everyToolWorkflow(credential),
			];
		},
	});
});

after(async () => {
	await ctx?.close();
	await fakeOpenAi?.close();
	await listener?.close();
});

test('every example imports as shipped (credential placeholders included)', async () => {
	assert.deepEqual(
		examples.map((e) => e.file),
		[
			'ai-agent-tool.json',
			'ai-receptionist-cancel.json',
			'ai-receptionist.json',
			'appointment-confirmation.json',
			'appointment-reminder-24h.json',
			'appointment-reminder.json',
			'caller-card.json',
			'caller-lookup.json',
			'chain-locations-to-rows.json',
			'daily-takings.json',
			'lead-to-client.json',
			'no-show-follow-up.json',
			'review-request.json',
		],
	);
	const asShipped = examples.map(({ workflow }, i) => ({ ...workflow, id: `exAsShipped${i}` }));
	await importWorkflows(ctx.instance, asShipped);
	const list = await n8n(ctx.instance, ['list:workflow']);
	for (const { workflow } of examples)
		assert.ok(
			list.stdout.split('\n').some((line) => line.endsWith(`|${workflow.name}`)),
			workflow.name,
		);
});

test('examples use only node types and versions this n8n has', async () => {
	const output = path.join(ctx.instance.userFolder, 'node-types.json');
	const result = await n8n(ctx.instance, ['export:nodes', `--output=${output}`]);
	assert.equal(result.code, 0);
	const versions = new Map();
	for (const type of JSON.parse(fs.readFileSync(output, 'utf8'))) {
		const list = versions.get(type.name) ?? [];
		list.push(...[type.version].flat());
		versions.set(type.name, list);
	}
	for (const { file, workflow } of examples) {
		for (const node of workflow.nodes) {
			assert.ok(versions.has(node.type), `${file}: node type ${node.type} is known`);
			assert.ok(
				versions.get(node.type).includes(node.typeVersion),
				`${file}: ${node.type} has version ${node.typeVersion} (known: ${versions.get(node.type)})`,
			);
		}
	}
});

test('chain-locations-to-rows: one row per location, ready for a spreadsheet', async () => {
	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'exChainRows');
	assert.equal(result.code, 0, describeRun(result));
	const expected = ctx.sandbox.seed.chains.flatMap((chain) =>
		chain.companies.map((company) => ({
			'Chain ID': chain.id,
			Chain: chain.title,
			'Location ID': company.id,
			Location: company.title,
		})),
	);
	assert.deepEqual(json(result.items('Spreadsheet row')), expected);
	assert.equal(ctx.sandbox.requests.length, 1);
});

test('caller-lookup: the published webhook answers callers through the Altegio node', async () => {
	await publishWorkflow(ctx.instance, 'exCallerLookup');
	const server = await startN8n(ctx.instance);
	try {
		const call = async (phone, headers = { [WEBHOOK_HEADER.name]: WEBHOOK_HEADER.value }) => {
			const response = await fetch(`${server.url}/webhook/altegio-caller-lookup`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', ...headers },
				body: JSON.stringify({ phone }),
			});
			const text = await response.text();
			let body = text;
			try {
				body = JSON.parse(text);
			} catch {
				/* keep the text */
			}
			return { status: response.status, body };
		};
		await waitForWebhook(server, 'altegio-caller-lookup');
		ctx.sandbox.clearRequests();

		// Without the header credential, or with a wrong key, n8n refuses before the workflow runs.
		for (const headers of [{}, { [WEBHOOK_HEADER.name]: 'a-guessed-key' }]) {
			const refused = await call(CALLER_PHONE, headers);
			assert.equal(refused.status, 403, `${JSON.stringify(headers)}: ${refused.status}`);
			assert.doesNotMatch(JSON.stringify(refused.body), /Olivia|4240880/);
		}
		assert.equal(ctx.sandbox.requests.length, 0, 'no request reached the API');

		const olivia = ctx.sandbox.seed.clients['509'].filter((c) => c.phone === '14264037640');
		assert.deepEqual(await call(CALLER_PHONE), {
			status: 200,
			body: {
				found: true,
				phone: CALLER_PHONE,
				clients: olivia.map((c) => ({
					id: c.id,
					name: c.name,
					email: c.email,
					location_id: c.company_id,
				})),
			},
		});
		assert.deepEqual(await call('+1 000 000 00 00'), {
			status: 200,
			body: { found: false, phone: '+1 000 000 00 00', clients: [] },
		});
		assert.deepEqual(await call('+1 999 555 01 00'), {
			status: 200,
			body: { found: false, phone: '+1 999 555 01 00', clients: [] },
		});
		const broken = await call('call me');
		assert.equal(broken.status, 502);
		assert.equal(broken.body.found, false);
		assert.match(broken.body.error, /call me/);

		assert.deepEqual(
			ctx.sandbox.requests.map((r) => `${r.method} ${r.path}?phone=${r.query.phone} ${r.status}`),
			[
				'GET /api/v1/group/509/clients?phone=14264037640 200',
				'GET /api/v1/group/509/clients?phone=10000000000 200',
				'GET /api/v1/group/509/clients?phone=19995550100 404',
			],
		);
	} catch (error) {
		error.message += `\n--- n8n start output (tail) ---\n${server.output().split('\n').slice(-30).join('\n')}`;
		throw error;
	} finally {
		await server.stop();
	}
});

test('ai-agent-tool: the agent calls the Altegio tool with $fromAI arguments and gets the clients', async () => {
	ctx.sandbox.clearRequests();
	fakeOpenAi.requests.length = 0;
	const result = await execute(ctx.instance, 'exAiAgentManual');
	assert.equal(result.code, 0, describeRun(result));

	// What n8n offered the model: both Altegio tools, the lookup with a required string "phone".
	const completions = fakeOpenAi.requests.filter((r) => r.path.endsWith('/chat/completions'));
	assert.equal(completions.length, 2, 'one call that picks the tool, one that answers');
	const tools = completions[0].body.tools.map((t) => t.function);
	const lookup = tools.find((t) => /find/i.test(t.name));
	assert.ok(lookup, `tools offered: ${tools.map((t) => t.name)}`);
	assert.ok(
		tools.some((t) => /list/i.test(t.name)),
		'the List chains tool is offered too',
	);
	assert.match(lookup.description, /phone/);
	assert.equal(lookup.parameters.properties.phone.type, 'string');

	// The tool ran as the Altegio node against the API, with the phone the model chose.
	assert.deepEqual(
		ctx.sandbox.requests.map((r) => `${r.method} ${r.path}?phone=${r.query.phone} ${r.status}`),
		['GET /api/v1/group/509/clients?phone=14264037640 200'],
	);
	const toolRun = result.nodes['Find client by phone'];
	assert.ok(toolRun, `nodes that ran: ${Object.keys(result.nodes)}`);

	// The tool result went back to the model and into the agent's answer.
	const toolMessage = completions[1].body.messages.find((m) => m.role === 'tool');
	assert.ok(toolMessage, 'the second model call carries the tool result');
	const toolText = JSON.stringify(toolMessage.content);
	for (const client of ctx.sandbox.seed.clients['509'].filter((c) => c.phone === '14264037640')) {
		assert.match(toolText, new RegExp(String(client.id)));
	}
	const [answer] = result.items('AI Agent');
	assert.match(answer.json.output, /Olivia Brown/);
	assert.doesNotMatch(toolText, new RegExp(ctx.sandbox.seed.partnerToken));
});

test('every Altegio tool on "Set Automatically": the model reads whether it writes and what it cannot undo', async () => {
	listener.requests.length = 0;
	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'exEveryTool');
	assert.equal(result.code, 0, describeRun(result));
	const completions = listener.requests.filter((r) => r.path.endsWith('/chat/completions'));
	assert.equal(completions.length, 1, 'the model answered without calling a tool');
	const offered = Object.fromEntries(
		completions[0].body.tools.map((t) => [t.function.name, t.function.description]),
	);
	// n8n's tool name is the node name with each run of characters outside [a-zA-Z0-9_-] turned
	// into one "_"; n8n 1.x does not cut it, so it must stay within the 64 characters model APIs take.
	const toolName = (name) => name.replace(/[^a-zA-Z0-9_-]+/g, '_');
	for (const name of Object.keys(offered)) assert.ok(name.length <= 64, name);
	assert.deepEqual(
		offered,
		Object.fromEntries(
			Object.values(DEFAULT_TOOL_DESCRIPTIONS).map((text) => [toolName(text), text]),
		),
	);
	assert.equal(ctx.sandbox.requests.length, 0, 'offering the tools calls nothing');
});

test('appointment-reminder-24h and review-request: published, each appointment becomes one message draft when its time comes', async () => {
	const LOCATION = 38726;
	const HOUR = 3_600_000;
	const MINUTE = 60_000;
	const { partnerToken, userToken } = ctx.sandbox.seed;
	const api = async (method, route, body) => {
		let response;
		// The sandbox keeps the API's 5 requests a second, shared with n8n's polls: wait and retry.
		for (let attempt = 0; attempt < 10; attempt++) {
			response = await fetch(`${ctx.sandbox.apiUrl}${route}`, {
				method,
				headers: {
					authorization: `Bearer ${partnerToken}, User ${userToken}`,
					accept: 'application/vnd.api.v2+json',
					'content-type': 'application/json',
				},
				body: body === undefined ? undefined : JSON.stringify(body),
			});
			if (response.status !== 429) break;
			await new Promise((resolve) => setTimeout(resolve, 1000));
		}
		const text = await response.text();
		assert.ok(response.ok, `${method} ${route}: ${response.status} ${text}`);
		return JSON.parse(text).data;
	};
	/** Books a one-hour appointment at the first whole minute after `ms`. */
	const book = async (ms, attendance = 0) =>
		(
			await api('POST', `/records/${LOCATION}`, {
				staff_id: 2001,
				services: [{ id: 11001 }],
				client: { phone: '+13155550175', name: 'James Smith' },
				datetime: `${new Date(Math.ceil(ms / MINUTE) * MINUTE).toISOString().slice(0, 19)}Z`,
				seance_length: 3600,
				attendance,
				save_if_busy: true,
			})
		)[0];
	const reads = () =>
		ctx.sandbox.requests.filter(
			(r) => r.method === 'GET' && r.path === `/api/v1/records/${LOCATION}`,
		).length;

	// Before publishing: a visit within 24 hours already, and an arrived visit whose follow-up time
	// has passed. Neither is replayed.
	await book(Date.now() + 23 * HOUR);
	await book(Date.now() - 3 * HOUR - 10 * MINUTE, 1);
	await publishWorkflow(ctx.instance, 'exReminder24h');
	await publishWorkflow(ctx.instance, 'exReviewRequest');
	ctx.sandbox.clearRequests();
	const server = await startN8n(ctx.instance);
	const waitFor = async (what, check, timeoutMs = 150_000) => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const value = await check();
			if (value) return value;
			if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
			await new Promise((resolve) => setTimeout(resolve, 500));
		}
	};
	try {
		const rest = await restSession(server.url, OWNER, { setup: true });
		const drafts = async (workflowId, nodeName) => {
			const filter = encodeURIComponent(JSON.stringify({ workflowId }));
			const { body } = await rest('GET', `/executions?filter=${filter}`);
			const items = [];
			for (const execution of body.data.results) {
				if (execution.status === 'running' || execution.status === 'new') continue;
				assert.equal(execution.status, 'success', JSON.stringify(execution));
				const detail = await rest('GET', `/executions/${execution.id}`);
				const run = requireFromN8n('flatted').parse(detail.body.data.data).resultData.runData;
				items.push(...run[nodeName][0].data.main[0].map((item) => item.json));
			}
			return items;
		};
		await waitFor('the activation polls', () => reads() >= 2);

		// 24 hours and 15 to 75 seconds ahead: its reminder is due within a minute or two.
		const soon = await book(Date.now() + 24 * HOUR + 15_000);
		// Ended 2 hours ago in 15 to 75 seconds: one arrived, one a no-show.
		const visit = await book(Date.now() - 3 * HOUR + 15_000, 1);
		await book(Date.now() - 3 * HOUR + 15_000, -1);

		await waitFor('both drafts', async () => {
			const [reminders, reviews] = await Promise.all([
				drafts('exReminder24h', 'Reminder message'),
				drafts('exReviewRequest', 'Review request'),
			]);
			return reminders.length >= 1 && reviews.length >= 1;
		});
		// One more poll of each: nothing comes twice.
		const from = reads();
		await waitFor('one more poll of each workflow', () => reads() >= from + 2);

		// The location's wall time (38726 is at a fixed UTC−5, which is Etc/GMT+5), read without Luxon.
		const parts = Object.fromEntries(
			new Intl.DateTimeFormat('en-US', {
				weekday: 'long',
				day: 'numeric',
				month: 'long',
				hour: '2-digit',
				minute: '2-digit',
				hourCycle: 'h23',
				timeZone: 'Etc/GMT+5',
			})
				.formatToParts(new Date(soon.datetime))
				.map((part) => [part.type, part.value]),
		);
		const local = `${parts.weekday}, ${parts.day} ${parts.month} at ${parts.hour}:${parts.minute}`;
		assert.deepEqual(await drafts('exReminder24h', 'Reminder message'), [
			{
				to: '+13155550175',
				message: `Hello ${soon.client.name}, a reminder of your visit on ${local}: ${soon.services[0].title} with ${soon.staff.name}. See you then!`,
				appointmentId: soon.id,
				locationId: LOCATION,
			},
		]);
		assert.deepEqual(await drafts('exReviewRequest', 'Review request'), [
			{
				to: '+13155550175',
				message: `Thank you for your visit, ${visit.client.name}! How was your ${visit.services[0].title} with ${visit.staff.name}? We would love to hear from you: https://example.com/review`,
				appointmentId: visit.id,
				locationId: LOCATION,
			},
		]);
	} catch (error) {
		error.message += `\n--- n8n start output (tail) ---\n${server.output().split('\n').slice(-30).join('\n')}`;
		throw error;
	} finally {
		await server.stop();
	}
});

test('no token appears in anything n8n printed', () => {
	assertNoSecrets(
		ctx.instance,
		ctx.secrets,
		JSON.stringify([fakeOpenAi.requests, listener.requests]),
	);
});
