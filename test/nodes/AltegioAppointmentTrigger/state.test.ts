import {
	loadState,
	MAX_KEYS,
	prune,
	saveState,
} from '../../../nodes/AltegioAppointmentTrigger/state';

describe('state', () => {
	it('starts fresh without saved state or for other settings, and keeps it for the same settings', () => {
		const data = {};
		const { state, fresh } = loadState(data, 'a', 1000);
		expect(fresh).toBe(true);
		expect(state).toEqual({
			version: 1,
			settings: 'a',
			startedAt: 1000,
			lastPollAt: 1000,
			emitted: {},
		});
		state.emitted.x = 5;
		saveState(data, state);
		expect(loadState(data, 'a', 2000)).toEqual({ state, fresh: false });
		expect(loadState(data, 'b', 2000).fresh).toBe(true);
	});

	it('forgets keys that can no longer come back, and never keeps more than the cap', () => {
		const { state } = loadState({}, 'a', 0);
		state.emitted = { old: 5, kept: 20 };
		expect(prune(state, 10)).toBe(0);
		expect(state.emitted).toEqual({ kept: 20 });
		for (let i = 0; i < MAX_KEYS + 3; i++) state.emitted[`k${i}`] = 100 + i;
		expect(prune(state, 10)).toBe(4);
		expect(Object.keys(state.emitted)).toHaveLength(MAX_KEYS);
		expect(state.emitted.kept).toBeUndefined();
		expect(state.emitted.k0).toBeUndefined();
	});
});
