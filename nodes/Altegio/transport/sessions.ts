import { createHash } from 'crypto';

/** Hashes of the user tokens the API has accepted in this process, newest last. */
const accepted = new Set<string>();
const ACCEPTED_MAX = 100;

function keyOf(baseUrl: string, userToken: string): string {
	return createHash('sha256').update(`${baseUrl} ${userToken}`).digest('hex');
}

/** Notes that the API at `baseUrl` answered a request with this user token as valid. */
export function acceptSession(baseUrl: string, userToken: string) {
	const key = keyOf(baseUrl, userToken);
	accepted.delete(key);
	accepted.add(key);
	// bounded: a process that meets ever new tokens forgets the oldest
	if (accepted.size > ACCEPTED_MAX) accepted.delete(accepted.values().next().value as string);
}

/** Whether the API at `baseUrl` has accepted this user token in this process. */
export function isAcceptedSession(baseUrl: string, userToken: string): boolean {
	return accepted.has(keyOf(baseUrl, userToken));
}
