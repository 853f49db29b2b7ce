import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { preview } from '../helpers/utils';

export const chainLocator: INodeProperties = {
	displayName: 'Chain',
	name: 'chainId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The chain (salon group) to search in',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a chain...',
			typeOptions: { searchListMethod: 'searchChains', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 509',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^\\s*[0-9]+\\s*$', errorMessage: 'A chain ID is a whole number' },
				},
			],
		},
	],
};

export function readChainId(this: IExecuteFunctions, itemIndex: number): string {
	const value = this.getNodeParameter('chainId', itemIndex, '', { extractValue: true });
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^[0-9]{1,15}$/.test(text) || Number(text) === 0) {
		const shown = text ? ` "${preview(text)}"` : '';
		throw new NodeOperationError(
			this.getNode(),
			`The chain ID${shown} is not a positive whole number [item ${itemIndex}]`,
			{
				itemIndex,
				description: 'Pick the chain from the list, or enter its numeric ID, such as 509',
			},
		);
	}
	return String(Number(text));
}
