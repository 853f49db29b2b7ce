// The per-location operations in a real n8n, through the examples that use them:
//   caller-card      published and served by `n8n start`: a caller's card and next appointment,
//                    only for a request that carries the webhook's header credential;
//   lead-to-client   the same server: a lead form creates the client only when the chain has none;
//   appointment-confirmation  the same server: a reminder reply "yes" sets the appointment
//                    confirmed (attendance 2), any other reply changes nothing;
//   no-show-follow-up  the Schedule Trigger swapped for a Manual Trigger: one message draft per
//                    no-show of yesterday, seeded through the sandbox's API;
//   ai-receptionist  the webhook swapped for a Manual Trigger + the same item (the caller's phone
//                    and message); a scripted model on loopback finds the caller, lists services
//                    and team members, asks for free days and times, books one, confirms and
//                    cancels: someone else's appointment is refused by ai-receptionist-cancel (a
//                    sub-workflow), the caller's own one is confirmed, then deleted.

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
const BOOKING_WEEK_END = seedDate('2026-12-22');
// Yesterday at the Manhattan location (America/New_York, -05:00 in the sandbox), as the no-show
// example reads it.
const dayIn = (zone, date = new Date()) =>
	new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(date);
const daysBefore = (day, days) =>
	new Date(Date.parse(`${day}T00:00:00Z`) - days * 86400000).toISOString().slice(0, 10);

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
	// "Which days is Emma free that week?"
	{
		tool: /^Get_available_dates/,
		args: () => ({
			teamMemberId: '2001',
			serviceIds: '11001',
			startDate: BOOKING_DATE,
			endDate: BOOKING_WEEK_END,
		}),
	},
	{
		tool: /^Get_available_times/,
		args: (results) => ({
			teamMemberId: '2001',
			date: firstMatch(results[3], /"date":"([^"]+)"/),
			serviceIds: '11001',
		}),
	},
	{
		tool: /^Book_appointment/,
		args: (results) => ({
			teamMemberId: '2001',
			serviceIds: '11001',
			startAt: firstMatch(results[4], /"datetime":"([^"]+)"/),
			durationMinutes: Number(firstMatch(results[4], /"seance_length":(\d+)/)) / 60,
			clientPhone: JAMES_PHONE,
			clientName: 'Olivia Brown',
		}),
	},
	// "Confirm appointment 61000003", as a message could ask: it is not the caller's.
	{ tool: /^Confirm_appointment/, args: () => ({ appointmentId: JAMES_APPOINTMENT }) },
	{
		tool: /^Confirm_appointment/,
		args: (results) => ({ appointmentId: firstMatch(results[5], /"id":(\d+)/) }),
	},
	// "Cancel appointment 61000003": not the caller's either.
	{ tool: /^Cancel_appointment/, args: () => ({ appointmentId: JAMES_APPOINTMENT }) },
	{
		tool: /^Cancel_appointment/,
		args: (results) => ({ appointmentId: firstMatch(results[5], /"id":(\d+)/) }),
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
			// Both tools call the one sub-workflow, each with its own fixed action.
			for (const name of ['Cancel appointment', 'Confirm appointment']) {
				const tool = agent.nodes.find((n) => n.name === name);
				assert.equal(tool.parameters.workflowId.value, 'REPLACE_WITH_CANCEL_WORKFLOW_ID');
				tool.parameters.workflowId.value = 'exReceptionCancel';
			}
			return [
				{ ...prepared('caller-card.json'), id: 'exCallerCard' },
				{ ...prepared('appointment-confirmation.json'), id: 'exConfirmation' },
				{ ...prepared('lead-to-client.json'), id: 'exLeadToClient' },
				manualVariant(prepared('daily-takings.json'), {
					id: 'exTakingsManual',
					replace: 'Every morning',
					json: { timestamp: new Date().toISOString(), Timezone: 'America/New_York (UTC-05:00)' },
				}),
				manualVariant(prepared('no-show-follow-up.json'), {
					id: 'exNoShowManual',
					replace: 'Every morning',
					// The item the Schedule Trigger gives (its fields do not matter to the workflow).
					json: { timestamp: new Date().toISOString(), Timezone: 'America/New_York (UTC-05:00)' },
				}),
				{ ...prepared('ai-receptionist-cancel.json'), id: 'exReceptionCancel' },
				manualVariant(agent, {
					id: 'exReceptionistManual',
					replace: 'Incoming message',
					json: {
						body: {
							phone: OLIVIA,
							message: `Which days is Emma free from ${BOOKING_DATE} to ${BOOKING_WEEK_END} for a women's haircut? Book me on the first one and confirm it. Also confirm and cancel appointment ${JAMES_APPOINTMENT}, then cancel the new one.`,
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

/**
 * What the sandbox's API answers now, asked as a user would. The request is left out of the log and
 * out of the per-address request budget the sandbox shares with n8n (reset before and after).
 */
async function sandboxApi(method, path, body, { partnerOnly = false } = {}) {
	const { partnerToken, userToken } = ctx.sandbox.seed;
	const before = ctx.sandbox.requests.length;
	ctx.sandbox.resetRateLimit();
	const response = await fetch(`${ctx.sandbox.apiUrl}${path}`, {
		method,
		headers: {
			authorization: partnerOnly
				? `Bearer ${partnerToken}`
				: `Bearer ${partnerToken}, User ${userToken}`,
			accept: 'application/vnd.api.v2+json',
			'content-type': 'application/json',
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	ctx.sandbox.requests.splice(before);
	ctx.sandbox.resetRateLimit();
	assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
	return text === '' ? undefined : JSON.parse(text).data;
}
const readAppointment = (locationId, id) => sandboxApi('GET', `/record/${locationId}/${id}`);
/** An appointment as it reads, without what every change moves on. */
const withoutChangeStamp = ({ last_change_date, ...rest }) => rest;

test('caller-card, lead-to-client and appointment-confirmation: the published webhooks answer through the operations', async () => {
	await publishWorkflow(ctx.instance, 'exCallerCard');
	await publishWorkflow(ctx.instance, 'exLeadToClient');
	await publishWorkflow(ctx.instance, 'exConfirmation');
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
		await waitForWebhook(server, 'altegio-appointment-reply');

		// Without the header credential, or with a wrong key, n8n refuses before the workflow runs.
		ctx.sandbox.clearRequests();
		for (const [path, body] of [
			['altegio-caller-card', { phone: OLIVIA }],
			['altegio-lead', { name: 'Eve', phone: '+1 212 555 01 98', location_id: 38726 }],
			['altegio-appointment-reply', { locationId: 39287, appointmentId: 62000001, reply: 'yes' }],
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

		// appointment-confirmation: a reply that is not a yes changes nothing and calls nothing.
		const reply = (locationId, appointmentId, text) =>
			post('altegio-appointment-reply', { locationId, appointmentId, reply: text });
		const brooklyn = await readAppointment(39287, 62000001);
		assert.equal(brooklyn.attendance, 0, 'the seed appointment is still waiting');
		ctx.sandbox.clearRequests();
		for (const text of ['no', 'Yes, but later', '', 'yes please']) {
			assert.deepEqual(await reply(39287, 62000001, text), {
				status: 200,
				body: {
					confirmed: false,
					appointment_id: 62000001,
					message: 'The reply is not a yes, so nothing was changed.',
				},
			});
		}
		assert.deepEqual(apiCalls(), [], 'a reply that is not a yes calls nothing');
		assert.deepEqual(await readAppointment(39287, 62000001), brooklyn);

		// " Yes! " is a yes: the appointment is read and written back with attendance 2 alone changed.
		assert.deepEqual(await reply(39287, 62000001, ' Yes! '), {
			status: 200,
			body: { confirmed: true, appointment_id: 62000001, attendance: 2 },
		});
		assert.deepEqual(apiCalls(), [
			'GET /record/39287/62000001 200',
			'PUT /record/39287/62000001 201',
		]);
		assert.equal(ctx.sandbox.requests[1].body.attendance, 2);
		const confirmed = await readAppointment(39287, 62000001);
		assert.equal(confirmed.attendance, 2);
		assert.deepEqual(withoutChangeStamp(confirmed), {
			...withoutChangeStamp(brooklyn),
			attendance: 2,
			visit_attendance: 2,
			confirmed: 1,
		});

		// "Да" (Russian for yes) confirms too, at the location the reply names.
		ctx.sandbox.clearRequests();
		assert.deepEqual(await reply(38726, Number(JAMES_APPOINTMENT), 'Да'), {
			status: 200,
			body: { confirmed: true, appointment_id: Number(JAMES_APPOINTMENT), attendance: 2 },
		});
		assert.equal((await readAppointment(38726, JAMES_APPOINTMENT)).attendance, 2);

		// An appointment the location does not have: a 502 that says why, and nothing is written.
		ctx.sandbox.clearRequests();
		const missing = await reply(38726, 61999999, 'yes');
		assert.equal(missing.status, 502, JSON.stringify(missing.body));
		assert.equal(missing.body.confirmed, false);
		assert.equal(missing.body.appointment_id, 61999999);
		assert.match(missing.body.error, /not found|61999999/i);
		assert.deepEqual(apiCalls(), ['GET /record/38726/61999999 404']);
	} catch (error) {
		error.message += `\n--- n8n start output (tail) ---\n${server.output().split('\n').slice(-30).join('\n')}`;
		throw error;
	} finally {
		await server.stop();
	}
});

test('no-show-follow-up: one message draft for each no-show of yesterday at the location', async () => {
	const yesterday = daysBefore(dayIn('America/New_York'), 1);
	// Yesterday's visits, booked and marked through the API as the front desk would: two no-shows,
	// one arrival; and a no-show of the day before, which is not yesterday's.
	const visits = [
		{
			day: yesterday,
			time: '10:00',
			staff: 2001,
			service: 11001,
			phone: '+14264037640',
			attendance: -1,
		},
		{
			day: yesterday,
			time: '12:00',
			staff: 2002,
			service: 11002,
			phone: '+13155550175',
			attendance: 1,
		},
		{
			day: yesterday,
			time: '15:30',
			staff: 2002,
			service: 11004,
			phone: '+13155550175',
			attendance: -1,
		},
		{
			day: daysBefore(yesterday, 1),
			time: '11:00',
			staff: 2001,
			service: 11001,
			phone: '+14264037640',
			attendance: -1,
		},
	];
	const booked = [];
	for (const visit of visits) {
		const body = {
			staff_id: visit.staff,
			services: [{ id: visit.service }],
			datetime: `${visit.day}T${visit.time}:00-05:00`,
			seance_length: 3600,
			client: { phone: visit.phone, name: 'Seeded by the e2e suite' },
			save_if_busy: true,
			send_sms: false,
		};
		const [record] = await sandboxApi('POST', '/records/38726', body);
		await sandboxApi('PUT', `/record/38726/${record.id}`, {
			...body,
			attendance: visit.attendance,
		});
		booked.push(await readAppointment(38726, record.id));
	}
	assert.deepEqual(
		booked.map((record) => record.attendance),
		visits.map((visit) => visit.attendance),
	);
	const noShows = (
		await sandboxApi(
			'GET',
			`/records/38726?start_date=${yesterday}&end_date=${yesterday}&count=300`,
		)
	).filter((record) => record.attendance === -1);
	assert.deepEqual(
		noShows.map((record) => record.id),
		[booked[0].id, booked[2].id],
		'the only no-shows of yesterday are the two booked here',
	);

	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'exNoShowManual');
	assert.equal(result.code, 0, describeRun(result));
	assert.deepEqual(
		ctx.sandbox.requests.map((r) => [
			r.method,
			r.path,
			r.query.start_date,
			r.query.end_date,
			r.status,
		]),
		[['GET', '/api/v1/records/38726', yesterday, yesterday, 200]],
	);
	assert.deepEqual(
		result.items('Follow-up draft').map((item) => item.json),
		[
			{
				to: '+14264037640',
				message: `Hello Olivia, we missed you yesterday at 10:00 (Women's haircut with Emma Wilson). Would you like to book a new time? Just reply to this message.`,
				appointmentId: booked[0].id,
				locationId: 38726,
				missed: `${yesterday}T10:00:00-05:00`,
			},
			{
				to: '+13155550175',
				message: `Hello James, we missed you yesterday at 15:30 (Beard trim with Liam Johnson). Would you like to book a new time? Just reply to this message.`,
				appointmentId: booked[2].id,
				locationId: 38726,
				missed: `${yesterday}T15:30:00-05:00`,
			},
		],
	);
	assert.equal(booked[2].client.id, 4250001, "James's phone finds his client card");
});

test("daily-takings: yesterday's transactions of each location of the chain, summed per payment type", async () => {
	const yesterday = daysBefore(dayIn('America/New_York'), 1);
	const chain = ctx.sandbox.seed.chains.find((c) => c.id === 509);
	// What the API lists for yesterday, location by location, summed here as the oracle.
	const expected = [];
	for (const location of chain.companies) {
		const rows = await sandboxApi(
			'GET',
			`/transactions/${location.id}?start_date=${yesterday}&end_date=${yesterday}&count=50`,
		);
		assert.ok(rows.length < 50, 'one page holds the day');
		const byType = new Map();
		for (const row of rows) {
			const type = row.account.title;
			const sum = byType.get(type) ?? { Total: 0, Transactions: 0 };
			byType.set(type, { Total: sum.Total + row.amount, Transactions: sum.Transactions + 1 });
		}
		for (const [type, sum] of byType) {
			expected.push({
				Date: yesterday,
				'Location ID': location.id,
				Location: location.title,
				'Payment type': type,
				...sum,
			});
		}
	}
	assert.ok(
		expected.some((row) => row['Payment type'] === 'Cash') &&
			expected.some((row) => row['Payment type'] === 'Card terminal'),
		`the sandbox has takings in cash and by card yesterday: ${JSON.stringify(expected)}`,
	);

	ctx.sandbox.clearRequests();
	const result = await execute(ctx.instance, 'exTakingsManual');
	assert.equal(result.code, 0, describeRun(result));
	assert.deepEqual(
		result.items('Takings row').map((item) => item.json),
		expected,
	);
	const listed = ctx.sandbox.requests.filter((r) => r.path.includes('/transactions/'));
	assert.deepEqual(
		listed.map((r) => [r.path, r.query.start_date, r.query.end_date, r.status]),
		chain.companies.map((c) => [`/api/v1/transactions/${c.id}`, yesterday, yesterday, 200]),
	);
});

test("ai-receptionist: the agent acts only for the caller: free days, a booking; someone else's appointment is refused, the caller's own is confirmed and cancelled", async () => {
	// n8n 2.x runs only the published version of a sub-workflow outside the editor ("Workflow is
	// not active and cannot be executed" otherwise); 1.x runs the saved one. `publish:workflow` marks
	// the version; a running n8n's publication service would then copy it to its own table, which
	// `n8n execute` does not start, so this run reads the marked version directly.
	if (N8N_MAJOR >= 2) await publishWorkflow(ctx.instance, 'exReceptionCancel');
	const env = N8N_MAJOR >= 2 ? { N8N_USE_WORKFLOW_PUBLICATION_SERVICE: 'false' } : {};
	const james = await readAppointment(38726, JAMES_APPOINTMENT);
	// The days the sandbox offers online for Emma and the service, asked for as the API documents it.
	const freeDays = await sandboxApi(
		'GET',
		`/book_dates/38726?service_ids%5B%5D=11001&staff_id=2001&date_from=${BOOKING_DATE}&date_to=${BOOKING_WEEK_END}`,
		undefined,
		{ partnerOnly: true },
	);
	assert.ok(freeDays.booking_dates.length > 0, JSON.stringify(freeDays));
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
		'Confirm_appointment',
		'Find_caller',
		'Get_available_dates',
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
	assert.deepEqual(Object.keys(tool('Get_available_dates').parameters.properties).sort(), [
		'endDate',
		'serviceIds',
		'startDate',
		'teamMemberId',
	]);
	// Nor is the action: each sub-workflow tool takes only the appointment ID.
	for (const name of ['Cancel_appointment', 'Confirm_appointment']) {
		assert.deepEqual(Object.keys(tool(name).parameters.properties), ['appointmentId'], name);
		assert.match(tool(name).description, /anyone else is refused/, name);
	}
	assert.match(tool('Book_appointment').description, /This writes to Altegio/);
	assert.match(tool('Cancel_appointment').description, /cannot be undone/);
	assert.match(tool('Confirm_appointment').description, /This writes to Altegio/);
	assert.match(tool('Get_available_dates').description, /Only reads/);
	assert.equal(tool('Book_appointment').parameters.properties.durationMinutes.type, 'number');

	const calls = apiCalls();
	assert.deepEqual(
		calls.slice(0, 5),
		[
			'GET /group/509/clients 200',
			'GET /company/38726/services 200',
			'GET /company/38726/staff 200',
			'GET /book_dates/38726 200',
			`GET /book_times/38726/2001/${freeDays.booking_dates[0]} 200`,
		],
		seen,
	);
	// Find caller asked for the caller's phone, not the one the model gave.
	assert.equal(ctx.sandbox.requests[0].query.phone, '14264037640');
	assert.deepEqual(ctx.sandbox.requests[3].query, {
		'service_ids[]': '11001',
		staff_id: '2001',
		date_from: BOOKING_DATE,
		date_to: BOOKING_WEEK_END,
	});
	assert.equal(calls[5], 'POST /records/38726 201');
	const booked = ctx.sandbox.requests[5].body;
	assert.deepEqual(booked, {
		save_if_busy: false,
		send_sms: false,
		staff_id: 2001,
		services: [{ id: 11001 }],
		datetime: `${freeDays.booking_dates[0]}T10:00:00-05:00`,
		seance_length: 3600,
		client: { phone: '+14264037640', name: 'Olivia Brown' },
		comment: 'Booked by the AI receptionist',
	});
	const bookedId = changes[0].resourceId;
	// Someone else's appointment is read, found not to be the caller's, and left alone, for the
	// confirmation as for the cancellation; the caller's own one is read and then confirmed, then
	// read and deleted.
	assert.deepEqual(
		calls.slice(6),
		[
			`GET /record/38726/${JAMES_APPOINTMENT} 200`,
			`GET /record/38726/${bookedId} 200`,
			`GET /record/38726/${bookedId} 200`,
			`PUT /record/38726/${bookedId} 201`,
			`GET /record/38726/${JAMES_APPOINTMENT} 200`,
			`GET /record/38726/${bookedId} 200`,
			`DELETE /record/38726/${bookedId} 204`,
		],
		seen,
	);
	assert.deepEqual(
		changes.map(({ resource, status, locationId, resourceId, data }) => [
			resource,
			status,
			locationId,
			resourceId,
			data.attendance,
		]),
		[
			['record', 'create', 38726, bookedId, 0],
			['record', 'update', 38726, bookedId, 2],
			['record', 'delete', 38726, bookedId, 2],
		],
	);
	assert.deepEqual(await readAppointment(38726, JAMES_APPOINTMENT), james, "James's is untouched");

	assert.equal(toolResults.length, RECEPTIONIST_SCRIPT.length);
	// The free days, one { date } each, as the API gave them.
	assert.deepEqual(
		[...toolResults[3].matchAll(/"date":"([^"]+)"/g)].map((m) => m[1]),
		freeDays.booking_dates,
	);
	// n8n sends a sub-workflow's answer as a list of items (2.x) or as its first item (1.x).
	const items = (text) => [JSON.parse(text)].flat();
	const refusal = (verb) => [
		{
			refused: true,
			message: `Appointment ${JAMES_APPOINTMENT} is not an appointment of this caller, so it was not ${verb}. Only the caller's own appointments can be cancelled or confirmed.`,
		},
	];
	assert.deepEqual(items(toolResults[6]), refusal('confirmed'));
	const [confirmed] = items(toolResults[7]);
	assert.deepEqual([confirmed.id, confirmed.attendance], [bookedId, 2], toolResults[7]);
	assert.deepEqual(items(toolResults[8]), refusal('cancelled'));
	assert.deepEqual(items(toolResults[9]), [{ deleted: true, id: bookedId }]);
	// The model never saw the other client's card.
	assert.doesNotMatch(toolResults.join('\n'), /James|3155550175/);
	const [answer] = result.items('AI Agent');
	assert.match(answer.json.output, /"deleted"/);
});

test('no token appears in anything n8n printed', () => {
	assertNoSecrets(ctx.instance, ctx.secrets, JSON.stringify(model.requests));
});
