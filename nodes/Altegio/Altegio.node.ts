import type { IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { resourceOptions, resources } from './actions';
import { router } from './actions/router';
import { listSearch } from './methods';
import { DEFAULT_POLICY } from './transport';

const { maxRetries, timeout } = DEFAULT_POLICY;

export class Altegio implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altegio',
		name: 'altegio',
		icon: { light: 'file:altegio.svg', dark: 'file:altegio.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Find chains and chain clients in Altegio or YCLIENTS',
		defaults: { name: 'Altegio' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'altegioApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: resourceOptions,
				default: 'chain',
			},
			...Object.values(resources).flatMap((resource) => resource.description),
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Max Retries',
						name: 'maxRetries',
						type: 'number',
						typeOptions: { minValue: 0, maxValue: 10 },
						default: maxRetries,
						description:
							'How many times to repeat a request that was rate limited (429), failed on the server (5xx) or was lost on the network. Other errors are not repeated.',
					},
					{
						displayName: 'Timeout',
						name: 'timeout',
						type: 'number',
						typeOptions: { minValue: 1 },
						default: timeout,
						description: 'Time in milliseconds to wait for the API to answer one request',
					},
				],
			},
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions) {
		return await router.call(this);
	}
}
