import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { altegioApiRequest } from '../transport';

interface Chain {
	id: number;
	title?: string;
}

export async function searchChains(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const chains = ((await altegioApiRequest.call(this, { endpoint: '/groups' })) ?? []) as Chain[];
	const needle = filter?.trim().toLowerCase() ?? '';
	const results = chains
		.filter(
			(chain) =>
				needle === '' ||
				String(chain.title ?? '')
					.toLowerCase()
					.includes(needle) ||
				String(chain.id) === needle,
		)
		.map((chain) => ({ name: `${chain.title ?? 'Chain'} (${chain.id})`, value: String(chain.id) }));
	return { results };
}
