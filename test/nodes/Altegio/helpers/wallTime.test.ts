import { toWallTime } from '../../../../nodes/Altegio/helpers/wallTime';

describe('toWallTime', () => {
	test.each([
		['2026-12-01T13:00:00+00:00', { timezone_name: 'America/New_York' }, '2026-12-01T08:00:00'],
		['2026-07-01T13:00:00+00:00', { timezone_name: 'America/New_York' }, '2026-07-01T09:00:00'],
		['2026-12-01T08:00:00-05:00', { timezone_name: 'Europe/Moscow' }, '2026-12-01T16:00:00'],
		['2026-12-31T23:30:00+00:00', { timezone_name: 'Asia/Kolkata' }, '2027-01-01T05:00:00'],
		[
			'2026-12-01T13:00:00+00:00',
			{ timezone_name: 'Etc/GMT+5', timezone: 3 },
			'2026-12-01T08:00:00',
		],
	])('%s in %j is %s', (moment, company, wallTime) => {
		expect(toWallTime(moment, company)).toBe(wallTime);
	});

	test('without a usable zone name the hours from UTC are used', () => {
		expect(
			toWallTime('2026-12-01T13:00:00+00:00', { timezone_name: 'Nowhere/Else', timezone: -5 }),
		).toBe('2026-12-01T08:00:00');
		expect(toWallTime('2026-12-01T13:00:00+00:00', { timezone: '5.5' })).toBe(
			'2026-12-01T18:30:00',
		);
	});

	test('no zone at all is unknown', () => {
		expect(toWallTime('2026-12-01T13:00:00+00:00', {})).toBeUndefined();
		expect(toWallTime('2026-12-01T13:00:00+00:00', { timezone: '' })).toBeUndefined();
		expect(toWallTime('2026-12-01T13:00:00+00:00', { timezone: 99 })).toBeUndefined();
	});
});
