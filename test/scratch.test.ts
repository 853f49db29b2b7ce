import type { RateBudget } from '../nodes/Altegio/transport/rateLimiter';
import {
	RateLimiter,
	sharedLimiter,
	learntKeyCount,
	sharedLimiterCount,
} from '../nodes/Altegio/transport/rateLimiter';

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


test('sim', async () => {
  const lines: string[] = [];
  for (const retryAfter of (process.env.TRACE ? [process.env.TRACE === "ra"] : [true, false])) for (const workers of (process.env.TRACE ? [Number(process.env.TW ?? 3)] : [2, 3])) {
    let tot=0, early=0, fin=0, failed=0; const n=process.env.TRACE ? 1 : 8;
    for (let seed=1; seed<=n; seed++) {
      const clock = new FakeClock(); const random = seeded(seed*7+3);
      const limiters = Array.from({ length: workers }, () => new RateLimiter({ perSecond: 5, perMinute: 200 }, clock.now, clock.wait, random));
      const api = new SimulatedApi({ retryAfter }); const items = workers === 2 ? 130 : 90;
      const r = await runWorkers(limiters, clock, api, items);
      if (seed===1) lines.push(JSON.stringify((r as any).hist)); tot+=r.refusals/(items*workers); early+=r.early; fin+=r.finishedAt/leastTimeMs(items*workers); failed+=r.failed;
    }
    lines.push(`RA=${retryAfter} w=${workers}: refusals ${(100*tot/n).toFixed(1)}% early ${(early/n).toFixed(1)} time ${(fin/n).toFixed(3)} failed ${failed}`);
  }
  { const clock = new FakeClock(); const l = new RateLimiter({ perSecond: 5, perMinute: 200 }, clock.now, clock.wait);
    for (const N of [30]) { const api = new SimulatedApi({ retryAfter: true }); const r = await runWorkers([l], clock, api, N); lines.push(`single N=${N}: ${r.finishedAt} vs ${leastTimeMs(N)} refusals ${r.refusals}`); } }
  console.log(lines.join('\n'));
}, 600000);
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
	const result = { failed: 0, refusals: 0, early: 0, finishedAt: 0 };
	const lookup = async (limiter: RateLimiter, w = 0) => {
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
			if (answer.statusCode === 429) { if (process.env.TRACE && (result as any).trace !== false) console.log(`t=${clock.now()} w=${w} share=${limiters.map(l => l.learnt.share.toFixed(2)).join(',')} ceil=${limiters.map(l => l.learnt.ceiling.toFixed(2)).join(',')}`); result.refusals++; if (clock.now() < 1500) result.early++; (result as any).hist = (result as any).hist ?? {}; const b = Math.floor(clock.now()/5000)*5; (result as any).hist[b] = ((result as any).hist[b] ?? 0) + 1; }
			if (answer.statusCode !== 429 || attempt >= 3) return;
			const delay = answer.retryAfterMs ?? 750 * 2 ** attempt;
			limiter.pause(delay);
			await clock.wait(delay);
		}
	};
	const processes = limiters.map(async (limiter, w) => {
		let next = 0;
		await Promise.all(
			Array.from({ length: 10 }, async () => {
				while (next < items) {
					next++;
					await lookup(limiter, w);
				}
			}),
		);
	});
	const all = Promise.all(processes);
	await clock.runAll();
	await all;
	return result;
}

function seeded(seed: number) {
	let state = seed;
	return () => {
		state = (state * 16807) % 2147483647;
		return state / 2147483647;
	};
}
