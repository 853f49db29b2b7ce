import {
	fixedZone,
	instantsOf,
	localIso,
	locationZone,
	namedZone,
	parseApiTime,
	wallTimeNotAfter,
} from '../../../../nodes/Altegio/helpers/zone';

const newYork = namedZone('America/New_York')!;

describe('zone', () => {
	it('knows IANA names and refuses unknown ones', () => {
		expect(newYork).toEqual({ id: 'America/New_York' });
		expect(namedZone('Mars/Olympus_Mons')).toBeUndefined();
		expect(fixedZone(-300)).toEqual({ id: '-05:00', fixedOffset: -300 });
	});

	it('writes an instant in the offset of its moment', () => {
		expect(localIso(newYork, Date.parse('2027-03-14T06:59:59Z'))).toBe('2027-03-14T01:59:59-05:00');
		expect(localIso(newYork, Date.parse('2027-03-14T07:00:00Z'))).toBe('2027-03-14T03:00:00-04:00');
		expect(localIso(fixedZone(-300), Date.parse('2027-07-01T12:00:00Z'))).toBe(
			'2027-07-01T07:00:00-05:00',
		);
		expect(localIso(namedZone('Asia/Kolkata')!, Date.parse('2026-12-31T23:30:00Z'))).toBe(
			'2027-01-01T05:00:00+05:30',
		);
	});

	it('finds two instants in the repeated hour and none in the skipped one', () => {
		expect(instantsOf(newYork, '2027-11-07T01:30:00')).toEqual([
			Date.parse('2027-11-07T05:30:00Z'),
			Date.parse('2027-11-07T06:30:00Z'),
		]);
		expect(instantsOf(newYork, '2027-03-14T02:30:00')).toEqual([]);
		expect(instantsOf(newYork, '2027-03-14T03:30:00')).toEqual([
			Date.parse('2027-03-14T07:30:00Z'),
		]);
	});

	it('reads API times with or without an offset', () => {
		expect(parseApiTime(newYork, '2026-12-14T10:30:00-05:00')).toBe(
			Date.parse('2026-12-14T15:30:00Z'),
		);
		expect(parseApiTime(newYork, '2026-03-01T12:00:00-0500')).toBe(
			Date.parse('2026-03-01T17:00:00Z'),
		);
		expect(parseApiTime(newYork, '2027-07-01 10:00:00')).toBe(Date.parse('2027-07-01T14:00:00Z'));
		expect(parseApiTime(newYork, '2027-11-07T01:30:00')).toBe(Date.parse('2027-11-07T05:30:00Z'));
		expect(parseApiTime(newYork, '2027-03-14T02:30:00')).toBe(Date.parse('2027-03-14T07:30:00Z'));
		expect(parseApiTime(newYork, 'tomorrow')).toBeUndefined();
		expect(parseApiTime(newYork, undefined)).toBeUndefined();
	});

	it('gives a lower bound no reading of which lies after the moment', () => {
		expect(wallTimeNotAfter(newYork, Date.parse('2027-11-07T05:30:00Z'))).toBe(
			'2027-11-07T00:30:00',
		);
		expect(wallTimeNotAfter(newYork, Date.parse('2027-11-07T06:30:00Z'))).toBe(
			'2027-11-07T01:30:00',
		);
		expect(wallTimeNotAfter(newYork, Date.parse('2026-12-22T15:00:00Z'))).toBe(
			'2026-12-22T10:00:00',
		);
	});

	describe('locationZone', () => {
		it('takes the time zone name of the location first, daylight saving included', () => {
			expect(locationZone({ timezone_name: ' America/New_York ', timezone: -5 })).toEqual(newYork);
			expect(locationZone({ timezone_name: 'Etc/GMT+5', timezone: 3 })).toEqual({
				id: 'Etc/GMT+5',
			});
		});

		it('without a usable name takes the hours from UTC, without daylight saving', () => {
			expect(locationZone({ timezone_name: 'Nowhere/Else', timezone: -5 })).toEqual(
				fixedZone(-300),
			);
			expect(locationZone({ timezone_name: '', timezone: '5.5' })).toEqual(fixedZone(330));
			expect(localIso(locationZone({ timezone: 0 })!, Date.parse('2026-12-01T13:00:00Z'))).toBe(
				'2026-12-01T13:00:00+00:00',
			);
		});

		it('gives no zone when the location has neither', () => {
			for (const location of [{}, { timezone: '' }, { timezone: 99 }, { timezone: '5 hours' }])
				expect(locationZone(location)).toBeUndefined();
		});
	});
});
