import type { RateBudget } from '../../../../nodes/Altegio/transport/rateLimiter';
import {
	RateLimiter,
	sharedLimiter,
	learntKeyCount,
	sharedLimiterCount,
} from '../../../../nodes/Altegio/transport/rateLimiter';

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

	/** Fires every timer in turn, including those the fired ones set, until none is left. */
	async runAll() {
		for (;;) {
			await flush();
			const due = [...this.timers].sort((a, b) => a.at - b.at)[0];
			if (due === undefined) return;
			this.timers.splice(this.timers.indexOf(due), 1);
			this.time = Math.max(this.time, due.at);
			due.resolve();
		}
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

	test('with a steady round trip each request counts from its answer: one round trip more per second', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });

		const times = await grantTimes(limiter, clock, 11, 200);

		// a cold process sends 3, and the rest of its first second once those are answered
		expect(times.slice(0, 5)).toEqual([0, 0, 0, 200, 200]);
		expect(mostInAnyWindow(times, 1000)).toBe(5);
		for (let k = 5; k < times.length; k++) {
			expect(times[k] - times[k - 5]).toBeGreaterThanOrEqual(1200);
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

	test('a request that took longer than the fastest round trip counts from its answer', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 1, perMinute: 0 });
		const log: Array<[string, number]> = [];

		// A: round trip 100 ms (the fastest). B: 700 ms: it may have reached the API just before its answer.
		const calls = [
			caller(limiter, clock, log, 'A', 100),
			caller(limiter, clock, log, 'B', 700),
			caller(limiter, clock, log, 'C', 100),
		];
		await clock.runAll();
		await Promise.all(calls);
		const at = Object.fromEntries(log);

		expect(at.B - at.A).toBeGreaterThanOrEqual(1100);
		expect(at.B - at.A).toBeLessThanOrEqual(1200);
		// C keeps a second from B's answer, not from B's grant nor from a guess in between
		expect(at.C - (at.B + 700)).toBeGreaterThanOrEqual(1000);
		expect(at.C - (at.B + 700)).toBeLessThanOrEqual(1100);
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

/**
 * One request the way the limiter cannot see it: held `beforeWire` ms in our own process (a busy
 * event loop, a cold connection), `out` ms on the way, answered by the API 20 ms after it arrived,
 * `back` ms on the way back and `afterWire` ms until our process reads it. Returns the API's status.
 */
async function sendThrough(
	limiter: RateLimiter,
	clock: FakeClock,
	api: SimulatedApi,
	timing: { beforeWire: number; out: number; back: number; afterWire: number },
): Promise<number> {
	const release = await limiter.acquire();
	await clock.wait(timing.beforeWire + timing.out);
	const answer = api.arrive(clock.now());
	await clock.wait(20 + timing.back + timing.afterWire);
	release(answer);
	return answer.statusCode;
}

