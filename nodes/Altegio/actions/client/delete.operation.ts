import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { clientIdField, readClientEndpoint } from './client.fields';

export const option = {
	name: 'Delete',
	value: 'delete',
	description:
		'Delete a client card from a location, for example for a GDPR erasure request. This writes to Altegio and cannot be undone. The API may refuse a client who has upcoming appointments: cancel them first.',
	action: 'Delete a client (no undo; erases the client card)',
};

export const writes = true;

export const description: INodeProperties[] = [locationLocator, clientIdField];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject> {
	const { id, endpoint } = readClientEndpoint.call(this, itemIndex);
	// The documentation gives 204 and is silent on a client with upcoming appointments: the API
	// either refuses (its error fails the item as it is) or deletes the client and keeps the
	// appointments. Either way nothing here depends on which.
	await api.request({ method: 'DELETE', endpoint, itemIndex });
	return { deleted: true, id };
}
