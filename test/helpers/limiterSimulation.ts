import type { RateLimiter } from '../../nodes/Altegio/transport/rateLimiter';

/** A fake clock with a timer queue: `wait(ms)` resolves only when the test moves time past it. */
export class FakeClock {
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
export async function flush() {
	for (let i = 0; i < 3; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** A small deterministic generator (Park–Miller), so that simulated runs repeat exactly. */
export function seeded(seed: number) {
	let state = seed;
	return () => {
		state = (state * 16807) % 2147483647;
		return state / 2147483647;
	};
}

/** A fake of the API's limit for everyone: sliding windows of accepted requests, as the sandbox has. */
export class SimulatedApi {
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

/** The least time `count` requests can take under 5/s and 200/min with a round trip of `latencyMs`. */
export function leastTimeMs(count: number, latencyMs = 200): number {
	const starts: number[] = [];
	for (let k = 0; k < count; k++) {
		starts.push(
			Math.max(0, k >= 5 ? starts[k - 5] + 1000 : 0, k >= 200 ? starts[k - 200] + 60_000 : 0),
		);
	}
	return starts[count - 1] + latencyMs;
}

/**
 * How a simulated request travels: `latencyMs` for the round trip, half of it each way. With
 * `jitter` (0 to 1) the API's answer takes from (1 - jitter) to (1 + jitter) times its half, as in
 * the sandbox: the request still arrives when it would.
 */
export interface Timing {
	latencyMs: number;
	jitter: number;
	random: () => number;
}

/**
 * Each limiter is one process with `items` lookups, 10 in flight as the router runs them, sent the
 * way the transport sends them: up to 3 retries after a 429, waiting for Retry-After or a backoff
 * and pausing the limiter for as long. Times are from the start of the run.
 */
export async function runWorkers(
	limiters: RateLimiter[],
	clock: FakeClock,
	api: SimulatedApi,
	items: number,
	timing: Timing = { latencyMs: 200, jitter: 0, random: Math.random },
) {
	const start = clock.now();
	/** lastGrantAt: when the last request was granted, which the answers' jitter does not move. */
	const result = { failed: 0, refusals: 0, requests: 0, finishedAt: 0, lastGrantAt: 0 };
	const half = timing.latencyMs / 2;
	const lookup = async (limiter: RateLimiter) => {
		for (let attempt = 0; ; attempt++) {
			const release = await limiter.acquire();
			result.requests++;
			result.lastGrantAt = clock.now() - start;
			await clock.wait(half);
			const answer = api.arrive(clock.now());
			const spread = timing.jitter > 0 ? timing.jitter * (2 * timing.random() - 1) : 0;
			await clock.wait(half * (1 + spread));
			release(answer);
			if (answer.statusCode !== 429 || attempt >= 3) {
				if (answer.statusCode === 429) result.failed++;
				result.finishedAt = Math.max(result.finishedAt, clock.now() - start);
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
