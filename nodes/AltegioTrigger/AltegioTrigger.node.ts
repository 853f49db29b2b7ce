import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { NODES_PANEL_DESCRIPTION } from '../Altegio/helpers/nodesPanel';
import { listSubtitle } from '../Altegio/helpers/subtitle';
import { searchLocations } from '../Altegio/methods/listSearch';
import { properties } from './description';
import { EVENTS } from './events';
import { checkExists, create, remove } from './registration';
import { receive } from './webhook';

export class AltegioTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altegio Trigger',
		name: 'altegioTrigger',
		icon: { light: 'file:altegio.svg', dark: 'file:altegio.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: listSubtitle(
			'events',
			Object.fromEntries(Object.entries(EVENTS).map(([value, event]) => [value, event.name])),
		),
		// The nodes panel shows this under the one "Altegio" entry it makes of both nodes.
		description: NODES_PANEL_DESCRIPTION,
		defaults: { name: 'Altegio Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'altegioApi', required: true }],
		webhooks: [
			{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
		],
		properties,
	};

	methods = { listSearch: { searchLocations } };

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions) {
				return await checkExists.call(this);
			},
			async create(this: IHookFunctions) {
				return await create.call(this);
			},
			async delete(this: IHookFunctions) {
				return await remove.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions) {
		return await receive.call(this);
	}
}
