import type { IExecuteFunctions, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { resourceOptions, resources } from './actions';
import { optionsDescription } from './actions/options';
import { router } from './actions/router';
import { NODES_PANEL_DESCRIPTION } from './helpers/nodesPanel';
import { operationSubtitle } from './helpers/subtitle';
import { PICKER_VERSION } from './actions/pickers';
import { listSearch, loadOptions } from './methods';

export class Altegio implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altegio',
		name: 'altegio',
		icon: { light: 'file:altegio.svg', dark: 'file:altegio.dark.svg' },
		group: ['transform'],
		version: [1, PICKER_VERSION],
		defaultVersion: PICKER_VERSION,
		subtitle: operationSubtitle(
			Object.fromEntries(
				Object.values(resources).flatMap((resource) =>
					Object.values(resource.operations).map((operation) => [
						`${resource.option.value}:${operation.option.value}`,
						`${operation.option.name}: ${resource.option.name}`,
					]),
				),
			),
		),
		description: NODES_PANEL_DESCRIPTION,
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
			optionsDescription,
		],
	};

	methods = { listSearch, loadOptions };

	async execute(this: IExecuteFunctions) {
		return await router.call(this);
	}
}
