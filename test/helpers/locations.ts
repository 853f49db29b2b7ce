import type { IDataObject } from 'n8n-workflow';

import locationsSeed from '../../sandbox/seed-locations.json';
import { runAltegio } from './engine';
import type { Sandbox } from './sandbox';
import { sandboxCredentials } from './sandbox';

export const AUTHORIZATION = 'Bearer sandbox-partner-token-3f9a, User sandbox-user-token-7c21';
export const ACCEPT = 'application/vnd.api.v2+json';

/** A location picked by ID, as a saved workflow holds it. */
export const locationId = (value: unknown) => ({ __rl: true, mode: 'id', value });

/** What the sandbox received: method, path, query, body and the two headers that matter. */
export function requestsOf(sandbox: Sandbox) {
	return sandbox.requests.map(({ method, path, query, body, headers }) => ({
		method,
		path,
		query,
		body,
		authorization: headers.authorization,
		accept: headers.accept,
	}));
}

/** A request as the tests expect it, with the sandbox credential's headers. */
export function sent(
	method: string,
	path: string,
	extra: { query?: IDataObject; body?: unknown } = {},
) {
	return {
		method,
		path: `/api/v1${path}`,
		query: extra.query ?? {},
		body: extra.body,
		authorization: AUTHORIZATION,
		accept: ACCEPT,
	};
}

/**
 * The Authorization header of each request as the sandbox's log hands it out, with the tokens
 * replaced by their kind (`Bearer [partner token], User [user token]`): a failing test shows no token.
 */
export async function authorizationsOf(sandbox: Sandbox): Promise<string[]> {
	const response = await fetch(`${sandbox.url}/__sandbox/requests`);
	const log = (await response.json()) as Array<{ headers: { authorization?: string } }>;
	return log.map((entry) => entry.headers.authorization ?? '');
}

type SeedLocation = (typeof locationsSeed.locations)['38726'];

/** A seeded record of a location, as the sandbox starts with it. */
export function seeded(location: string, kind: 'clients' | 'staff' | 'services', id?: number) {
	const list = (locationsSeed.locations as Record<string, SeedLocation>)[location][
		kind
	] as IDataObject[];
	return id === undefined ? list : list.find((record) => record.id === id);
}

export const paired = (item: number) => (json: unknown) => ({ json, pairedItem: { item } });

/** Runs the operations of one resource in n8n's engine against the sandbox, with its credential. */
export const resourceRunner =
	(resource: string, sandbox: () => Sandbox) =>
	async (parameters: Record<string, unknown>, items?: object[], onError?: 'continueErrorOutput') =>
		await runAltegio({
			parameters: { resource, ...parameters },
			items: items as never,
			onError,
			credentials: sandboxCredentials(sandbox()),
		});
