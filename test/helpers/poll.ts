/**
 * Runs the Altegio Appointment Trigger's poll() the way n8n runs a poll: n8n-core's
 * PollTriggerExecutor with a real PollContext, the real request helper and credential, against
 * the sandbox. The workflow's static data is kept as JSON between polls, as n8n's database keeps it,
 * and the trigger's clock follows the sandbox's clock.
 */
import { dirname } from 'path';

import { PollContext, PollTriggerExecutor } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	INodeTypes,
	IWorkflowExecuteAdditionalData,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { AltegioAppointmentTrigger } from '../../nodes/AltegioAppointmentTrigger/AltegioAppointmentTrigger.node';
import { clock } from '../../nodes/AltegioAppointmentTrigger/clock';
import type { Sandbox } from './sandbox';
import { sandboxCredentials } from './sandbox';

/** n8n-core's own copies of its dependency-injection container and logger. */
const fromCore = (name: string) =>
	require(require.resolve(name, { paths: [dirname(require.resolve('n8n-core'))] })) as never;
const { Container } = fromCore('@n8n/di') as typeof import('@n8n/di');
const { Logger } = fromCore('@n8n/backend-common') as typeof import('@n8n/backend-common');

const trigger = new AltegioAppointmentTrigger();
const nodeTypes = {
	getByName: () => trigger,
	getByNameAndVersion: () => trigger,
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

export interface PollOutcome {
	/** The items the poll emitted, or `null` when it emitted nothing. */
	items: IDataObject[] | null;
	/** The error the poll ended with, if any. */
	error?: Error & { description?: string };
}

export class PollRunner {
	/** The workflow's static data as n8n saved it after the last poll. */
	saved = '{}';

	/** Every warning the trigger logged. */
	readonly warnings: string[] = [];

	private readonly node: INode;

	constructor(
		private readonly sandbox: Sandbox,
		parameters: IDataObject,
	) {
		clock.now = () => sandbox.clock.now();
		this.node = {
			id: 'poll-node',
			name: 'Altegio Appointment Trigger',
			type: 'n8n-nodes-altegio.altegioAppointmentTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				pollTimes: { item: [{ mode: 'everyMinute' }] },
				...parameters,
			} as INode['parameters'],
			credentials: { altegioApi: { id: 'cred-1', name: 'Altegio sandbox' } },
		};
		const logger = Container.get(Logger);
		jest.spyOn(logger, 'warn').mockImplementation((message: string) => {
			this.warnings.push(message);
		});
	}

	/** Changes the node's parameters, as a user editing the workflow would. */
	set(parameters: IDataObject) {
		Object.assign(this.node.parameters, parameters);
	}

	/** The static data the trigger keeps for its node. */
	state(): IDataObject {
		const data = JSON.parse(this.saved) as IDataObject;
		return (data[`node:${this.node.name}`] as IDataObject) ?? {};
	}

	/**
	 * One poll. `trigger` is a scheduled poll (the first one after activation included); `manual`
	 * is "Fetch Test Event" in the editor.
	 */
	async poll(
		mode: WorkflowExecuteMode = 'trigger',
		activation: WorkflowActivateMode = 'activate',
	): Promise<PollOutcome> {
		const workflow = new Workflow({
			id: 'wf-poll',
			nodes: [this.node],
			connections: {},
			nodeTypes,
			active: mode !== 'manual',
			staticData: JSON.parse(this.saved) as IDataObject,
		});
		const additionalData = {
			credentialsHelper: sandboxCredentials(this.sandbox),
			restApiUrl: 'http://localhost:5678/rest',
			webhookBaseUrl: 'http://localhost:5678/webhook',
			variables: {},
		} as unknown as IWorkflowExecuteAdditionalData;

		let emitted: INodeExecutionData[][] | null = null;
		let failed: Error | undefined;
		const context = new PollContext(
			workflow,
			this.node,
			additionalData,
			mode,
			activation,
			(data) => {
				emitted = data;
			},
			(error) => {
				failed = error;
			},
		);
		const execute = Container.get(PollTriggerExecutor).create(
			workflow,
			this.node,
			context,
			() => true,
		);
		try {
			await execute(mode === 'manual');
		} catch (error) {
			failed = error as Error;
		}
		if (mode !== 'manual') this.saved = JSON.stringify(workflow.staticData);
		const output = emitted as INodeExecutionData[][] | null;
		return {
			items: output === null ? null : output[0].map((item) => item.json),
			...(failed ? { error: failed } : {}),
		};
	}
}
