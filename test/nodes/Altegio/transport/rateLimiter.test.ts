import type { RateBudget } from '../../../../nodes/Altegio/transport/rateLimiter';
import {
	FakeClock,
	leastTimeMs,
	runWorkers,
	seeded,
	SimulatedApi,
} from '../../../helpers/limiterSimulation';
import { LoopWatch } from '../../../../nodes/Altegio/transport/loopWatch';
import {
	RateLimiter,
	sharedLimiter,
	learntKeyCount,
	sharedLimiterCount,
} from '../../../../nodes/Altegio/transport/rateLimiter';

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

/** `crowded`: the limiter has had a 429 before, so it knows another process shares the address. */
function limiterWith(budget: RateBudget, crowded = false) {
	const clock = new FakeClock();
	const learnt = { share: 1, ceiling: 1, crowded };
	return { clock, limiter: new RateLimiter(budget, clock.now, clock.wait, Math.random, learnt) };
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

	test('until a 429, each request counts from its grant: 30 ms for a cold start, then 12 ms a second', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });

		const times = await grantTimes(limiter, clock, 16, 200);

		expect(times).toEqual([
			...[0, 0, 0, 0, 0],
			...[1042, 1042, 1042, 1042, 1042],
			...[2054, 2054, 2054, 2054, 2054],
			3066,
		]);
	});

	test('until a 429, an answer within 30 ms counts from the answer: the request may have left late', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });

		const times = await grantTimes(limiter, clock, 11, 25);

		expect(times).toEqual([0, 0, 0, 0, 0, 1037, 1037, 1037, 1037, 1037, 2074]);
	});

	test('once crowded, each request counts from its answer: one round trip more per second', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 }, true);

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

	test('until a 429, a request slower than the fastest round trip counts later by as much, up to 30 ms', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 1, perMinute: 0 });
		const log: Array<[string, number]> = [];

		const calls = [
			caller(limiter, clock, log, 'A', 100),
			caller(limiter, clock, log, 'B', 120),
			caller(limiter, clock, log, 'C', 300),
			caller(limiter, clock, log, 'D', 100),
		];
		await clock.runAll();
		await Promise.all(calls);

		// A: a cold start, 30 ms; B: 20 ms slower than A; C: 200 ms slower, of which 30 count
		expect(log).toEqual([
			['A', 0],
			['B', 1042],
			['C', 2074],
			['D', 3116],
		]);
	});

	test('until a 429, a request that may start slowly counts 30 ms after its grant while under way, as asked at its grant', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 1, perMinute: 0 });
		let storing = true;
		const granted: number[] = [];
		const take = async (roundTrip: number) => {
			const release = await limiter.acquire(undefined, { slowStart: () => storing });
			granted.push(clock.now());
			await clock.wait(roundTrip);
			release({ statusCode: 200 });
		};

		const calls = [take(100), take(1500), take(1500), take(100)];
		await clock.runUntil(1500);
		storing = false;
		await clock.runAll();
		await Promise.all(calls);

		// A is cold (30 ms); B may start slowly and is still under way (30 ms); C, asked for while the
		// token was being stored but granted after, counts from its grant
		expect(granted).toEqual([0, 1042, 2084, 3096]);
	});

	test('until a 429, a request granted just before the event loop was busy for 75 ms counts from when it was free again', async () => {
		const clock = new FakeClock();
		const learnt = { share: 1, ceiling: 1, crowded: false };
		const loop = new LoopWatch(clock.now, clock.wait);
		const limiter = new RateLimiter(
			{ perSecond: 1, perMinute: 0 },
			clock.now,
			clock.wait,
			Math.random,
			learnt,
			loop,
		);
		const log: Array<[string, number]> = [];

		const calls = [
			caller(limiter, clock, log, 'A', 300),
			caller(limiter, clock, log, 'B', 300),
			caller(limiter, clock, log, 'C', 300),
		];
		await clock.runUntil(2);
		clock.time = 85;
		await clock.runAll();
		await Promise.all(calls);

		// A: free again at 85, later than a cold start's 30 ms; B: on time, as fast as A, from its grant
		expect(log).toEqual([
			['A', 0],
			['B', 1097],
			['C', 2109],
		]);
	});

	test('once crowded, a request that took longer than the fastest round trip counts from its answer', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 1, perMinute: 0 }, true);
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
	test('once crowded, a cold start with an inflated fastest round trip: a request that left late still fits the API window', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 }, true);
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

	/**
	 * 60 lookups by 10 callers, 100 ms each way ±50 %, and now and then a busy event loop before or
	 * after the wire. Returns each request's status with its grant, and when each 429 came back.
	 */
	async function jitteryRun(limiter: RateLimiter, clock: FakeClock, seed: number) {
		const api = new SimulatedApi({ retryAfter: true });
		const random = seeded(seed);
		const jitter = (ms: number) => ms * (0.5 + random());
		let left = 60;
		const sent: Array<{ granted: number; status: number }> = [];
		const refusedAt: number[] = [];
		const all = Promise.all(
			Array.from({ length: 10 }, async () => {
				while (left > 0) {
					left--;
					const release = await limiter.acquire();
					const granted = clock.now();
					await clock.wait((random() < 0.3 ? 200 * random() : 0) + jitter(100));
					const answer = api.arrive(clock.now());
					await clock.wait(20 + jitter(100) + (random() < 0.3 ? 100 * random() : 0));
					release(answer);
					sent.push({ granted, status: answer.statusCode });
					if (answer.statusCode === 429) refusedAt.push(clock.now());
				}
			}),
		);
		await clock.runAll();
		await all;
		return { sent, refusedAt };
	}

	// before the fix, 5 of these 20 runs drew a 429
	for (let seed = 1; seed <= 20; seed++) {
		test(`once crowded, latency jitter of ±50 % and a busy event loop never put a request into a full window (seed ${seed})`, async () => {
			const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 }, true);

			const { sent } = await jitteryRun(limiter, clock, seed);

			expect(sent.filter(({ status }) => status !== 200)).toEqual([]);
			expect(sent).toHaveLength(60);
		});

		test(`until a 429 the same jitter may draw one, and none is granted after it came back (seed ${seed})`, async () => {
			const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 });

			const { sent, refusedAt } = await jitteryRun(limiter, clock, seed);

			const firstRefusal = Math.min(...refusedAt);
			const late = sent.filter(({ granted, status }) => status !== 200 && granted >= firstRefusal);
			expect(late).toEqual([]);
			expect(sent).toHaveLength(60);
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

	test('until a 429 too, the minute counts from answers: the 201st waits a minute from the first answer', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 0, perMinute: 200 });

		const times = await grantTimes(limiter, clock, 201, 300);

		expect(times.slice(0, 200)).toEqual(Array(200).fill(0));
		expect(times[200]).toBe(60_312);
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
			limiter.acquire(undefined, { first: true }).then((release) => {
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

		const times = await grantTimes(limiter, clock, 4, 100);

		expect(times[0]).toBe(0);
		for (let k = 1; k < times.length; k++) {
			expect(times[k] - times[k - 1]).toBeGreaterThanOrEqual(2000);
			// the first after a cold start's 30 ms and the margin of 12
			expect(times[k] - times[k - 1]).toBeLessThanOrEqual(2042);
		}
		// 3 waits for the slots and 4 round trips of the callers themselves
		const limiterWaits = wait.mock.calls.map(([ms]) => ms).filter((ms) => ms !== 100);
		expect(limiterWaits).toHaveLength(3);
		for (const ms of limiterWaits) expect(ms).toBeGreaterThanOrEqual(2000);
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
/** By default the limiter has had its first 429 before: see the test of that one for what it does. */
function learningLimiter(budget: RateBudget, random = 0, crowded = true) {
	const clock = new FakeClock();
	const learnt = { share: 1, ceiling: 1, crowded };
	return { clock, limiter: new RateLimiter(budget, clock.now, clock.wait, () => random, learnt) };
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

	test('a first 429 ever tells a process that it shares the address: it pauses 1 s, then counts from answers', async () => {
		const { clock, limiter } = learningLimiter({ perSecond: 5, perMinute: 0 }, 0, false);

		const burst = await Promise.all([1, 2, 3, 4, 5].map(async () => await limiter.acquire()));
		await clock.runUntil(200);
		burst.forEach((release, i) => release({ statusCode: i < 2 ? 200 : 429 }));
		const times = await grantTimes(limiter, clock, 4, 200);

		expect(limiter.learnt.crowded).toBe(true);
		// the probe once the second of the burst's answers has passed (1 s from the answers, as the
		// limiter counts from answers now), then 70 % of 5 a second given back by 8 % per accepted
		// answer: 1000 / 3.9, 1000 / 4.3 and 1000 / 4.7 ms apart
		expect(times).toEqual([1220, 1477, 1710, 1923]);
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

	test('a cold process that shares the address sends 3, and after a 429 among their answers none of the rest of that second', async () => {
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

	test('a cold process that shares the address: a slow answer holds the rest of the first second back for at most twice the fastest round trip', async () => {
		const { clock, limiter } = limiterWith({ perSecond: 5, perMinute: 200 }, true);
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
		const learnt = { share: 0.5, ceiling: 0.5, crowded: true };
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
});

/** 5 a second and 200 a minute, as the API allows one address. */
const API_BUDGET = { perSecond: 5, perMinute: 200 };

function ratio(ms: number, least: number) {
	return Math.round((ms / least) * 1000) / 1000;
}

// A process alone: issue 21 asks for N = 30 within 1.03× the least time and N = 260 within 1.02×,
// with no 429. Measured to the last grant plus one round trip: how late the answers' jitter makes the
// last one is the API's, not the limiter's. No request leaves late here: 30 ms for a cold start and
// 12 ms to spare per second cost N = 30 1.016× to 1.018×, and up to 1.040× with answers that vary
// ±50 % (up to 30 ms a second more, see LATE_MAX_MS); N = 260 1.003× to 1.015×.
describe('RateLimiter: a process alone at the limits', () => {
	for (const latencyMs of [50, 200, 500]) {
		for (const jitter of [0, 0.5]) {
			test(`${latencyMs} ms round trips${jitter > 0 ? ' ±50 %' : ''}: 30 and 260 lookups close to the least time, with no 429`, async () => {
				for (const [count, bound] of [
					[30, jitter > 0 ? 1.045 : 1.02],
					[260, 1.02],
				]) {
					const clock = new FakeClock();
					const random = seeded(7);
					const limiter = new RateLimiter(API_BUDGET, clock.now, clock.wait, random);
					const api = new SimulatedApi({ retryAfter: true });

					const result = await runWorkers([limiter], clock, api, count, {
						latencyMs,
						jitter,
						random,
					});

					expect(result.refusals).toBe(0);
					expect(result.failed).toBe(0);
					const least = leastTimeMs(count, latencyMs);
					expect(ratio(result.lastGrantAt + latencyMs, least)).toBeLessThanOrEqual(bound);
				}
			});
		}
	}
});

// Queue-mode workers sharing one address, 200 ms round trips; fresh workers first, then the same
// workers' second batch 61 s later, once they know they share it. These bounds hold what the limiter
// does now, so that a change for the worse fails; they are not yet issue 21's targets (3 × 90 fresh
// ≤ 1.1×; second batch ≤ 1 % 429 and ≤ 1.05×; 2 × 20 ≤ 1.3×; 2 × 130 ≤ 1.1×; no failed item).
// Fresh workers each send a full first second, which is where most of their 429s come from; the
// rest are probes of workers that wait while another one holds the address.
describe('RateLimiter: processes sharing one address', () => {
	const bounds = {
		'3 × 90': { time: 1.3, refusals: 0.1, secondTime: 1.3, secondRefusals: 0.1 },
		'2 × 20': { time: 2.1, refusals: 0.14, secondTime: 1.85, secondRefusals: 0.12 },
		// seed 11 draws 5.5 % fresh and 4.1 % in its second batch since a cold start counts 30 ms, not
		// 100 ms (3.3 % and 3.7 % before), and finishes its fresh batch in 1.06×, not 1.12×
		'2 × 130': { time: 1.2, refusals: 0.056, secondTime: 1.2, secondRefusals: 0.042 },
	};
	for (const retryAfter of [true, false]) {
		for (const [shape, bound] of Object.entries(bounds)) {
			const [workers, items] = shape.split(' × ').map(Number);
			test(`${shape}, ${retryAfter ? 'with' : 'without'} Retry-After, seeds 7, 11 and 13: few 429s, close to the least time, fresh and in a second batch`, async () => {
				for (const seed of [7, 11, 13]) {
					const clock = new FakeClock();
					const random = seeded(seed);
					const limiters = Array.from(
						{ length: workers },
						() => new RateLimiter(API_BUDGET, clock.now, clock.wait, random),
					);
					const api = new SimulatedApi({ retryAfter });
					const timing = { latencyMs: 200, jitter: 0, random };
					const least = leastTimeMs(items * workers);

					const fresh = await runWorkers(limiters, clock, api, items, timing);
					await clock.runUntil(clock.now() + 61_000);
					const second = await runWorkers(limiters, clock, api, items, timing);

					expect(fresh.failed).toBe(0);
					expect(fresh.refusals / fresh.requests).toBeLessThanOrEqual(bound.refusals);
					expect(ratio(fresh.finishedAt, least)).toBeLessThanOrEqual(bound.time);
					expect(second.failed).toBe(0);
					expect(second.refusals / second.requests).toBeLessThanOrEqual(bound.secondRefusals);
					expect(ratio(second.finishedAt, least)).toBeLessThanOrEqual(bound.secondTime);
				}
			});
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