describe('RateLimiter: arrivals it cannot see', () => {
	test('a cold start with an inflated fastest round trip: a request that left late still fits the API window', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });
		const api = new SimulatedApi({ retryAfter: true });
		// A busy process: the fastest answer takes 70 ms, of which the API spends 20, so the limiter
		// cannot tell when any request went out. E, granted at 140 ms, leaves our process 200 ms later;
		// the requests after it leave at once, and their answers are read 50 ms late.
		const timings = [
			{ beforeWire: 50, afterWire: 0 },
			{ beforeWire: 100, afterWire: 0 },
			{ beforeWire: 150, afterWire: 0 },
			{ beforeWire: 0, afterWire: 50 },
			{ beforeWire: 200, afterWire: 0 },
			...Array.from({ length: 5 }, () => ({ beforeWire: 0, afterWire: 50 })),
		];

		const calls = timings.map(
			async (timing) => await sendThrough(limiter, clock, api, { ...timing, out: 0, back: 0 }),
		);
		await clock.runAll();

		// before the fix the 10th request reached the API 970 ms after E and was refused
		expect(await Promise.all(calls)).toEqual(timings.map(() => 200));
	});

	// 100 ms each way ±50 %, and now and then a busy event loop before or after the wire: before the
	// fix, 5 of these 20 runs drew a 429
	for (let seed = 1; seed <= 20; seed++) {
		test(`latency jitter of ±50 % and a busy event loop never put a request into a full window (seed ${seed})`, async () => {
			const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });
			const api = new SimulatedApi({ retryAfter: true });
			const random = seeded(seed);
			const jitter = (ms: number) => ms * (0.5 + random());
			let left = 60;

			const statuses: number[] = [];
			const all = Promise.all(
				Array.from({ length: 10 }, async () => {
					while (left > 0) {
						left--;
						const timing = {
							beforeWire: random() < 0.3 ? 200 * random() : 0,
							out: jitter(100),
							back: jitter(100),
							afterWire: random() < 0.3 ? 100 * random() : 0,
						};
						statuses.push(await sendThrough(limiter, clock, api, timing));
					}
				}),
			);
			await clock.runAll();
			await all;

			expect(statuses.filter((status) => status !== 200)).toEqual([]);
			expect(statuses).toHaveLength(60);
		});
	}
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

	test('a caller that asks to go first goes ahead of those already waiting', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 1, perMinute: 0 });
		const log: Array<[string, number]> = [];

		const calls = ['A', 'B', 'C'].map((name) => caller(limiter, clock, log, name));
		await clock.runUntil(100);
		calls.push(
			limiter.acquire(undefined, true).then((release) => {
				log.push(['sign-in', clock.now()]);
				release();
			}),
		);
		await clock.runAll();
		await Promise.all(calls);

		expect(log.map(([name]) => name)).toEqual(['A', 'sign-in', 'B', 'C']);
	});

	test('a slot given back unsent counts in no window', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 1, perMinute: 0 });

		(await limiter.acquire())({ unsent: true });

		expect(await grantTimes(limiter, clock, 1)).toEqual([0]);
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

		// B and C were waiting for their slots; with pacing off they go at once
		expect(log).toEqual([
			['A', 0],
			['B', 500],
			['C', 500],
		]);
	});
});

describe('RateLimiter: fractional budgets', () => {
	test('0.5 per second: one request every 2 s, each after a single wait', async () => {
		const clock = new FakeClock();
		const wait = jest.fn(clock.wait);
		const limiter = new RateLimiter({ perSecond: 0.5, perMinute: 0 }, clock.now, wait);

		const times = await grantTimes(limiter, clock, 4);

		expect(times[0]).toBe(0);
		for (let k = 1; k < times.length; k++) {
			expect(times[k] - times[k - 1]).toBeGreaterThanOrEqual(2000);
			expect(times[k] - times[k - 1]).toBeLessThanOrEqual(2100);
		}
		expect(wait).toHaveBeenCalledTimes(3);
		for (const [ms] of wait.mock.calls) expect(ms).toBeGreaterThanOrEqual(2000);
	});

	test('2.5 per second never lets 3 into one second, and still lets 2 a second through', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 2.5, perMinute: 0 });

		const times = await grantTimes(limiter, clock, 12);

		expect(mostInAnyWindow(times, 1000)).toBe(2);
		expect(times[11]).toBeLessThanOrEqual(5 * 1100);
	});

	test('0.5 per minute: one request every 2 minutes', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 0, perMinute: 0.5 });

		const times = await grantTimes(limiter, clock, 3);

		expect(times[1] - times[0]).toBeGreaterThanOrEqual(120_000);
		expect(times[2] - times[1]).toBeGreaterThanOrEqual(120_000);
		expect(times[2]).toBeLessThanOrEqual(240_200);
	});

	test('a queue of waiters takes one timer per grant, each for the full wait', async () => {
		const clock = new FakeClock();
		const wait = jest.fn(clock.wait);
		const limiter = new RateLimiter({ perSecond: 1, perMinute: 0 }, clock.now, wait);

		await grantTimes(limiter, clock, 6, 100);

		// 5 waits for the slots and 6 round trips of the callers themselves
		const limiterWaits = wait.mock.calls.map(([ms]) => ms).filter((ms) => ms !== 100);
		expect(limiterWaits).toHaveLength(5);
		for (const ms of limiterWaits) expect(ms).toBeGreaterThanOrEqual(800);
	});
});

