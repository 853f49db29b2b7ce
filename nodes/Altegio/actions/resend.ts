import type { IDataObject } from 'n8n-workflow';

import type { AltegioApi } from '../transport';

/**
 * Changes a record that the API replaces whole on PUT: the stored record is read from `endpoint`,
 * and the body that `build` makes from it is sent back to the same endpoint. Returns the answer.
 */
export async function readAndResend(
	api: AltegioApi,
	endpoint: string,
	itemIndex: number,
	build: (stored: IDataObject) => IDataObject,
): Promise<unknown> {
	const stored = (await api.request({ endpoint, itemIndex })) as IDataObject;
	return await api.request({ method: 'PUT', endpoint, body: build(stored), itemIndex });
}
