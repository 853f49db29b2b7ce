import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { chainLocator, locationLocator, readChainId } from '../common.descriptions';
import { PHONE_NOTE, readLocation, readPhone } from '../fields';

export const option = {
	name: 'Get by Phone',
	value: 'getByPhone',
	description:
		"Find a client's loyalty cards by phone: the cards of the chain whose programs apply at the location, with balance, points and programs. Changes nothing.",
	action: 'Get loyalty cards by phone (read-only)',
};

export const description: INodeProperties[] = [
	chainLocator,
	locationLocator,
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

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject[]> {
	const chainId = readChainId.call(this, itemIndex);
	const locationId = readLocation.call(this, itemIndex);
	const phone = readPhone.call(
		this,
		this.getNodeParameter('phone', itemIndex, ''),
		'phone',
		'international',
		await api.defaultCountry(itemIndex),
		itemIndex,
	);
	// The documentation shows one bare card without the envelope, the API's public clients read a
	// list in `data`: all of these are accepted. Only a 404 that says the client is unknown means
	// "no cards"; a wrong chain or location is an error.
	const cards = await api.request({
		endpoint: `/loyalty/cards/${encodeURIComponent(phone)}/${chainId}/${locationId}`,
		itemIndex,
		bare: true,
		emptyOnNotFound: ['Client not found', 'Клиент не найден'],
	});
	if (cards === null || cards === undefined) return [];
	return Array.isArray(cards) ? (cards as IDataObject[]) : [cards as IDataObject];
}
