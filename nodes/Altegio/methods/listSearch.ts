import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { createApi } from '../transport';
import { chosenLocation } from './location';

interface Chain {
	id: number;
	title?: string;
	companies?: Array<{ id: number; title?: string }>;
}

async function chainsOf(context: ILoadOptionsFunctions): Promise<Chain[]> {
	const chains = await createApi(context).request({ endpoint: '/groups' });
	return Array.isArray(chains) ? (chains as Chain[]) : [];
}

function matches(filter: string | undefined, ...texts: string[]): boolean {
	const needle = filter?.trim().toLowerCase() ?? '';
	return needle === '' || texts.some((text) => text.toLowerCase().includes(needle));
}

export async function searchChains(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const results = (await chainsOf(this))
		.filter(
			(chain) => matches(filter, String(chain.title ?? '')) || String(chain.id) === filter?.trim(),
		)
		.map((chain) => ({ name: `${chain.title ?? 'Chain'} (${chain.id})`, value: String(chain.id) }));
	return { results };
}

/** Every location of every chain the user can see, each named with its chain. */
export async function searchLocations(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const results = (await chainsOf(this)).flatMap((chain) =>
		(chain.companies ?? [])
			.filter(
				(company) =>
					matches(filter, String(company.title ?? ''), String(chain.title ?? '')) ||
					String(company.id) === filter?.trim(),
			)
			.map((company) => ({
				name: `${company.title ?? 'Location'} (${company.id}), ${chain.title ?? `chain ${chain.id}`}`,
				value: String(company.id),
			})),
	);
	return { results };
}

interface TeamMember {
	id: number;
	name?: string;
	specialization?: string;
	fired?: number | boolean;
}

/** The chosen location's team members; a location that is not chosen yet gets a clear message. */
export async function searchTeamMembers(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const locationId = chosenLocation(this);
	const data = await createApi(this).request({ endpoint: `/company/${locationId}/staff` });
	const members = (Array.isArray(data) ? data : []) as TeamMember[];
	const results = members
		.filter(
			(member) =>
				matches(filter, String(member.name ?? ''), String(member.specialization ?? '')) ||
				String(member.id) === filter?.trim(),
		)
		.map((member) => ({
			name: `${member.name ?? 'Team member'}${member.specialization ? `, ${member.specialization}` : ''} (${member.id})${Number(member.fired) ? ', no longer works here' : ''}`,
			value: String(member.id),
		}));
	return { results };
}