describe('RateLimiter: clock', () => {
	afterEach(() => {
		jest.useRealTimers();
	});

	test('a backward step of the wall clock does not stall waiting callers', async () => {
		jest.useFakeTimers();
		const limiter = new RateLimiter({ perSecond: 1, perMinute: 0 });
		let granted = 0;
		const take = async () => {
			const release = await limiter.acquire();
			granted++;
			release();
		};

		void take();
		void take();
		await jest.advanceTimersByTimeAsync(0);
		expect(granted).toBe(1);
		jest.setSystemTime(Date.now() - 3_600_000);
		await jest.advanceTimersByTimeAsync(1100);

		expect(granted).toBe(2);
	});
});

describe('RateLimiter: failures and cancels', () => {
	test('an instant failure without an answer does not slow the pacing that follows', async () => {
		const fresh = limiterWith({ perSecond: 5, perMinute: 0 });
		const expected = await grantTimes(fresh.limiter, fresh.clock, 26, 200);
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 0 });

		// a refused connection: released at once, without a status
		(await limiter.acquire())({});
		await clock.runUntil(1100);
		const times = await grantTimes(limiter, clock, 26, 200);

		expect(times.map((time) => time - 1100)).toEqual(expected);
	});

	test('a request that failed without an answer still counts in its window', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 1, perMinute: 0 });

		(await limiter.acquire())({});
		const times = await grantTimes(limiter, clock, 1);

		expect(times[0]).toBeGreaterThanOrEqual(1000);
	});

	test('an aborted waiter rejects at once and leaves the queue; the next one takes its place', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 1, perMinute: 0 });
		const log: Array<[string, number]> = [];
		const controller = new AbortController();

		const first = caller(limiter, clock, log, 'A');
		const cancelled = limiter.acquire(controller.signal);
		const third = caller(limiter, clock, log, 'C');
		await clock.runUntil(300);
		controller.abort(new Error('The execution was cancelled'));

		await expect(cancelled).rejects.toThrow('The execution was cancelled');
		expect(clock.now()).toBe(300);
		await clock.runAll();
		await Promise.all([first, third]);
		expect(log[1][0]).toBe('C');
		expect(log[1][1]).toBeGreaterThanOrEqual(1000);
		expect(log[1][1]).toBeLessThanOrEqual(1100);
	});

	test('an already aborted signal rejects without taking a slot', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 1, perMinute: 0 });
		const controller = new AbortController();
		controller.abort(new Error('cancelled before'));

		await expect(limiter.acquire(controller.signal)).rejects.toThrow('cancelled before');
		expect(await grantTimes(limiter, clock, 1)).toEqual([0]);
	});
});

/** A limiter whose random jitter is fixed, so that pauses after a 429 are exact. */
function learningLimiter(budget: RateBudget, random = 0) {
	const clock = new FakeClock();
	return { clock, limiter: new RateLimiter(budget, clock.now, clock.wait, () => random) };
}

/** A small deterministic generator (Park–Miller), so that simulated runs repeat exactly. */
function seeded(seed: number) {
	let state = seed;
	return () => {
		state = (state * 16807) % 2147483647;
		return state / 2147483647;
	};
}

