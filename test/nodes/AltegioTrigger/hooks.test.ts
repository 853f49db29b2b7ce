import type { HookSettings } from '../../../nodes/AltegioTrigger/hooks';
import {
	FLAGS,
	isRegistered,
	readSettings,
	settingsToRegister,
	settingsToUnregister,
} from '../../../nodes/AltegioTrigger/hooks';

const BASE = 'https://n8n.example/webhook/4f1c/webhook';
const OURS = `${BASE}?secret=abc`;
const own = { base: BASE, registered: OURS };
const FOREIGN = 'https://crm.example/altegio-hooks';

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
		expect(read).toEqual(
			settings([FOREIGN, 'https://b.example/x'], { record: 1, client: 1, self_sending: 1 }),
		);
	});

	test('an older backend without url_settings, or an empty answer, reads as it is', () => {
		expect(readSettings({ urls: [FOREIGN], active: 0, salon: 1 })).toEqual(
			settings([FOREIGN], { salon: 1 }, 0),
		);
		expect(readSettings(undefined)).toEqual(settings([], {}, 0));
	});
});

describe('settingsToRegister', () => {
	test('adds this URL, switches sending and the needed flags on, keeps other URLs and flags', () => {
		const current = settings([FOREIGN], { client: 1, finances_operation: 1 }, 0);
		expect(settingsToRegister(current, OURS, own, ['record', 'self_sending'])).toEqual({
			ok: true,
			settings: settings([FOREIGN, OURS], {
				client: 1,
				finances_operation: 1,
				record: 1,
				self_sending: 1,
			}),
		});
	});

	test('replaces older copies of this node`s address instead of adding a second one', () => {
		const stale = `${BASE}?secret=old`;
		const current = settings([stale, FOREIGN, `${BASE}?secret=older`], { record: 1 });
		const result = settingsToRegister(current, OURS, { base: BASE, registered: stale }, ['record']);
		expect(result).toEqual({ ok: true, settings: settings([FOREIGN, OURS], { record: 1 }) });
		const again = settingsToRegister(settings([FOREIGN, OURS], { record: 1 }), OURS, own, [
			'record',
		]);
		expect(again.ok && again.settings.urls).toEqual([FOREIGN, OURS]);
	});

	test('the URL registered under an older n8n address is replaced too', () => {
		const old = 'http://old-host:5678/webhook/4f1c/webhook?secret=abc';
		const result = settingsToRegister(settings([old]), OURS, { base: BASE, registered: old }, []);
		expect(result.ok && result.settings.urls).toEqual([OURS]);
	});

	test('fails when ten other URLs fill every place, but not when one of the ten is its own', () => {
		const ten = Array.from({ length: 10 }, (_, i) => `https://other.example/${i}`);
		expect(settingsToRegister(settings(ten), OURS, own, ['record'])).toEqual({
			ok: false,
			foreignUrls: ten,
		});
		const nineAndOurs = [...ten.slice(0, 9), `${BASE}?secret=old`];
		const result = settingsToRegister(settings(nineAndOurs), OURS, own, ['record']);
		expect(result.ok && result.settings.urls).toEqual([...ten.slice(0, 9), OURS]);
	});
});

describe('settingsToUnregister', () => {
	test('removes only this URL and turns off no flag, since other URLs share them', () => {
		const current = settings([FOREIGN, OURS], { record: 1, client: 1, self_sending: 1 });
		expect(settingsToUnregister(current, own)).toEqual(
			settings([FOREIGN], { record: 1, client: 1, self_sending: 1 }),
		);
	});

	test('as the last URL, it switches sending off rather than sending an empty list', () => {
		const current = settings([OURS], { record: 1 });
		expect(settingsToUnregister(current, own)).toEqual(settings([OURS], { record: 1 }, 0));
	});

	test('nothing to write when its URL is not there, or when it is the last and sending is off', () => {
		expect(settingsToUnregister(settings([FOREIGN], { record: 1 }), own)).toBeUndefined();
		expect(settingsToUnregister(settings([OURS], { record: 1 }, 0), own)).toBeUndefined();
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
});
