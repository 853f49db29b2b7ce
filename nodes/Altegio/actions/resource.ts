import type { INodeProperties } from 'n8n-workflow';

import { updateDisplayOptions } from '../helpers/utils';
import type { AltegioOperation, AltegioResource } from './node.type';

/** Builds a resource's Operation dropdown and fields from its operation modules. */
export function defineResource(
	resource: string,
	operations: Record<string, AltegioOperation>,
): AltegioResource {
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