describe('RateLimiter: learning from 429', () => {
	test('a 429 with Retry-After holds everyone back until then, then one request at a time until one is accepted', async () => {
		const { clock, limiter } = learningLimiter({ perSecond: 4, perMinute: 0 });
		const log: Array<[string, number]> = [];

		(await limiter.acquire())({ statusCode: 429, retryAfterMs: 3000 });
		// the probe is answered 200 ms after its grant; nobody goes while it is under way
		const calls = ['A', 'B', 'C'].map((name) => caller(limiter, clock, log, name, 200));
		await clock.runAll();
		await Promise.all(calls);

		expect(log[0]).toEqual(['A', 3000]);
		expect(log[1][1]).toBeGreaterThanOrEqual(3200);
	});

	test('after a 429 the per-second budget drops to 70 %', async () => {
		const { clock, limiter } = learningLimiter({ perSecond: 4, perMinute: 0 });

		(await limiter.acquire())({ statusCode: 429, retryAfterMs: 1000 });
		const times = await grantTimes(limiter, clock, 3);

		// after the pause of 3 s, 2.8 a second, spaced; the accepted probe gives 8 % of the budget
		// back: 3.12 a second
		expect(times[0]).toBe(3000);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(315);
		expect(times[1] - times[0]).toBeLessThanOrEqual(325);
	});

	test('accepted answers give the budget back quickly up to where the last 429 came, slowly above it', async () => {
		const { clock, limiter } = learningLimiter({ perSecond: 4, perMinute: 0 });
		const gaps = (times: number[]) => times.slice(1).map((time, i) => time - times[i]);
		const refuse = async () => {
			// a second later: this process holds none of the window it is refused in
			await clock.runUntil(clock.now() + 1000);
			const pending = limiter.acquire();
			await clock.runAll();
			(await pending)({ statusCode: 429, retryAfterMs: 1000 });
		};

		// a 429 at the full budget (4 a second), then 4 answers: back at the full budget
		await refuse();
		await grantTimes(limiter, clock, 4);
		expect(mostInAnyWindow(await grantTimes(limiter, clock, 8), 1000)).toBe(4);
		// a 429 at the full budget, one accepted answer (78 %), and a 429 there: 3 answers bring it
		// back from 55 % to 78 %, where the last 429 came
		await refuse();
		await grantTimes(limiter, clock, 1);
		await refuse();
		const back = gaps(await grantTimes(limiter, clock, 12));
		const later = gaps(await grantTimes(limiter, clock, 60));

		// between 78 % and 85 % of 4 a second: 295 to 325 ms apart
		expect(Math.min(...back.slice(4))).toBeGreaterThanOrEqual(295);
		expect(Math.max(...back.slice(4))).toBeLessThanOrEqual(325);
		// 60 answers later still below the full budget: more than 250 ms apart
		expect(Math.min(...later.slice(-5))).toBeGreaterThan(255);
	});

	test('without Retry-After it pauses on its own: 3 s, 6 s, then 8 s each time', async () => {
		const { clock, limiter } = learningLimiter({ perSecond: 5, perMinute: 0 });
		const granted: number[] = [];

		for (let i = 0; i < 6; i++) {
			const pending = limiter.acquire();
			await clock.runAll();
			const release = await pending;
			granted.push(clock.now());
			release({ statusCode: 429 });
		}

		const gaps = granted.slice(1).map((time, i) => time - granted[i]);
		expect(gaps).toEqual([3000, 6000, 8000, 8000, 8000]);
	});

	test('each pause after a 429 is longer by up to twice its backoff, at random', async () => {
		const { clock, limiter } = learningLimiter({ perSecond: 5, perMinute: 0 }, 0.5);
		const granted: number[] = [];

		for (let i = 0; i < 4; i++) {
			const pending = limiter.acquire();
			await clock.runAll();
			const release = await pending;
			granted.push(clock.now());
			// a Retry-After of 1 s: the pause is still the backoff's, plus its jitter
			release({ statusCode: 429, retryAfterMs: 1000 });
		}

		const gaps = granted.slice(1).map((time, i) => time - granted[i]);
		expect(gaps).toEqual([6000, 12_000, 16_000]);
	});

	test('a burst answered 429 counts as one refusal, not one per request', async () => {
		const { clock, limiter } = learningLimiter({ perSecond: 4, perMinute: 0 });

		const burst = await Promise.all([1, 2, 3].map(async () => await limiter.acquire()));
		for (const release of burst) release({ statusCode: 429 });
		const times = await grantTimes(limiter, clock, 5);

		// one cut (4 → 2.8 a second, 3.12 after the accepted probe) and one pause of 3 s, not three of each
		expect(times[0]).toBeGreaterThanOrEqual(3000);
		expect(times[0]).toBeLessThanOrEqual(3020);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(315);
		expect(times[1] - times[0]).toBeLessThanOrEqual(325);
	});

	test('a cold process sends 3, and after a 429 among their answers none of the rest of that second', async () => {
		const { clock, limiter } = learningLimiter({ perSecond: 5, perMinute: 0 });
		const log: Array<[string, number]> = [];

		const first = await Promise.all([1, 2, 3].map(async () => await limiter.acquire()));
		const rest = ['D', 'E'].map((name) => caller(limiter, clock, log, name, 200));
		await clock.runUntil(200);
		expect(log).toEqual([]);
		first[0]({ statusCode: 200 });
		first[1]({ statusCode: 200 });
		first[2]({ statusCode: 429 });
		await clock.runAll();
		await Promise.all(rest);

		// not at 200 ms, when the answers came, but after the pause of 3 s, one at a time
		expect(log[0]).toEqual(['D', 3200]);
		expect(log[1][1]).toBeGreaterThanOrEqual(3400);
	});

	test('a cold answer that is slow holds the rest of the first second back for at most twice the fastest round trip', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });
		const log: Array<[string, number]> = [];

		const calls = [
			caller(limiter, clock, log, 'A', 200),
			caller(limiter, clock, log, 'B', 200),
			caller(limiter, clock, log, 'C', 20_000),
			caller(limiter, clock, log, 'D', 200),
		];
		await clock.runUntil(1000);
		expect(log).toEqual([
			['A', 0],
			['B', 0],
			['C', 0],
			['D', 400],
		]);
		await clock.runAll();
		await Promise.all(calls);
	});

	test('the process that held most of the last second keeps its share on one 429, not on a second', async () => {
		const { clock, limiter } = learningLimiter({ perSecond: 5, perMinute: 0 });
		(await limiter.acquire())({ statusCode: 200 });
		// a second's 5 slots, answered after 100 ms: 4 accepted, the 5th refused
		const fullSecond = async () => {
			await clock.runUntil(clock.now() + 1100);
			const releases = await Promise.all([1, 2, 3, 4, 5].map(async () => await limiter.acquire()));
			await clock.runUntil(clock.now() + 100);
			releases.forEach((release, i) => release({ statusCode: i < 4 ? 200 : 429 }));
		};

		// no pause: one probe as soon as the second allows it, then the full budget again
		await fullSecond();
		const refusedAt = clock.now();
		const again = await grantTimes(limiter, clock, 10, 100);
		expect(again[0] - refusedAt).toBeLessThanOrEqual(1100);
		expect(mostInAnyWindow(again, 1000)).toBe(5);
		// a 429 to the probe that follows is not let pass: 70 % of the budget, 78 % after one answer
		await fullSecond();
		const probe = limiter.acquire();
		await clock.runAll();
		(await probe)({ statusCode: 429 });
		const times = await grantTimes(limiter, clock, 3);
		expect(times[1] - times[0]).toBeGreaterThanOrEqual(250);
		expect(times[1] - times[0]).toBeLessThanOrEqual(260);
	});

	test('a share learnt from 429 answers applies to the per-minute budget too', async () => {
		const clock = new FakeClock();
		const learnt = { share: 0.5, ceiling: 0.5 };
		const limiter = new RateLimiter(
			{ perSecond: 0, perMinute: 200 },
			clock.now,
			clock.wait,
			Math.random,
			learnt,
		);
		const times: number[] = [];

		const calls = Array.from({ length: 101 }, async () => {
			const release = await limiter.acquire();
			times.push(clock.now());
			// no answer (a network failure): nothing is learnt, the share stays at half
			release({});
		});
		await clock.runAll();
		await Promise.all(calls);

		expect(times.filter((time) => time === 0)).toHaveLength(100);
		expect(times[100]).toBeGreaterThanOrEqual(60_000);
	});

	test('a waiter cancelled during a long pause leaves no long timer behind', async () => {
		const clock = new FakeClock();
		const wait = jest.fn(clock.wait);
		const limiter = new RateLimiter({ perSecond: 5, perMinute: 0 }, clock.now, wait);
		const controller = new AbortController();

		limiter.pause(120_000);
		const waiting = limiter.acquire(controller.signal);
		await clock.runUntil(1000);
		controller.abort(new Error('cancelled'));
		await expect(waiting).rejects.toThrow('cancelled');
		await clock.runAll();

		// the last timer fired within 5 s, and none followed it
		expect(clock.now()).toBeLessThanOrEqual(5000);
		for (const [ms] of wait.mock.calls) expect(ms).toBeLessThanOrEqual(5000);
	});

	test('a long pause still ends on time, in timers of at most 5 s', async () => {
		const { clock, limiter } = learningLimiter({ perSecond: 5, perMinute: 0 });

		limiter.pause(12_500);

		expect(await grantTimes(limiter, clock, 1)).toEqual([12_500]);
	});

	test('a process alone under its budget never slows down', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });
		const api = new SimulatedApi({ retryAfter: true });

		const result = await runWorkers([limiter], clock, api, 260);

		expect(result.refusals).toBe(0);
		expect(result.failed).toBe(0);
		expect(result.finishedAt / leastTimeMs(260)).toBeLessThanOrEqual(1.1);
	});

	// The first design (halving, a fiftieth back per answer, no jitter) drew 12 % to 13 % refusals
	// with 3 processes here, and 5 % to 6 % with 2; the one before the cold burst of 3, 7 % to 8 %
	// and 4 % to 5 %. Of what is left, 6 (3 processes) or 3 (2) come in the first second, and
	// most of the rest are probes of the processes that wait while another one holds the address.
	// Counting each request from its answer rather than from a guess at its arrival moved these runs
	// from 3.7 % to 7.0 % refusals (3 processes) and 2.7 % to 3.5 % (2) to 5.6 % to 9.3 % and
	// 2.7 % to 4.2 %, and from 1.01× to 1.20× the least time to 1.05× to 1.19×.
	for (const retryAfter of [true, false]) {
		for (const workers of [2, 3]) {
			for (const seed of [7, 11, 13]) {
				test(`${workers} processes sharing one API limit (${retryAfter ? 'with' : 'without'} Retry-After, jitter seed ${seed}): no item fails, few 429s, close to the least time`, async () => {
					const clock = new FakeClock();
					const random = seeded(seed);
					const limiters = Array.from(
						{ length: workers },
						() => new RateLimiter({ perSecond: 5, perMinute: 200 }, clock.now, clock.wait, random),
					);
					const api = new SimulatedApi({ retryAfter });
					const items = workers === 2 ? 130 : 90;

					const result = await runWorkers(limiters, clock, api, items);

					expect(result.failed).toBe(0);
					expect(result.refusals / (items * workers)).toBeLessThanOrEqual(
						workers === 2 ? 0.045 : 0.1,
					);
					expect(result.finishedAt / leastTimeMs(items * workers)).toBeLessThanOrEqual(1.25);
				});
			}
		}
	}
});

