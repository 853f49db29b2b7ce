import type { RateBudget } from '../../../../nodes/Altegio/transport/rateLimiter';
import { RateLimiter, sharedLimiter } from '../../../../nodes/Altegio/transport/rateLimiter';

/** A fake clock with a timer queue: `wait(ms)` resolves only when the test moves time past it. */
class FakeClock {
	time = 0;

	private timers: Array<{ at: number; resolve: () => void }> = [];

	readonly now = () => this.time;

	readonly wait = async (ms: number) =>
		await new Promise<void>((resolve) => this.timers.push({ at: this.time + ms, resolve }));

	/** Moves time forward to `until`, firing each timer at its own time. */
	async runUntil(until: number) {
		for (;;) {
			await flush();
			const due = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
			if (due === undefined) break;
			this.timers.splice(this.timers.indexOf(due), 1);
			this.time = Math.max(this.time, due.at);
			due.resolve();
		}
		this.time = Math.max(this.time, until);
		await flush();
	}

	async runAll() {
		await this.runUntil(Number.MAX_SAFE_INTEGER / 2);
	}
}

/** Lets every pending promise callback run (setImmediate is not faked in this file). */
async function flush() {
	for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Starts `count` acquire() calls at once; each caller sends its request when granted and gets the
 * answer `roundTrip` ms later (then releases its slot). Returns the fake time of each grant.
 */
async function grantTimes(
	limiter: RateLimiter,
	clock: FakeClock,
	count: number,
	roundTrip = 0,
): Promise<number[]> {
	const times = new Array<number>(count);
	const all = Promise.all(
		Array.from({ length: count }, async (_, i) => {
			const release = await limiter.acquire();
			times[i] = clock.now();
			if (roundTrip > 0) await clock.wait(roundTrip);
			release();
		}),
	);
	await clock.runAll();
	await all;
	return times;
}

/** The largest number of grants that fall within any window of `windowMs`. */
function mostInAnyWindow(times: number[], windowMs: number): number {
	const sorted = [...times].sort((a, b) => a - b);
	let most = 0;
	for (let i = 0; i < sorted.length; i++) {
		let j = i;
		while (j < sorted.length && sorted[j] - sorted[i] < windowMs) j++;
		most = Math.max(most, j - i);
	}
	return most;
}

function limiterWith(budget: RateBudget) {
	const clock = new FakeClock();
	return { clock, limiter: new RateLimiter(budget, clock.now, clock.wait) };
}

/** One caller: waits for its slot, records when it got it, and releases after `roundTrip` ms. */
function caller(
	limiter: RateLimiter,
	clock: FakeClock,
	log: Array<[string, number]>,
	name: string,
	roundTrip = 0,
) {
	return limiter.acquire().then(async (release) => {
		log.push([name, clock.now()]);
		if (roundTrip > 0) await clock.wait(roundTrip);
		release();
	});
}

describe('RateLimiter: per second', () => {
	test('5 per second: the first 5 go at once', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });

		expect(await grantTimes(limiter, clock, 5)).toEqual([0, 0, 0, 0, 0]);
	});

	test('5 per second: the 6th waits for the second to pass, but not much longer', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });

		const times = await grantTimes(limiter, clock, 6);

		expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
		expect(times[5]).toBeGreaterThanOrEqual(1000);
		expect(times[5]).toBeLessThanOrEqual(1100);
	});

	test('many concurrent callers: never more than 5 in any second, each batch right after the last', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });

		const times = await grantTimes(limiter, clock, 23);

		expect(mostInAnyWindow(times, 1000)).toBe(5);
		expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
		for (let k = 5; k < times.length; k++) {
			const sinceFifthBefore = times[k] - times[k - 5];
			expect(sinceFifthBefore).toBeGreaterThanOrEqual(1000);
			expect(sinceFifthBefore).toBeLessThanOrEqual(1100);
		}
		expect(times[22]).toBeGreaterThanOrEqual(4000);
		expect(times[22]).toBeLessThanOrEqual(4400);
	});

	test('with a steady round trip the pacing is the same, counted from when requests arrive', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });

		const times = await grantTimes(limiter, clock, 11, 200);

		expect(times.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
		expect(mostInAnyWindow(times, 1000)).toBe(5);
		for (let k = 5; k < times.length; k++) {
			expect(times[k] - times[k - 5]).toBeGreaterThanOrEqual(1000);
			expect(times[k] - times[k - 5]).toBeLessThanOrEqual(1300);
		}
	});

	test('requests spread over time are not held back', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });
		const log: Array<[string, number]> = [];

		for (let i = 0; i < 12; i++) {
			const pending = caller(limiter, clock, log, `r${i}`);
			await clock.runUntil(clock.now());
			await pending;
			await clock.runUntil(clock.now() + 300);
		}

		expect(log.map(([, time]) => time)).toEqual(Array.from({ length: 12 }, (_, i) => i * 300));
	});

	test('a budget of 0 per second turns the per-second window off', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 0, perMinute: 200 });

		const times = await grantTimes(limiter, clock, 200);

		expect(new Set(times)).toEqual(new Set([0]));
	});
});

