import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { toRecords } from '../../helpers/records';
import type { AltegioApi } from '../../transport';

export const option = {
	name: 'Get Many',
	value: 'getAll',
	description: 'List the chains the user of the credential has access to',
	action: 'Get many chains (read-only)',
};

export const description: INodeProperties[] = [];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject[]> {
	const chains = await api.request({ endpoint: '/groups', itemIndex });
	return toRecords.call(this, chains, itemIndex, 'chains');
}