describe('sharedLimiter', () => {
	afterEach(() => {
		jest.useRealTimers();
	});

	test('the same key and budget give the same limiter; another key another one', () => {
		const budget = { perSecond: 5, perMinute: 200 };

		const first = sharedLimiter('https://api.alteg.io/api/v1 key-a', budget);

		expect(sharedLimiter('https://api.alteg.io/api/v1 key-a', { ...budget })).toBe(first);
		expect(sharedLimiter('https://api.alteg.io/api/v1 key-b', budget)).not.toBe(first);
		expect(sharedLimiter('https://api.yclients.com/api/v1 key-a', budget)).not.toBe(first);
	});

	test('credentials sharing a key keep their own budgets', async () => {
		jest.useFakeTimers();
		const key = 'https://api.alteg.io/api/v1 key-two-budgets';
		const granted: string[] = [];
		const take = async (limiter: RateLimiter, name: string) => {
			const release = await limiter.acquire();
			granted.push(name);
			release();
		};

		const slow = sharedLimiter(key, { perSecond: 1, perMinute: 0 });
		const fast = sharedLimiter(key, { perSecond: 5, perMinute: 0 });
		const calls = [1, 2, 3].map(async () => await take(slow, 'slow'));
		calls.push(...[1, 2, 3].map(async () => await take(fast, 'fast')));
		await jest.advanceTimersByTimeAsync(500);

		expect(granted.filter((name) => name === 'slow')).toHaveLength(1);
		expect(granted.filter((name) => name === 'fast')).toHaveLength(3);
		await jest.advanceTimersByTimeAsync(2100);
		await Promise.all(calls);
	});

	test('limiters left idle are dropped', async () => {
		jest.useFakeTimers();
		const budget = { perSecond: 5, perMinute: 200 };

		const before = sharedLimiterCount();
		for (let i = 0; i < 50; i++) {
			const release = await sharedLimiter(
				`https://api.alteg.io/api/v1 idle-${i}`,
				budget,
			).acquire();
			release({ statusCode: 200 });
		}
		expect(sharedLimiterCount()).toBe(before + 50);
		await jest.advanceTimersByTimeAsync(61_000);
		sharedLimiter('https://api.alteg.io/api/v1 after-idle', budget);

		expect(sharedLimiterCount()).toBeLessThanOrEqual(before + 1);
	});

	test('what limiters learnt is kept for at most 100 keys', () => {
		for (let i = 0; i < 150; i++)
			sharedLimiter(`https://api.alteg.io/api/v1 many-${i}`, { perSecond: 5, perMinute: 200 });

		expect(learntKeyCount()).toBe(100);
	});

	test('what a limiter learnt from a 429 outlives it: the next one starts at the lower budget', async () => {
		jest.useFakeTimers();
		const key = 'https://api.alteg.io/api/v1 key-learnt';
		const budget = { perSecond: 5, perMinute: 200 };

		const first = sharedLimiter(key, budget);
		(await first.acquire())({ statusCode: 429, retryAfterMs: 1000 });
		await jest.advanceTimersByTimeAsync(70_000);
		const next = sharedLimiter(key, budget);
		const granted: number[] = [];
		const calls = [1, 2].map(async () => {
			const release = await next.acquire();
			granted.push(Date.now());
			release({ statusCode: 200 });
		});
		await jest.advanceTimersByTimeAsync(1000);
		await Promise.all(calls);

		expect(next).not.toBe(first);
		// spaced instead of 5 at once: 70 % of 5 a second, 78 % after the first accepted answer (256 ms)
		expect(granted[1] - granted[0]).toBeGreaterThanOrEqual(250);
		expect(granted[1] - granted[0]).toBeLessThanOrEqual(265);
	});
});

