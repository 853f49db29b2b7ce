/**
 * The Altegio Trigger's webhook methods in n8n-core's real hook and webhook contexts, with the real
 * request helper and credential, against the sandbox: the exact GET and POST to hooks_settings that
 * activation and deactivation send, and what a delivery becomes.
 */
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

function setup(parameters: IDataObject = {}, staticData: IDataObject = {}) {
	const credentials = sandboxCredentials(sandbox());
	const node: INode = {
		id: 'trigger-node',
		name: 'Altegio Trigger',
		type: 'n8n-nodes-altegio.altegioTrigger',
		typeVersion: 1,
		position: [0, 0],
		webhookId: WEBHOOK_ID,
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
			webhookBaseUrl: 'http://localhost:5678/webhook',
			webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
			restApiUrl: 'http://localhost:5678/rest',
			variables: {},
			httpRequest: request,
			httpResponse: response,
		}) as unknown as IWorkflowExecuteAdditionalData;
	/** A fresh workflow object each time, as n8n builds one per activation, sharing the static data. */
	const workflow = () =>
		new Workflow({
			id: 'wf-trigger',
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
			path: `${WEBHOOK_ID}/webhook`,
			webhookDescription: trigger.description.webhooks![0],
			workflowId: 'wf-trigger',
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
	return { staticData, activate, hook, deliver };
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
					self_sending: 1,
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
			urls: [FOREIGN, url],
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
				body: { ...flagsOff, urls: [FOREIGN], active: 1, client: 1, record: 1, self_sending: 1 },
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
			body: { urls: [url], active: 0, record: 1, self_sending: 1 },
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
