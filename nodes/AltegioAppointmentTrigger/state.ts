import type { IDataObject } from 'n8n-workflow';

/**
 * What the trigger keeps in the workflow's static data between polls. n8n saves it with the
 * workflow, so it survives a restart; it stays small: keys are forgotten once they cannot come
 * back, and there are never more than MAX_KEYS of them.
 */
export interface PollState {
	version: 1;
	/** The settings the state belongs to; other settings start over from now. */
	settings: string;
	/** When this state began: nothing that happened before counts. */
	startedAt: number;
	/** When the last poll ran. */
	lastPollAt: number;
	/** Change events: the moment up to which changes have been read. */
	cursor?: number;
	/** Emitted keys, each with the moment after which it can no longer come back. */
	emitted: Record<string, number>;
	/** The location's time zone as last read, and when. */
	zone?: { id: string; fixedOffset?: number; readAt: number };
}

export const MAX_KEYS = 5000;

function isState(value: IDataObject): boolean {
	return (
		value.version === 1 &&
		typeof value.settings === 'string' &&
		typeof value.startedAt === 'number' &&
		typeof value.lastPollAt === 'number' &&
		typeof value.emitted === 'object' &&
		value.emitted !== null
	);
}

/** The saved state for these settings, or a fresh one that starts now. */
export function loadState(
	staticData: IDataObject,
	settings: string,
	now: number,
): { state: PollState; fresh: boolean } {
	if (isState(staticData) && staticData.settings === settings) {
		const saved = staticData as unknown as PollState;
		return { state: { ...saved, emitted: { ...saved.emitted } }, fresh: false };
	}
	return {
		state: { version: 1, settings, startedAt: now, lastPollAt: now, emitted: {} },
		fresh: true,
	};
}

/** Writes the state into the static data object n8n saves (in place: n8n holds that object). */
export function saveState(staticData: IDataObject, state: PollState): void {
	for (const key of Object.keys(staticData)) delete staticData[key];
	Object.assign(staticData, state);
}

/**
 * Forgets keys whose moment is before `before`; past MAX_KEYS, the earliest go first. Returns how
 * many had to go early.
 */
export function prune(state: PollState, before: number): number {
	const kept = Object.entries(state.emitted).filter(([, until]) => until >= before);
	kept.sort(([, a], [, b]) => b - a);
	const dropped = Math.max(0, kept.length - MAX_KEYS);
	state.emitted = Object.fromEntries(kept.slice(0, MAX_KEYS));
	return dropped;
}
