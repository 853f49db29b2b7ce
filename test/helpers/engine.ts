/**
 * Runs the Altegio node inside n8n's real execution engine (n8n-core's WorkflowExecute), with the
 * real credential class: its `authenticate` and `preAuthentication` are called the way n8n's
 * credentials helper calls them.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRequestOptionsSimplified,
	IRun,
	IWorkflowExecuteAdditionalData,
	OnError,
} from 'n8n-workflow';
import {
	createRunExecutionData,
	ICredentialsHelper,
	NodeConnectionTypes,
	NodeHelpers,
	Workflow,
} from 'n8n-workflow';

import { AltegioApi } from '../../credentials/AltegioApi.credentials';
import { Altegio } from '../../nodes/Altegio/Altegio.node';
import { optionsDescription } from '../../nodes/Altegio/actions/options';
import { createApi } from '../../nodes/Altegio/transport';

const ITEMS_NODE = 'Items';
export const ALTEGIO_NODE = 'Altegio';

/** Emits the items given in its `items` parameter, like a Code node that returns fixed data. */
class ItemsNode implements INodeType {
	description = {
		displayName: 'Items',
		name: 'items',
		group: ['input' as const],
		version: 1,
		description: 'Emits test items',
		defaults: { name: 'Items' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json' as const, default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = JSON.parse(this.getNodeParameter('items', 0) as string) as IDataObject[];
		return [items.map((json) => ({ json }))];
	}
}

/**
 * Sends the request in its `request` parameter through the node's API client for every item:
 * how requests the operations do not make yet (writes) behave in the engine.
 */
class ApiRequestNode implements INodeType {
	description = {
		...new Altegio().description,
		name: 'apiRequest',
		properties: [
			{ displayName: 'Request', name: 'request', type: 'json' as const, default: '{}' },
			optionsDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const api = createApi(this);
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			const request = JSON.parse(this.getNodeParameter('request', itemIndex) as string);
			const data = await api.request({ ...request, itemIndex });
			output.push({ json: data as IDataObject, pairedItem: { item: itemIndex } });
		}
		return [output];
	}
}

const nodeTypes: INodeTypes = {
	getByName: (type) => types[type],
	getByNameAndVersion: (type) => types[type],
	getKnownTypes: () => ({}),
} as INodeTypes;
const types: Record<string, INodeType> = {
	'test.items': new ItemsNode(),
	'n8n-nodes-altegio.altegio': new Altegio(),
	'test.apiRequest': new ApiRequestNode(),
};

/** Stores credential data the way n8n's database would, including what preAuthentication saves. */
export class CredentialStore extends ICredentialsHelper {
	readonly credentialType: ICredentialType = new AltegioApi();

	/** How often `preAuthentication` ran, and with `credentialsExpired` set. */
	readonly preAuthCalls: Array<{ expired: boolean }> = [];

	constructor(public data: ICredentialDataDecryptedObject) {
		super();
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	getCredentialsProperties() {
		return this.credentialType.properties;
	}

	async getDecrypted(): Promise<ICredentialDataDecryptedObject> {
		return NodeHelpers.getNodeParameters(
			this.credentialType.properties,
			{ ...this.data } as never,
			true,
			false,
			null,
			null,
		) as ICredentialDataDecryptedObject;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const { authenticate } = this.credentialType;
		if (typeof authenticate !== 'function') {
			throw new Error('The Altegio credential is expected to authenticate with a function');
		}
		return await authenticate(credentials, requestOptions as IHttpRequestOptions);
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		_typeName: string,
		_node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const expirable = this.credentialType.properties.find(
			(property) => property.type === 'hidden' && property.typeOptions?.expirable === true,
		);
		const { preAuthentication } = this.credentialType;
		if (!expirable || !preAuthentication) return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;

		this.preAuthCalls.push({ expired: credentialsExpired });
		const output = await preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		this.data = { ...this.data, ...output } as ICredentialDataDecryptedObject;
		return Object.assign(credentials, output);
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by the Altegio node');
	}

	async updateCredentials(
		_details: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	) {
		this.data = data;
	}

	async updateCredentialsOauthTokenData() {}
}

export interface RunOptions {
	parameters: IDataObject;
	items?: IDataObject[];
	credentials: CredentialStore;
	onError?: OnError;
	/** The node's Retry On Fail setting: how many tries in all, and the wait between them. */
	retryOnFail?: { maxTries: number; waitBetweenTries: number };
	/** `api` runs `parameters.request` through the API client instead of the Altegio node. */
	node?: 'altegio' | 'api';
	/** Cancels the execution this long after it started, as the Stop button does. */
	cancelAfterMs?: number;
	/** The Altegio node's version, as the saved workflow holds it (1 unless given). */
	typeVersion?: number;
}

export interface RunResult {
	status: IRun['status'];
	/** The Altegio node's outputs: [0] the main output, [1] the error output when there is one. */
	outputs: INodeExecutionData[][];
	error?: IDataObject & { message?: string; description?: string; httpCode?: string | null };
}

export async function runAltegio({
	parameters,
	items = [{}],
	credentials,
	onError,
	retryOnFail,
	cancelAfterMs,
	node = 'altegio',
	typeVersion = 1,
}: RunOptions): Promise<RunResult> {
	const nodes: INode[] = [
		{
			id: 'items',
			name: ITEMS_NODE,
			type: 'test.items',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(items) },
		},
		{
			id: 'altegio',
			name: ALTEGIO_NODE,
			type: node === 'api' ? 'test.apiRequest' : 'n8n-nodes-altegio.altegio',
			typeVersion,
			position: [200, 0],
			parameters: parameters as INode['parameters'],
			credentials: { altegioApi: { id: 'cred-1', name: 'Altegio sandbox' } },
			...(onError ? { onError } : {}),
			...(retryOnFail ? { retryOnFail: true, ...retryOnFail } : {}),
		},
	];
	const workflow = new Workflow({
		id: 'integration',
		nodes,
		connections: {
			[ITEMS_NODE]: { main: [[{ node: ALTEGIO_NODE, type: NodeConnectionTypes.Main, index: 0 }]] },
		},
		nodeTypes,
		active: false,
	});

	const hooks = new ExecutionLifecycleHooks('manual', 'execution-1', {
		id: 'integration',
		name: 'integration',
		active: false,
		nodes,
		connections: {},
		createdAt: new Date(),
		updatedAt: new Date(),
		isArchived: false,
		activeVersionId: null,
	} as never);
	let finish: (run: IRun) => void = () => {};
	const finished = new Promise<IRun>((resolve) => (finish = resolve));
	hooks.addHandler('workflowExecuteAfter', (run) => finish(run));

	const additionalData = {
		hooks,
		credentialsHelper: credentials,
		executionId: 'execution-1',
		restApiUrl: 'http://localhost:5678/rest',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		currentNodeParameters: undefined,
		variables: {},
		userId: 'user-1',
		setExecutionStatus: () => {},
		getRunExecutionData: async () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;

	const runData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }],
		},
	});

	const execution = new WorkflowExecute(additionalData, 'manual', runData).processRunExecutionData(
		workflow,
	);
	if (cancelAfterMs === undefined) {
		await execution;
	} else {
		await Promise.race([execution, new Promise((resolve) => setTimeout(resolve, cancelAfterMs))]);
		execution.cancel();
	}
	const run = await finished;

	const task = run.data.resultData.runData[ALTEGIO_NODE]?.[0];
	return {
		status: run.status,
		outputs: (task?.data?.main ?? []).map((output) => output ?? []),
		error: run.data.resultData.error as RunResult['error'],
	};
}
