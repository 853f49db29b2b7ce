import type { IDataObject } from 'n8n-workflow';

/**
 * What to write to `POST /hooks_settings/{location_id}`. That call replaces the location's whole
 * configuration: a URL left out is deleted, and the flags apply to every URL, including those of
 * other apps. So the trigger always writes back everything it read, changed only where it must.
 */

export const MAX_URLS = 10;

/** Every flag the API knows; `self_sending` also sends changes made with the same partner token. */
export const FLAGS = [
	'salon',
	'service_category',
	'service',
	'good',
	'master',
	'client',
	'record',
	'goods_operations_sale',
	'goods_operations_receipt',
	'goods_operations_consumable',
	'goods_operations_stolen',
	'goods_operations_move',
	'finances_operation',
	'schedule',
	'loyalty_card',
	'self_sending',
] as const;

export interface HookSettings extends IDataObject {
	urls: string[];
	active: number;
}

const isOn = (value: unknown) => value === true || Number(value) === 1;

/**
 * The location's settings from a GET answer, with only the flags the answer shows. Older Altegio
 * backends leave out `good`, `schedule` and `self_sending`, and YCLIENTS never shows `self_sending`:
 * such a flag stays out of what the trigger writes back, unless it turns the flag on, so that it
 * never switches off what it cannot see. A flag counts as on when it is on at the top level or for
 * any URL in `url_settings`: the top level describes only the first URL on newer backends.
 */
export function readSettings(data: unknown): HookSettings {
	const source = isObject(data) ? data : {};
	const rows = Array.isArray(source.url_settings) ? source.url_settings.filter(isObject) : [];
	const urls = [
		...(Array.isArray(source.urls) ? source.urls : []),
		...rows.map((row) => row.url),
	].filter((url): url is string => typeof url === 'string' && url !== '');
	const settings: HookSettings = {
		urls: [...new Set(urls)],
		active: isOn(source.active) || rows.some((row) => isOn(row.active)) ? 1 : 0,
	};
	for (const flag of FLAGS) {
		const values = [source[flag], ...rows.map((row) => row[flag])].filter(
			(value) => value !== undefined && value !== null,
		);
		if (values.length > 0) settings[flag] = values.some(isOn) ? 1 : 0;
	}
	return settings;
}

/**
 * Whether a registered URL is this node's: only its current webhook address counts, whatever
 * secret follows it. An address kept in the workflow's static data does not, because static data
 * travels with a copied or imported workflow, and the copy must not remove the original's address.
 */
export function isOwnUrl(url: string, base: string): boolean {
	return url.split('?')[0] === base;
}

/**
 * True when `url` is registered, sending is on and every flag in `flags` that the GET shows is on.
 * A flag the GET does not show cannot be checked; asking for it would write the settings again on
 * every restart (as YCLIENTS never shows `self_sending`).
 */
export function isRegistered(settings: HookSettings, url: string, flags: readonly string[]) {
	return (
		settings.urls.includes(url) &&
		settings.active === 1 &&
		flags.every((flag) => settings[flag] === undefined || settings[flag] === 1)
	);
}

export type RegisterResult =
	| { ok: true; settings: HookSettings; changed: boolean }
	| { ok: false; foreignUrls: string[] };

/**
 * Adds `url` (dropping other copies of this node's address), switches sending and `flags` on and
 * keeps every other URL and every flag the GET showed. Fails when the other URLs already fill the
 * 10 places. `changed` is false when the settings already are what they would become.
 */
export function settingsToRegister(
	current: HookSettings,
	url: string,
	base: string,
	flags: readonly string[],
): RegisterResult {
	const foreignUrls = current.urls.filter((existing) => !isOwnUrl(existing, base));
	if (foreignUrls.length >= MAX_URLS) return { ok: false, foreignUrls };
	const urls = current.urls.filter((existing) => existing === url || !isOwnUrl(existing, base));
	if (!urls.includes(url)) urls.push(url);
	const settings: HookSettings = { ...current, urls, active: 1 };
	for (const flag of flags) settings[flag] = 1;
	return { ok: true, settings, changed: !sameSettings(current, settings) };
}

/**
 * Removes this node's URLs and keeps every flag, since another URL may rely on any of them. When no
 * other URL is left, sending is switched off instead, because the API needs at least one URL.
 * `undefined` when none of this node's URLs is registered.
 */
export function settingsToUnregister(
	current: HookSettings,
	base: string,
): HookSettings | undefined {
	const foreignUrls = current.urls.filter((existing) => !isOwnUrl(existing, base));
	if (foreignUrls.length === current.urls.length) return undefined;
	if (foreignUrls.length === 0) {
		if (current.active === 0) return undefined;
		return { ...current, active: 0 };
	}
	return { ...current, urls: foreignUrls };
}

function sameSettings(a: HookSettings, b: HookSettings): boolean {
	const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
	return [...keys].every((key) =>
		key === 'urls' ? a.urls.join('\n') === b.urls.join('\n') : a[key] === b[key],
	);
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