/** A fake of the API's limit for everyone: sliding windows of accepted requests, as the sandbox has. */
class SimulatedApi {
	private accepted: number[] = [];

	constructor(private readonly options: { retryAfter: boolean }) {}

	arrive(at: number): { statusCode: number; retryAfterMs?: number } {
		const wait = Math.max(this.windowWait(at, 5, 1000), this.windowWait(at, 200, 60_000));
		if (wait <= 0) {
			this.accepted.push(at);
			return { statusCode: 200 };
		}
		if (!this.options.retryAfter) return { statusCode: 429 };
		return { statusCode: 429, retryAfterMs: Math.max(1, Math.ceil(wait / 1000)) * 1000 };
	}

	private windowWait(at: number, limit: number, ms: number): number {
		if (this.accepted.length < limit) return 0;
		return this.accepted[this.accepted.length - limit] + ms - at;
	}
}

/** The least time `count` requests can take under 5/s and 200/min with a 200 ms round trip. */
function leastTimeMs(count: number): number {
	const starts: number[] = [];
	for (let k = 0; k < count; k++) {
		starts.push(
			Math.max(0, k >= 5 ? starts[k - 5] + 1000 : 0, k >= 200 ? starts[k - 200] + 60_000 : 0),
		);
	}
	return starts[count - 1] + 200;
}

