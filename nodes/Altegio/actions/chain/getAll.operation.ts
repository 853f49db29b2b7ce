import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List the chains the user of the credential has access to',
	action: 'Get many chains',
};

export const description: INodeProperties[] = [];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject[]> {
	const chains = await api.request({ endpoint: '/groups', itemIndex });
	if (chains === null || chains === undefined) return [];
	if (!Array.isArray(chains)) {
		throw new NodeOperationError(
			this.getNode(),
			`The Altegio API returned the chains in an unexpected shape [item ${itemIndex}]`,
			{ itemIndex, description: 'Expected a list of chains in the "data" field of the response' },
		);
	}
	return chains as IDataObject[];
}
