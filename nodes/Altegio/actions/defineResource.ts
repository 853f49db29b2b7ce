import type { INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../helpers/utils';
import type { AltegioOperation, AltegioResource } from './node.type';

/** Builds a resource's dropdown entry, its Operation dropdown and its fields from its operation modules. */
export function defineResource(
	option: AltegioResource['option'],
	operations: Record<string, AltegioOperation>,
): AltegioResource {
	const resource = option.value;
	const list = Object.values(operations);
	const firstOperation = list[0].option.value;
	const dropdown: INodeProperties = {
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: [resource] } },
		options: list.map((operation) => operation.option),
		default: firstOperation,
	};
	return {
		option,
		operations,
		description: [
			dropdown,
			...list.flatMap((operation) =>
				updateDisplayOptions(
					{ show: { resource: [resource], operation: [operation.option.value] } },
					operation.description,
				),
			),
		],
	};
}
