import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { createApi } from '../transport';
import { chosenLocation } from './location';

interface Service {
	id: number;
	title?: string;
}

/** The chosen location's services, for a field that takes several of them. */
export async function getServices(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const locationId = chosenLocation(this);
	const data = await createApi(this).request({ endpoint: `/company/${locationId}/services` });
	return ((Array.isArray(data) ? data : []) as Service[]).map((service) => ({
		name: `${service.title ?? 'Service'} (${service.id})`,
		value: service.id,
	}));
}