describe('RateLimiter: round trips', () => {
	test('while none has been answered, a sixth request waits for the first answers', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });
		const log: Array<[string, number]> = [];

		const calls = ['A', 'B', 'C', 'D', 'E'].map((name) => caller(limiter, clock, log, name, 300));
		calls.push(caller(limiter, clock, log, 'F', 100));
		await clock.runUntil(999);
		expect(log.map(([name]) => name)).toEqual(['A', 'B', 'C', 'D', 'E']);
		await clock.runAll();
		await Promise.all(calls);

		expect(Object.fromEntries(log).F).toBeGreaterThanOrEqual(1000);
	});

	test('a request that took longer than the fastest round trip counts as arriving later', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 1, perMinute: 0 });
		const log: Array<[string, number]> = [];

		// A: round trip 100 ms (the fastest). B: 700 ms, so it reached the API about 600 ms after its grant.
		const calls = [
			caller(limiter, clock, log, 'A', 100),
			caller(limiter, clock, log, 'B', 700),
			caller(limiter, clock, log, 'C', 100),
		];
		await clock.runAll();
		await Promise.all(calls);
		const at = Object.fromEntries(log);

		expect(at.B - at.A).toBeGreaterThanOrEqual(1000);
		expect(at.B - at.A).toBeLessThanOrEqual(1200);
		// C keeps a second from B's estimated arrival (grant + 700 − 100), not from B's grant
		expect(at.C - (at.B + 600)).toBeGreaterThanOrEqual(1000);
		expect(at.C - (at.B + 600)).toBeLessThanOrEqual(1100);
	});

	test('releasing twice changes nothing', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 1, perMinute: 0 });
		const log: Array<[string, number]> = [];

		const release = await limiter.acquire();
		release();
		await clock.runUntil(5000);
		release();
		const next = caller(limiter, clock, log, 'B');
		await clock.runAll();
		await next;

		expect(log).toEqual([['B', 5000]]);
	});
});

describe('RateLimiter: per minute', () => {
	test('200 per minute: 200 go at once, the 201st waits for the minute to pass, but not much longer', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 0, perMinute: 200 });

		const times = await grantTimes(limiter, clock, 201);

		expect(times.slice(0, 200).every((time) => time === 0)).toBe(true);
		expect(times[200]).toBeGreaterThanOrEqual(60_000);
		expect(times[200]).toBeLessThanOrEqual(60_100);
	});

	test('both budgets at once: never more than 5 in a second nor 200 in a minute', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });

		const times = await grantTimes(limiter, clock, 206);

		expect(mostInAnyWindow(times, 1000)).toBe(5);
		expect(mostInAnyWindow(times, 60_000)).toBe(200);
		// the 201st has to wait for the first of the minute to be a minute old
		expect(times[200]).toBeGreaterThanOrEqual(60_000);
		expect(times[200]).toBeLessThanOrEqual(60_100);
		// the 200th came from the per-second pacing alone: 39 full seconds after the first
		expect(times[199]).toBeGreaterThanOrEqual(39_000);
		expect(times[199]).toBeLessThan(60_000);
	});

	test('a budget of 0 per minute turns the per-minute window off', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 50, perMinute: 0 });

		const times = await grantTimes(limiter, clock, 400);

		expect(mostInAnyWindow(times, 1000)).toBe(50);
		// 400 at 50 a second take about 8 s: no minute-long wait anywhere
		expect(times[399]).toBeLessThan(10_000);
	});

	test('0 for both turns pacing off: no wait, not even for answers', async () => {
		const clock = new FakeClock();
		const wait = jest.fn(clock.wait);
		const limiter = new RateLimiter({ perSecond: 0, perMinute: 0 }, clock.now, wait);

		// nobody releases: with pacing off nobody waits for anybody's answer either
		const releases = await Promise.all(
			Array.from({ length: 1000 }, async () => await limiter.acquire()),
		);

		expect(releases).toHaveLength(1000);
		expect(clock.now()).toBe(0);
		expect(wait).not.toHaveBeenCalled();
	});
});

