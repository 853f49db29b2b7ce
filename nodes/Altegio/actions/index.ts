import { appointment } from './appointment/Appointment.resource';
import { chain } from './chain/Chain.resource';
import { chainClient } from './chainClient/ChainClient.resource';
import { client } from './client/Client.resource';
import { financeTransaction } from './financeTransaction/FinanceTransaction.resource';
import { loyaltyCard } from './loyaltyCard/LoyaltyCard.resource';
import type { AltegioResource } from './node.type';
import { service } from './service/Service.resource';
import { teamMember } from './teamMember/TeamMember.resource';

export const resources = {
	chain,
	chainClient,
	client,
	appointment,
	service,
	teamMember,
	loyaltyCard,
	financeTransaction,
} satisfies Record<string, AltegioResource>;

export type ResourceName = keyof typeof resources;

/** The Resource dropdown, sorted by name as n8n's lint rules ask. */
export const resourceOptions = Object.values(resources)
	.map((resource) => resource.option)
	.sort((a, b) => a.name.localeCompare(b.name));
