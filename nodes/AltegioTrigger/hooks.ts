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

/** The URLs that belong to this trigger node: the one it registered, and any copy of its address. */
export interface OwnUrl {
	/** The node's webhook address without the query (production or test). */
	base: string;
	/** The address it registered last, from the workflow's static data. */
	registered?: string;
}

const isOn = (value: unknown) => value === true || Number(value) === 1;

/**
 * The location's settings from a GET answer. Flags count as on when they are on at the top level
 * or for any URL in `url_settings`: the top level describes only the first URL on newer backends.
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
		settings[flag] = isOn(source[flag]) || rows.some((row) => isOn(row[flag])) ? 1 : 0;
	}
	return settings;
}

export function isOwnUrl(url: string, own: OwnUrl): boolean {
	return url === own.registered || url.split('?')[0] === own.base;
}

/** True when `url` is registered, sending is on and every flag in `flags` is on. */
export function isRegistered(settings: HookSettings, url: string, flags: readonly string[]) {
	return (
		settings.urls.includes(url) &&
		settings.active === 1 &&
		flags.every((flag) => settings[flag] === 1)
	);
}

export type RegisterResult =
	| { ok: true; settings: HookSettings }
	| { ok: false; foreignUrls: string[] };

/**
 * Adds `url` (dropping older copies of this node's address), switches sending and `flags` on and
 * keeps every other URL and flag. Fails when the other URLs already fill the 10 places.
 */
export function settingsToRegister(
	current: HookSettings,
	url: string,
	own: OwnUrl,
	flags: readonly string[],
): RegisterResult {
	const foreignUrls = current.urls.filter((existing) => !isOwnUrl(existing, own));
	if (foreignUrls.length >= MAX_URLS) return { ok: false, foreignUrls };
	const settings: HookSettings = { ...current, urls: [...foreignUrls, url], active: 1 };
	for (const flag of flags) settings[flag] = 1;
	return { ok: true, settings };
}

/**
 * Removes this node's URLs and keeps every flag, since another URL may rely on any of them. When no
 * other URL is left, sending is switched off instead, because the API needs at least one URL.
 * `undefined` when none of this node's URLs is registered.
 */
export function settingsToUnregister(current: HookSettings, own: OwnUrl): HookSettings | undefined {
	const foreignUrls = current.urls.filter((existing) => !isOwnUrl(existing, own));
	if (foreignUrls.length === current.urls.length) return undefined;
	if (foreignUrls.length === 0) {
		if (current.active === 0) return undefined;
		return { ...current, active: 0 };
	}
	return { ...current, urls: foreignUrls };
}

function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