describe('RateLimiter: pause()', () => {
	test('pause holds every caller back for the given time', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });

		limiter.pause(2500);
		const times = await grantTimes(limiter, clock, 3);

		expect(times).toEqual([2500, 2500, 2500]);
	});

	test('a shorter pause does not cut a longer one short', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });

		limiter.pause(3000);
		limiter.pause(1000);
		const times = await grantTimes(limiter, clock, 1);

		expect(times).toEqual([3000]);
	});

	test('a pause during a wait moves the waiting callers back', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 1, perMinute: 0 });
		const log: Array<[string, number]> = [];

		const calls = [caller(limiter, clock, log, 'A'), caller(limiter, clock, log, 'B')];
		await clock.runUntil(500);
		expect(log).toEqual([['A', 0]]);
		limiter.pause(4000);
		await clock.runAll();
		await Promise.all(calls);

		expect(log).toEqual([
			['A', 0],
			['B', 4500],
		]);
	});
	// pause() promises to hold back every request after a 429; a budget of 0 only turns pacing off
	test('pause holds callers back also when pacing is off (0 and 0)', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 0, perMinute: 0 });

		limiter.pause(1200);

		expect(await grantTimes(limiter, clock, 2)).toEqual([1200, 1200]);
	});
});

describe('RateLimiter: order', () => {
	test('callers are served first come, first served', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 1, perMinute: 0 });
		const log: Array<[string, number]> = [];

		const first = ['A', 'B', 'C'].map((name) => caller(limiter, clock, log, name));
		await clock.runUntil(500);
		const late = caller(limiter, clock, log, 'D');
		await clock.runAll();
		await Promise.all([...first, late]);

		expect(log.map(([name]) => name)).toEqual(['A', 'B', 'C', 'D']);
		expect(log[0][1]).toBe(0);
		for (let k = 1; k < log.length; k++) {
			expect(log[k][1] - log[k - 1][1]).toBeGreaterThanOrEqual(1000);
			expect(log[k][1] - log[k - 1][1]).toBeLessThanOrEqual(1100);
		}
	});

	test('a budget change applies to callers still waiting', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 1, perMinute: 0 });
		const log: Array<[string, number]> = [];

		const calls = ['A', 'B', 'C'].map((name) => caller(limiter, clock, log, name));
		await clock.runUntil(500);
		expect(log).toEqual([['A', 0]]);
		limiter.setBudget({ perSecond: 0, perMinute: 0 });
		await clock.runAll();
		await Promise.all(calls);

		// B was already waiting for its slot; after it nobody waits any more
		const at = Object.fromEntries(log);
		expect(at.B).toBeGreaterThanOrEqual(1000);
		expect(at.B).toBeLessThanOrEqual(1100);
		expect(at.C).toBe(at.B);
	});
});

describe('sharedLimiter', () => {
	afterEach(() => {
		jest.useRealTimers();
	});

	test('the same key gives the same limiter; another key another one', () => {
		const budget = { perSecond: 5, perMinute: 200 };

		const first = sharedLimiter('https://api.alteg.io/api/v1 key-a', budget);

		expect(sharedLimiter('https://api.alteg.io/api/v1 key-a', budget)).toBe(first);
		expect(sharedLimiter('https://api.alteg.io/api/v1 key-b', budget)).not.toBe(first);
		expect(sharedLimiter('https://api.yclients.com/api/v1 key-a', budget)).not.toBe(first);
	});

	test('asking again with a new budget updates the limiter (fake timers)', async () => {
		jest.useFakeTimers();
		const key = 'https://api.alteg.io/api/v1 key-budget-update';
		let granted = 0;
		const take = async (limiter: RateLimiter) => {
			const release = await limiter.acquire();
			granted++;
			release();
		};

		const limiter = sharedLimiter(key, { perSecond: 0, perMinute: 0 });
		await Promise.all([take(limiter), take(limiter), take(limiter)]);
		expect(granted).toBe(3);

		expect(sharedLimiter(key, { perSecond: 1, perMinute: 0 })).toBe(limiter);
		void take(limiter);
		void take(limiter);
		await jest.advanceTimersByTimeAsync(999);
		expect(granted).toBe(4);
		await jest.advanceTimersByTimeAsync(101);
		expect(granted).toBe(5);

		expect(sharedLimiter(key, { perSecond: 0, perMinute: 0 })).toBe(limiter);
		void take(limiter);
		void take(limiter);
		await jest.advanceTimersByTimeAsync(0);
		expect(granted).toBe(7);
	});
});