/**
 * Each limiter is one process with `items` lookups, 10 in flight as the router runs them, sent the
 * way the transport sends them: 100 ms to the API and 100 ms back, up to 3 retries after a 429,
 * waiting for Retry-After or a backoff and pausing the limiter for as long.
 */
async function runWorkers(
	limiters: RateLimiter[],
	clock: FakeClock,
	api: SimulatedApi,
	items: number,
) {
	const result = { failed: 0, refusals: 0, finishedAt: 0 };
	const lookup = async (limiter: RateLimiter) => {
		for (let attempt = 0; ; attempt++) {
			const release = await limiter.acquire();
			await clock.wait(100);
			const answer = api.arrive(clock.now());
			await clock.wait(100);
			release(answer);
			if (answer.statusCode !== 429 || attempt >= 3) {
				if (answer.statusCode === 429) result.failed++;
				result.finishedAt = Math.max(result.finishedAt, clock.now());
			}
			if (answer.statusCode === 429) result.refusals++;
			if (answer.statusCode !== 429 || attempt >= 3) return;
			const delay = answer.retryAfterMs ?? 750 * 2 ** attempt;
			limiter.pause(delay);
			await clock.wait(delay);
		}
	};
	const processes = limiters.map(async (limiter) => {
		let next = 0;
		await Promise.all(
			Array.from({ length: 10 }, async () => {
				while (next < items) {
					next++;
					await lookup(limiter);
				}
			}),
		);
	});
	const all = Promise.all(processes);
	await clock.runAll();
	await all;
	return result;
}
