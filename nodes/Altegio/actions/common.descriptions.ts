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
	return readWholeId.call(this, 'chainId', 'chain', itemIndex, 509);
}

/** Reads a resource locator or a number field that holds a positive whole ID. */
export function readWholeId(
	this: IExecuteFunctions,
	parameter: string,
	noun: string,
	itemIndex: number,
	example: number,
): string {
	const value = this.getNodeParameter(parameter, itemIndex, '', { extractValue: true });
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^[0-9]{1,15}$/.test(text) || Number(text) === 0) {
		const shown = text ? ` "${preview(text)}"` : '';
		throw new NodeOperationError(
			this.getNode(),
			`The ${noun} ID${shown} is not a positive whole number [item ${itemIndex}]`,
			{
				itemIndex,
				description: `Pick the ${noun} from the list, or enter its numeric ID, such as ${example}`,
			},
		);
	}
	return String(Number(text));
}

export const locationLocator: INodeProperties = {
	displayName: 'Location',
	name: 'locationId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description: 'The location (company) of a chain to work in',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a location...',
			typeOptions: { searchListMethod: 'searchLocations', searchable: true },
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'e.g. 38726',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: '^\\s*[0-9]+\\s*$',
						errorMessage: 'A location ID is a whole number',
					},
				},
			],
		},
	],
};

export function readLocationId(this: IExecuteFunctions, itemIndex: number): string {
	return readWholeId.call(this, 'locationId', 'location', itemIndex, 38726);
}
