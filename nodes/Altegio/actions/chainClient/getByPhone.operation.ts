import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { isRecord, toRecords } from '../../helpers/records';
import type { AltegioApi } from '../../transport';
import { chainLocator, readChainId } from '../common.descriptions';
import { PHONE_NOTE, readPhone } from '../fields';

export const option = {
	name: 'Get by Phone',
	value: 'getByPhone',
	description: 'Find the clients of every location of a chain by phone number',
	action: 'Get a chain client by phone (read-only)',
};

export const description: INodeProperties[] = [
	chainLocator,
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +1 (426) 403-76-40',
		description: `Phone number of the client. ${PHONE_NOTE}; spaces, brackets and dashes do not matter.`,
	},
];

interface ChainClients {
	salon_group_id?: number;
	phone?: string;
}

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject[]> {
	const chainId = readChainId.call(this, itemIndex);
	const digits = readPhone.call(
		this,
		this.getNodeParameter('phone', itemIndex),
		'phone',
		'digits',
		await api.defaultCountry(itemIndex),
		itemIndex,
	);

	const found = await api.request({
		endpoint: `/group/${chainId}/clients`,
		qs: { phone: digits },
		itemIndex,
		emptyOnNotFound: ['Client not found', 'Клиент не найден'],
	});
	if (found === undefined || found === null) return [];
	if (!isRecord(found)) {
		throw new NodeOperationError(
			this.getNode(),
			`The Altegio API returned the chain clients in an unexpected shape [item ${itemIndex}]`,
			{
				itemIndex,
				description: 'Expected an object with a "clients" list in the "data" field of the response',
			},
		);
	}
	const { salon_group_id, phone } = found as ChainClients;
	return toRecords
		.call(this, found.clients, itemIndex, 'clients')
		.map((client) => ({ ...client, salon_group_id, phone }));
}
