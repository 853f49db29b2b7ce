/**
 * The Altegio Trigger's webhook methods in n8n-core's real hook and webhook contexts, with the real
 * request helper and credential, against the sandbox: the exact GET and POST to hooks_settings that
 * activation and deactivation send, and what a delivery becomes.
 */
import * as http from 'http';
import type { AddressInfo } from 'net';

import { HookContext, WebhookContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeType,
	INodeTypes,
	IWebhookData,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { AltegioTrigger } from '../../nodes/AltegioTrigger/AltegioTrigger.node';
import type { CredentialStore } from '../helpers/engine';
import { runAltegio } from '../helpers/engine';
import { sandboxCredentials, useSandbox } from '../helpers/sandbox';

const LOCATION = 38726;
const WEBHOOK_ID = '4f1c2b9e-0d5a-4c1e-9a7b-altegio-trigger';
const PRODUCTION = `http://localhost:5678/webhook/${WEBHOOK_ID}/webhook`;
const TEST = `http://localhost:5678/webhook-test/${WEBHOOK_ID}/webhook`;
const FOREIGN = 'https://crm.example/altegio-hooks';
const trigger = new AltegioTrigger();
const nodeTypes = {
	getByName: () => trigger,
	getByNameAndVersion: () => trigger,
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

const sandbox = useSandbox({ rateLimit: false });

/** Which workflow the trigger is in, and the n8n address it is served at. */
interface Identity {
	workflowId?: string;
	webhookId?: string;
	n8nUrl?: string;
}

function setup(
	parameters: IDataObject = {},
	staticData: IDataObject = {},
	{
		workflowId = 'wf-trigger',
		webhookId = WEBHOOK_ID,
		n8nUrl = 'http://localhost:5678',
	}: Identity = {},
) {
	const credentials = sandboxCredentials(sandbox());
	const node: INode = {
		id: 'trigger-node',
		name: 'Altegio Trigger',
		type: 'n8n-nodes-altegio.altegioTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId,
		parameters: {
			locationId: { __rl: true, mode: 'id', value: String(LOCATION) },
			events: ['appointment'],
			...parameters,
		} as INode['parameters'],
		credentials: { altegioApi: { id: 'cred-1', name: 'Altegio sandbox' } },
	};
	const additionalData = (request?: unknown, response?: unknown) =>
		({
			credentialsHelper: credentials as CredentialStore,
			webhookBaseUrl: `${n8nUrl}/webhook`,
			webhookTestBaseUrl: `${n8nUrl}/webhook-test`,
			restApiUrl: `${n8nUrl}/rest`,
			variables: {},
			httpRequest: request,
			httpResponse: response,
		}) as unknown as IWorkflowExecuteAdditionalData;
	/** A fresh workflow object each time, as n8n builds one per activation, sharing the static data. */
	const workflow = () =>
		new Workflow({
			id: workflowId,
			nodes: [node],
			connections: {},
			nodeTypes,
			active: true,
			staticData,
		});
	const webhookData = (isTest = false) =>
		({
			httpMethod: 'POST',
			node: node.name,
			path: `${webhookId}/webhook`,
			webhookDescription: trigger.description.webhooks![0],
			workflowId,
			isTest,
		}) as unknown as IWebhookData;
	const methods = (trigger.webhookMethods as Required<INodeType>['webhookMethods']).default!;
	const hook = async (
		method: 'checkExists' | 'create' | 'delete',
		{ isTest = false, activation = 'activate' as WorkflowActivateMode } = {},
	) => {
		const context = new HookContext(
			workflow(),
			node,
			additionalData(),
			isTest ? 'manual' : 'trigger',
			activation,
			webhookData(isTest),
		);
		return await methods[method].call(context);
	};
	/** What n8n does on activation: create only when checkExists says the webhook is not there. */
	const activate = async (options = {}) => {
		if (!(await hook('checkExists', options))) await hook('create', options);
	};
	const deliver = async (body: unknown, query: IDataObject, isTest = false) => {
		const response = {
			statusCode: 200,
			body: undefined as unknown,
			status(code: number) {
				this.statusCode = code;
				return this;
			},
			json(value: unknown) {
				this.body = value;
				return this;
			},
		};
		const context = new WebhookContext(
			workflow(),
			node,
			additionalData({ body, query, headers: {}, params: {} }, response),
			isTest ? 'manual' : 'webhook',
			webhookData(isTest),
			[],
			null,
		);
		const result = await trigger.webhook!.call(context);
		return { result, response: { status: response.statusCode, body: response.body } };
	};
	return { staticData, activate, hook, deliver, credentials };
}

const settingsRequests = () =>
	sandbox()
		.requests.filter((r) => r.path.startsWith('/api/v1/hooks_settings/'))
		.map((r) => ({ method: r.method, path: r.path, body: r.body, status: r.status }));

async function presetSettings(body: IDataObject) {
	const sb = sandbox();
	const res = await fetch(`${sb.apiUrl}/hooks_settings/${LOCATION}`, {
		method: 'POST',
		headers: {
			Authorization: `Bearer ${sb.seed.partnerToken}, User ${sb.seed.userToken}`,
			'Content-Type': 'application/json',
		},
		body: JSON.stringify(body),
	});
	expect(res.status).toBe(201);
	sb.clearRequests();
}

const flagsOff = {
	salon: 0,
	service_category: 0,
	service: 0,
	good: 0,
	master: 0,
	client: 0,
	record: 0,
	goods_operations_sale: 0,
	goods_operations_receipt: 0,
	goods_operations_consumable: 0,
	goods_operations_stolen: 0,
	goods_operations_move: 0,
	finances_operation: 0,
	schedule: 0,
	loyalty_card: 0,
	self_sending: 0,
};

describe('Altegio Trigger registration (hooks_settings)', () => {
	test('activation reads the settings, then writes them back with its URL and flags added', async () => {
		await presetSettings({ urls: [FOREIGN], active: 1, client: 1, finances_operation: 1 });
		const { activate, staticData } = setup({ events: ['appointment', 'client'] });
		await activate();

		const state = staticData['node:Altegio Trigger'] as IDataObject;
		expect(state.secret).toMatch(/^[0-9a-f]{48}$/);
		const ours = `${PRODUCTION}?secret=${state.secret}`;
		expect(state.url).toBe(ours);
		const path = `/api/v1/hooks_settings/${LOCATION}`;
		// checkExists asks nothing while the workflow's static data holds no registration yet.
		expect(settingsRequests()).toEqual([
			{ method: 'GET', path, body: undefined, status: 200 },
			{
				method: 'POST',
				path,
				status: 201,
				body: {
					...flagsOff,
					urls: [FOREIGN, ours],
					active: 1,
					client: 1,
					finances_operation: 1,
					record: 1,
				},
			},
		]);
	});

	test('checkExists is true once registered, and activating again after a restart adds no copy', async () => {
		await presetSettings({ urls: [FOREIGN], active: 1, client: 1 });
		const { activate, hook, staticData } = setup();
		expect(await hook('checkExists')).toBe(false);
		await activate();
		sandbox().clearRequests();

		expect(await hook('checkExists', { activation: 'init' })).toBe(true);
		await activate({ activation: 'init' });
		expect(settingsRequests().map((r) => r.method)).toEqual(['GET', 'GET']);
		const state = staticData['node:Altegio Trigger'] as IDataObject;
		expect(sandbox().modules.webhooks.settings(LOCATION).urls).toEqual([FOREIGN, state.url]);
	});

	test('checkExists is false when someone turned a needed flag off; create turns it on again, same URL', async () => {
		const { activate, hook, staticData } = setup();
		await activate();
		const { url } = staticData['node:Altegio Trigger'] as IDataObject;
		await presetSettings({ urls: [url, FOREIGN], active: 1, record: 0, self_sending: 1 });
		expect(await hook('checkExists')).toBe(false);
		await activate();
		expect(sandbox().modules.webhooks.settings(LOCATION)).toMatchObject({
			urls: [url, FOREIGN],
			record: 1,
		});
	});

	test('with 10 URLs present, activation fails, says so and what to do, and writes nothing', async () => {
		const ten = Array.from({ length: 10 }, (_, i) => `https://other.example/${i}`);
		await presetSettings({ urls: ten, active: 1, record: 1 });
		const { activate, staticData } = setup();
		await expect(activate()).rejects.toMatchObject({
			message: `Location ${LOCATION} already has 10 webhook addresses, the most Altegio allows (10)`,
			description: expect.stringContaining('Remove an address you no longer use in Altegio'),
		});
		expect(settingsRequests().map((r) => r.method)).toEqual(['GET']);
		expect(staticData['node:Altegio Trigger']).toEqual({});
	});

	test('deactivation removes only its URL and turns no flag off', async () => {
		await presetSettings({ urls: [FOREIGN], active: 1, client: 1 });
		const { activate, hook, staticData } = setup();
		await activate();
		sandbox().clearRequests();
		await hook('delete', { activation: 'update' as WorkflowActivateMode });
		expect(settingsRequests()).toEqual([
			expect.objectContaining({ method: 'GET' }),
			{
				method: 'POST',
				path: `/api/v1/hooks_settings/${LOCATION}`,
				status: 201,
				body: { ...flagsOff, urls: [FOREIGN], active: 1, client: 1, record: 1 },
			},
		]);
		expect(staticData['node:Altegio Trigger']).toEqual({});
	});

	test('as the last URL, deactivation switches sending off instead of sending an empty list', async () => {
		const { activate, hook, staticData } = setup();
		await activate();
		const { url } = staticData['node:Altegio Trigger'] as IDataObject;
		sandbox().clearRequests();
		await hook('delete');
		expect(settingsRequests()[1]).toMatchObject({
			method: 'POST',
			status: 201,
			body: { ...flagsOff, urls: [url], active: 0, record: 1 },
		});
		expect(await hook('checkExists')).toBe(false);
	});

	test('the test URL registers beside the production URL and unregisters the same way', async () => {
		const production = setup();
		await production.activate();
		const productionUrl = (production.staticData['node:Altegio Trigger'] as IDataObject).url;
		// n8n gives a test registration its own, initially empty, static data.
		const editor = setup({}, {});
		await editor.activate({ isTest: true });
		const testUrl = (editor.staticData['node:Altegio Trigger'] as IDataObject).url as string;
		expect(testUrl.startsWith(`${TEST}?secret=`)).toBe(true);
		expect(sandbox().modules.webhooks.settings(LOCATION).urls).toEqual([productionUrl, testUrl]);
		await editor.hook('delete', { isTest: true });
		expect(sandbox().modules.webhooks.settings(LOCATION).urls).toEqual([productionUrl]);
	});

	test('when Altegio cannot be asked, deactivation fails and keeps the secret for the next try', async () => {
		const { activate, hook, staticData } = setup();
		await activate();
		const state = { ...(staticData['node:Altegio Trigger'] as IDataObject) };
		sandbox().injectFaults({
			mode: 'status',
			status: 403,
			match: { path: '/hooks_settings/' },
			body: { success: false, data: null, meta: { message: 'Access denied.' } },
		});
		await expect(hook('delete')).rejects.toMatchObject({ message: 'Access denied.' });
		expect(staticData['node:Altegio Trigger']).toEqual(state);
		await hook('delete');
		expect(staticData['node:Altegio Trigger']).toEqual({});
		expect(sandbox().modules.webhooks.settings(LOCATION).active).toBe(0);
	});

	test('a 403 from the API fails activation with the API`s message', async () => {
		sandbox().injectFaults({
			mode: 'status',
			status: 403,
			match: { path: '/hooks_settings/' },
			body: { success: false, data: null, meta: { message: 'Access denied.' } },
		});
		const { activate } = setup();
		await expect(activate()).rejects.toMatchObject({ message: 'Access denied.' });
	});
});

const posts = () => settingsRequests().filter((r) => r.method === 'POST');
const stateOf = (staticData: IDataObject) => staticData['node:Altegio Trigger'] as IDataObject;

describe('Altegio Trigger and self_sending (Include Own Changes)', () => {
	test('activation leaves self_sending off by default and switches it on with the option', async () => {
		await presetSettings({ urls: [FOREIGN], active: 1, client: 1 });
		const plain = setup();
		await plain.activate();
		const ours = stateOf(plain.staticData).url;
		expect(posts().map((r) => r.body)).toEqual([
			{ ...flagsOff, urls: [FOREIGN, ours], active: 1, client: 1, record: 1 },
		]);
		await plain.hook('delete');

		sandbox().clearRequests();
		const own = setup({ options: { includeOwnChanges: true } });
		await own.activate();
		const again = stateOf(own.staticData).url;
		expect(posts().map((r) => r.body)).toEqual([
			{ ...flagsOff, urls: [FOREIGN, again], active: 1, client: 1, record: 1, self_sending: 1 },
		]);
		// Switched on by this trigger: a restart finds it registered and writes nothing.
		sandbox().clearRequests();
		await own.activate({ activation: 'init' });
		expect(settingsRequests().map((r) => r.method)).toEqual(['GET']);
	});

	test('self_sending switched on by another app stays on, and the trigger does not count on it', async () => {
		await presetSettings({ urls: [FOREIGN], active: 1, self_sending: 1 });
		const { activate, hook } = setup();
		await activate();
		expect(posts()[0].body).toMatchObject({ urls: [FOREIGN, expect.any(String)], self_sending: 1 });
		await hook('delete');
		expect(sandbox().modules.webhooks.settings(LOCATION)).toMatchObject({
			urls: [FOREIGN],
			self_sending: 1,
		});
	});
});

describe('Altegio Trigger on backends that show fewer settings', () => {
	test('an older backend: the POST holds only the flags its GET showed, plus those turned on', async () => {
		await presetSettings({ urls: [FOREIGN], active: 1, good: 1, schedule: 1, self_sending: 1 });
		sandbox().modules.webhooks.config.shape = 'older';
		const { activate, staticData } = setup({ events: ['appointment', 'loyaltyCard'] });
		await activate();

		const { good, schedule, self_sending, ...shown } = flagsOff;
		expect([good, schedule, self_sending]).toEqual([0, 0, 0]);
		expect(posts().map((r) => r.body)).toEqual([
			{
				...shown,
				urls: [FOREIGN, stateOf(staticData).url],
				active: 1,
				record: 1,
				loyalty_card: 1,
			},
		]);
		// What the GET hid was not written, so another app's events stay on.
		expect(sandbox().modules.webhooks.settings(LOCATION)).toMatchObject({
			good: 1,
			schedule: 1,
			self_sending: 1,
		});
	});

	test('YCLIENTS: with Include Own Changes the flag its GET never shows is sent once, to turn it on', async () => {
		sandbox().modules.webhooks.config.shape = 'yclients';
		const { activate, staticData } = setup({ options: { includeOwnChanges: true } });
		await activate();
		const { schedule, loyalty_card, self_sending, ...shown } = flagsOff;
		expect([schedule, loyalty_card, self_sending]).toEqual([0, 0, 0]);
		expect(posts().map((r) => r.body)).toEqual([
			{ ...shown, urls: [stateOf(staticData).url], active: 1, record: 1, self_sending: 1 },
		]);
		sandbox().clearRequests();
		await activate({ activation: 'init' });
		expect(settingsRequests().map((r) => r.method)).toEqual(['GET']);
	});

	test('YCLIENTS: restarting twice writes nothing, since nothing would change', async () => {
		await presetSettings({ urls: [FOREIGN], active: 1, client: 1 });
		sandbox().modules.webhooks.config.shape = 'yclients';
		const { activate, staticData } = setup();
		await activate();
		const { schedule, loyalty_card, self_sending, ...shown } = flagsOff;
		expect([schedule, loyalty_card, self_sending]).toEqual([0, 0, 0]);
		expect(posts().map((r) => r.body)).toEqual([
			{ ...shown, urls: [FOREIGN, stateOf(staticData).url], active: 1, client: 1, record: 1 },
		]);

		sandbox().clearRequests();
		await activate({ activation: 'init' });
		await activate({ activation: 'init' });
		expect(settingsRequests().map((r) => r.method)).toEqual(['GET', 'GET']);
	});

	test('create writes nothing when its URL and flags are already there', async () => {
		const { activate, hook, staticData } = setup();
		await activate();
		sandbox().clearRequests();
		// n8n calls create when checkExists is false; here it is called as if the check had failed.
		await hook('create');
		expect(settingsRequests().map((r) => r.method)).toEqual(['GET']);
		expect(sandbox().modules.webhooks.settings(LOCATION).urls).toEqual([stateOf(staticData).url]);
	});
});

describe('Altegio Trigger in a copied workflow', () => {
	test('the copy registers its own URL and never removes the original`s, though it holds its static data', async () => {
		const original = setup();
		await original.activate();
		const originalUrl = stateOf(original.staticData).url as string;

		// A copy or an import carries the original's static data, with a new workflow and webhook id.
		const copy = setup({}, JSON.parse(JSON.stringify(original.staticData)) as IDataObject, {
			workflowId: 'wf-trigger-copy',
			webhookId: '9d2e7c41-5b1f-4f0a-8c3e-altegio-copy',
		});
		expect(await copy.hook('checkExists')).toBe(false);
		await copy.activate();
		const copyState = stateOf(copy.staticData);
		expect(copyState.url).toMatch(
			/\/webhook\/9d2e7c41-5b1f-4f0a-8c3e-altegio-copy\/webhook\?secret=/,
		);
		expect(copyState.secret).not.toBe(stateOf(original.staticData).secret);
		expect(sandbox().modules.webhooks.settings(LOCATION).urls).toEqual([
			originalUrl,
			copyState.url,
		]);

		await copy.hook('delete');
		expect(sandbox().modules.webhooks.settings(LOCATION).urls).toEqual([originalUrl]);
		expect(await original.hook('checkExists')).toBe(true);
	});
});

describe('Altegio Trigger deliveries', () => {
	const envelope = (data: IDataObject, status = 'create') => ({
		company_id: LOCATION,
		resource: 'record',
		resource_id: 77,
		status,
		data,
	});

	test('a delivery with the secret becomes one item; without it, it is refused and starts nothing', async () => {
		const { activate, deliver, staticData } = setup();
		await activate();
		const { secret } = staticData['node:Altegio Trigger'] as IDataObject;
		const data = { id: 77, attendance: 0, last_change_date: '2026-01-16T20:35:15-0500' };

		const refused = await deliver(envelope(data), {});
		expect(refused).toEqual({
			result: { noWebhookResponse: true },
			response: {
				status: 403,
				body: { message: 'This address accepts only deliveries with its secret' },
			},
		});
		expect((await deliver(envelope(data), { secret: 'guess' })).response.status).toBe(403);

		const accepted = await deliver(envelope(data), { secret });
		expect(accepted.result.workflowData).toEqual([
			[
				{
					json: {
						resource: 'appointment',
						status: 'create',
						resourceId: 77,
						locationId: LOCATION,
						data,
						receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
					},
				},
			],
		]);
		const repeated = await deliver(envelope(data), { secret });
		expect(repeated.result).toEqual({
			webhookResponse: { message: 'Received; a repeated delivery' },
		});

		// The test URL gets its own copy of each delivery: it is not a repeat of the production one.
		const editor = setup({}, {});
		await editor.activate({ isTest: true });
		const testSecret = (editor.staticData['node:Altegio Trigger'] as IDataObject).secret;
		const copy = await editor.deliver(envelope(data), { secret: testSecret }, true);
		expect(copy.result.workflowData).toHaveLength(1);
	});

	test('a body that is not a delivery gets a 400 that names the problem, not the body', async () => {
		const { activate, deliver, staticData } = setup();
		await activate();
		const { secret } = staticData['node:Altegio Trigger'] as IDataObject;
		expect(await deliver('{"company_id": 38726, "phone": "+1315', { secret })).toEqual({
			result: { noWebhookResponse: true },
			response: {
				status: 400,
				body: { message: 'This is not an Altegio webhook delivery: the body is not a JSON object' },
			},
		});
		const partial = await deliver({ company_id: LOCATION, resource: 'record' }, { secret });
		expect(partial.response.status).toBe(400);
	});

	test('only the chosen events, statuses and location start a run', async () => {
		const { activate, deliver, staticData } = setup({
			events: ['appointment'],
			statuses: ['create', 'delete'],
			options: { ignoreAttendanceUpdates: true },
		});
		await activate();
		const { secret } = staticData['node:Altegio Trigger'] as IDataObject;
		const ignored = {
			webhookResponse: { message: 'Received; not an event this trigger listens to' },
		};
		const run = async (body: IDataObject) => (await deliver(body, { secret })).result;

		expect(await run({ ...envelope({ id: 1 }), resource: 'client' })).toEqual(ignored);
		expect(await run(envelope({ id: 2 }, 'update'))).toEqual(ignored);
		expect(await run({ ...envelope({ id: 3 }), company_id: 39287 })).toEqual(ignored);
		expect((await run(envelope({ id: 4 }, 'delete'))).workflowData).toHaveLength(1);
	});

	test('ignoreAttendanceUpdates drops an update that marks a visit arrived', async () => {
		const { activate, deliver, staticData } = setup({ options: { ignoreAttendanceUpdates: true } });
		await activate();
		const { secret } = staticData['node:Altegio Trigger'] as IDataObject;
		const arrived = await deliver(envelope({ id: 5, attendance: 1 }, 'update'), { secret });
		expect(arrived.result.workflowData).toBeUndefined();
		const moved = await deliver(envelope({ id: 5, attendance: 0, datetime: 'x' }, 'update'), {
			secret,
		});
		expect(moved.result.workflowData).toHaveLength(1);
	});
});

describe('Altegio Trigger dedupe', () => {
	const update = (data: IDataObject) => ({
		company_id: LOCATION,
		resource: 'record',
		resource_id: 77,
		status: 'update',
		data,
	});

	test('two updates of one appointment in the same second both start a run; an identical retry does not', async () => {
		const { activate, deliver, staticData } = setup();
		await activate();
		const { secret } = stateOf(staticData);
		const stamp = '2026-01-16T20:35:15-0500';
		const waiting = update({ id: 77, attendance: 0, last_change_date: stamp });
		const noShow = update({ id: 77, attendance: 2, last_change_date: stamp });

		expect((await deliver(waiting, { secret })).result.workflowData).toHaveLength(1);
		expect((await deliver(noShow, { secret })).result.workflowData).toHaveLength(1);
		const retry = JSON.parse(JSON.stringify(noShow)) as IDataObject;
		expect((await deliver(retry, { secret })).result).toEqual({
			webhookResponse: { message: 'Received; a repeated delivery' },
		});
	});
});

describe('Altegio Trigger → Altegio Appointment Update (a workflow that changes what triggered it)', () => {
	const APPOINTMENT = 61000002;

	/**
	 * A stand-in for n8n's webhook server: each delivery of the sandbox goes to the trigger's webhook
	 * method, and each item it emits runs an Altegio node that updates the appointment with the
	 * credential's partner token. Only the first `updates` executions update, so a loop stays finite.
	 */
	async function workflow(workflowId: string, options: IDataObject, updates: number) {
		const executions: IDataObject[] = [];
		const running = new Set<Promise<unknown>>();
		let trigger: ReturnType<typeof setup> | undefined;
		const server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on('data', (chunk: Buffer) => chunks.push(chunk));
			req.on('end', () => {
				const url = new URL(req.url ?? '/', 'http://localhost');
				const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as IDataObject;
				const query = Object.fromEntries(url.searchParams) as IDataObject;
				const handled = trigger!.deliver(body, query).then(async ({ result, response }) => {
					res.writeHead(response.status).end();
					const item = result.workflowData?.[0]?.[0]?.json as IDataObject | undefined;
					if (item === undefined) return;
					executions.push(item);
					if (executions.length > updates) return;
					const run = await runAltegio({
						parameters: {
							resource: 'appointment',
							operation: 'update',
							locationId: { __rl: true, mode: 'id', value: String(LOCATION) },
							appointmentId: '={{ $json.resourceId }}',
							updateFields: { comment: `Seen by n8n (run ${executions.length})` },
						},
						items: [item],
						credentials: trigger!.credentials,
					});
					expect(run.status).toBe('success');
				});
				running.add(handled);
				void handled.finally(() => running.delete(handled));
			});
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const n8nUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
		// Its own workflow id: the trigger remembers deliveries per workflow, in this process.
		trigger = setup({ options }, {}, { n8nUrl, workflowId });
		await trigger.activate();
		const hooks = sandbox().modules.webhooks;
		hooks.config.delayMs = 10;
		/** Waits until no delivery and no execution is left, including those they caused. */
		const settle = async () => {
			for (;;) {
				await hooks.whenIdle();
				if (running.size === 0) return;
				await Promise.all([...running]);
			}
		};
		const close = async () => await new Promise((resolve) => server.close(resolve));
		return { executions, settle, close };
	}

	const staffChange = () =>
		sandbox().events.emit('change', {
			locationId: LOCATION,
			resource: 'record',
			resourceId: APPOINTMENT,
			status: 'update',
			data: { id: APPOINTMENT, comment: 'Moved by the front desk' },
			own: false,
		});

	test('by default, a change by staff starts one execution, and its own update starts none', async () => {
		const { executions, settle, close } = await workflow('wf-loop-off', {}, 2);
		try {
			staffChange();
			await settle();
			expect(executions.map((item) => (item.data as IDataObject).comment)).toEqual([
				'Moved by the front desk',
			]);
			// The execution did update the appointment; Altegio did not report that back.
			expect(sandbox().modules.webhooks.deliveries).toHaveLength(1);
		} finally {
			await close();
		}
	});

	test('with Include Own Changes, its own update starts it again', async () => {
		const { executions, settle, close } = await workflow(
			'wf-loop-on',
			{ includeOwnChanges: true },
			2,
		);
		try {
			staffChange();
			await settle();
			expect(executions.map((item) => (item.data as IDataObject).comment)).toEqual([
				'Moved by the front desk',
				'Seen by n8n (run 1)',
				'Seen by n8n (run 2)',
			]);
		} finally {
			await close();
		}
	});
});
