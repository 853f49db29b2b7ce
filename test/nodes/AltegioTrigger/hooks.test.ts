import type { HookSettings } from '../../../nodes/AltegioTrigger/hooks';
import {
	FLAGS,
	isOwnUrl,
	isRegistered,
	readSettings,
	settingsToRegister,
	settingsToUnregister,
} from '../../../nodes/AltegioTrigger/hooks';

const BASE = 'https://n8n.example/webhook/4f1c/webhook';
const OURS = `${BASE}?secret=abc`;
const FOREIGN = 'https://crm.example/altegio-hooks';

/** Settings as a newer backend shows them: every flag, off unless given. */
function settings(urls: string[], flags: Record<string, number> = {}, active = 1): HookSettings {
	const result: HookSettings = { urls, active };
	for (const flag of FLAGS) result[flag] = flags[flag] ?? 0;
	return result;
}

describe('readSettings', () => {
	test('keeps every URL and counts a flag as on when any URL row has it on', () => {
		const read = readSettings({
			urls: [FOREIGN, ''],
			active: 1,
			record: 0,
			client: '1',
			url_settings: [
				{ url: FOREIGN, active: 1, record: 0, client: 1 },
				{ url: 'https://b.example/x', active: 1, record: 1, client: 0, self_sending: true },
			],
		});
		expect(read).toEqual({
			urls: [FOREIGN, 'https://b.example/x'],
			active: 1,
			record: 1,
			client: 1,
			self_sending: 1,
		});
	});

	test('a flag the answer does not show stays out, rather than reading as off', () => {
		expect(readSettings({ urls: [FOREIGN], active: 0, salon: 1, record: 0 })).toEqual({
			urls: [FOREIGN],
			active: 0,
			salon: 1,
			record: 0,
		});
		expect(readSettings(undefined)).toEqual({ urls: [], active: 0 });
	});
});

describe('isOwnUrl', () => {
	test('only the current webhook address is this node`s, whatever its secret', () => {
		expect(isOwnUrl(OURS, BASE)).toBe(true);
		expect(isOwnUrl(`${BASE}?secret=old`, BASE)).toBe(true);
		expect(isOwnUrl('https://n8n.example/webhook/other-copy/webhook?secret=abc', BASE)).toBe(false);
		expect(isOwnUrl(`${BASE}/more`, BASE)).toBe(false);
	});
});

describe('settingsToRegister', () => {
	test('adds this URL, switches sending and the needed flags on, keeps other URLs and flags', () => {
		const current = settings([FOREIGN], { client: 1, finances_operation: 1 }, 0);
		expect(settingsToRegister(current, OURS, BASE, ['record'])).toEqual({
			ok: true,
			changed: true,
			settings: settings([FOREIGN, OURS], { client: 1, finances_operation: 1, record: 1 }),
		});
	});

	test('never adds a flag the GET did not show, unless it turns that flag on', () => {
		const current: HookSettings = { urls: [FOREIGN], active: 1, record: 0, client: 1 };
		expect(settingsToRegister(current, OURS, BASE, ['record', 'self_sending'])).toEqual({
			ok: true,
			changed: true,
			settings: { urls: [FOREIGN, OURS], active: 1, record: 1, client: 1, self_sending: 1 },
		});
	});

	test('nothing changes when its URL, sending and flags are already there', () => {
		const current: HookSettings = { urls: [OURS, FOREIGN], active: 1, record: 1 };
		expect(settingsToRegister(current, OURS, BASE, ['record'])).toEqual({
			ok: true,
			changed: false,
			settings: current,
		});
	});

	test('replaces older copies of this node`s address instead of adding a second one', () => {
		const current = settings([`${BASE}?secret=old`, FOREIGN, `${BASE}?secret=older`], {
			record: 1,
		});
		const result = settingsToRegister(current, OURS, BASE, ['record']);
		expect(result).toEqual({
			ok: true,
			changed: true,
			settings: settings([FOREIGN, OURS], { record: 1 }),
		});
	});

	test('another workflow`s address is kept, even when this node`s static data names it', () => {
		const original = 'https://n8n.example/webhook/original/webhook?secret=abc';
		const result = settingsToRegister(settings([original]), OURS, BASE, []);
		expect(result.ok && result.settings.urls).toEqual([original, OURS]);
	});

	test('fails when ten other URLs fill every place, but not when one of the ten is its own', () => {
		const ten = Array.from({ length: 10 }, (_, i) => `https://other.example/${i}`);
		expect(settingsToRegister(settings(ten), OURS, BASE, ['record'])).toEqual({
			ok: false,
			foreignUrls: ten,
		});
		const nineAndOurs = [...ten.slice(0, 9), `${BASE}?secret=old`];
		const result = settingsToRegister(settings(nineAndOurs), OURS, BASE, ['record']);
		expect(result.ok && result.settings.urls).toEqual([...ten.slice(0, 9), OURS]);
	});
});

describe('settingsToUnregister', () => {
	test('removes only this URL and turns off no flag, since other URLs share them', () => {
		const current = settings([FOREIGN, OURS], { record: 1, client: 1, self_sending: 1 });
		expect(settingsToUnregister(current, BASE)).toEqual(
			settings([FOREIGN], { record: 1, client: 1, self_sending: 1 }),
		);
	});

	test('writes back only the flags the GET showed', () => {
		const current: HookSettings = { urls: [FOREIGN, OURS], active: 1, record: 1 };
		expect(settingsToUnregister(current, BASE)).toEqual({ urls: [FOREIGN], active: 1, record: 1 });
	});

	test('as the last URL, it switches sending off rather than sending an empty list', () => {
		const current = settings([OURS], { record: 1 });
		expect(settingsToUnregister(current, BASE)).toEqual(settings([OURS], { record: 1 }, 0));
	});

	test('nothing to write when its URL is not there, or when it is the last and sending is off', () => {
		expect(settingsToUnregister(settings([FOREIGN], { record: 1 }), BASE)).toBeUndefined();
		expect(settingsToUnregister(settings([OURS], { record: 1 }, 0), BASE)).toBeUndefined();
	});
});

describe('isRegistered', () => {
	test('true only with this exact URL, sending on and every needed flag on', () => {
		const current = settings([FOREIGN, OURS], { record: 1, self_sending: 1 });
		expect(isRegistered(current, OURS, ['record', 'self_sending'])).toBe(true);
		expect(isRegistered(current, `${BASE}?secret=other`, ['record'])).toBe(false);
		expect(isRegistered(current, OURS, ['record', 'client'])).toBe(false);
		expect(isRegistered({ ...current, active: 0 }, OURS, ['record'])).toBe(false);
	});

	test('a needed flag the GET never shows (self_sending on YCLIENTS) cannot be checked, so it does not count', () => {
		const current: HookSettings = { urls: [OURS], active: 1, record: 1 };
		expect(isRegistered(current, OURS, ['record', 'self_sending'])).toBe(true);
		expect(isRegistered({ ...current, record: 0 }, OURS, ['record', 'self_sending'])).toBe(false);
	});
});
