import { sleep } from 'n8n-workflow';

export interface RateBudget {
	perSecond: number;
	perMinute: number;
}

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;

// The API counts a request when it arrives, n8n when it leaves: without a margin, two requests
// that leave just over a second apart can arrive within one second.
const WINDOW_MARGIN_MS = 40;

type Clock = () => number;
type Wait = (ms: number) => Promise<void>;

/**
 * Grants request slots so that at most `perSecond` requests start within any second and at most
 * `perMinute` within any minute. A budget of 0 turns that window off.
 */
export class RateLimiter {
	private starts: number[] = [];

	private head = 0;

	private pausedUntil = 0;

	private tail: Promise<void> = Promise.resolve();

	constructor(
		private budget: RateBudget,
		private readonly now: Clock = Date.now,
		private readonly wait: Wait = sleep,
	) {}

	setBudget(budget: RateBudget) {
		this.budget = budget;
	}

	/** Resolves when the caller may send one request; callers are served first come, first served. */
	async acquire(): Promise<void> {
		const granted = this.tail.then(async () => await this.waitForSlot());
		this.tail = granted;
		return await granted;
	}

	/** Holds every request back for `ms`, as after the API answered 429. */
	pause(ms: number) {
		this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
	}

	private async waitForSlot() {
		for (;;) {
			const now = this.now();
			const delay = this.delayAt(now);
			if (delay <= 0) {
				this.record(now);
				return;
			}
			await this.wait(delay);
		}
	}

	private delayAt(now: number): number {
		this.forgetBefore(now - MINUTE_MS - WINDOW_MARGIN_MS);
		return Math.max(
			this.pausedUntil - now,
			this.windowDelay(now, this.budget.perSecond, SECOND_MS),
			this.windowDelay(now, this.budget.perMinute, MINUTE_MS),
		);
	}

	private windowDelay(now: number, limit: number, windowMs: number): number {
		const count = this.starts.length - this.head;
		if (!(limit > 0) || count < limit) return 0;
		const oldestInWindow = this.starts[this.starts.length - Math.floor(limit)];
		return oldestInWindow + windowMs + WINDOW_MARGIN_MS - now;
	}

	private record(now: number) {
		if (this.budget.perSecond > 0 || this.budget.perMinute > 0) this.starts.push(now);
	}

	private forgetBefore(cutoff: number) {
		while (this.head < this.starts.length && this.starts[this.head] < cutoff) this.head++;
		if (this.head > 1024 && this.head * 2 > this.starts.length) {
			this.starts = this.starts.slice(this.head);
			this.head = 0;
		}
	}
}

const limiters = new Map<string, RateLimiter>();

/** One limiter per key for the whole n8n process, shared by all items, nodes and executions. */
export function sharedLimiter(key: string, budget: RateBudget): RateLimiter {
	let limiter = limiters.get(key);
	if (limiter === undefined) {
		limiter = new RateLimiter(budget);
		limiters.set(key, limiter);
	} else {
		limiter.setBudget(budget);
	}
	return limiter;
}
