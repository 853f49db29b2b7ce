import { sleep } from 'n8n-workflow';

export interface RateBudget {
	perSecond: number;
	perMinute: number;
}

export type Release = () => void;

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;
const WINDOW_MARGIN_MS = 20;

type Clock = () => number;
type Wait = (ms: number) => Promise<void>;

interface Slot {
	granted: number;
	/** Time from grant to answer; unknown while the request is under way. */
	roundTrip?: number;
	/** Granted before any round trip was known: counts from its answer. */
	untimed: boolean;
}

/**
 * Grants request slots so that at most `perSecond` requests reach the API within any second and at
 * most `perMinute` within any minute. A budget of 0 turns that window off.
 *
 * The API counts a request when it arrives, which can be later than when its slot was granted: the
 * process may be busy, or cold, before the request goes out. So a request counts from its grant
 * time plus however much longer its round trip took than the fastest one seen, and a request still
 * under way counts as arriving no earlier than one fastest round trip ago: a request's delays before
 * it reaches the API show up in its round trip. Requests granted before any round trip was known,
 * such as the first ones of a cold process, count from their answer.
 */
export class RateLimiter {
	private slots: Slot[] = [];

	private head = 0;

	private fastestRoundTrip = Infinity;

	private pausedUntil = 0;

	private tail: Promise<unknown> = Promise.resolve();

	constructor(
		private budget: RateBudget,
		private readonly now: Clock = Date.now,
		private readonly wait: Wait = sleep,
	) {}

	setBudget(budget: RateBudget) {
		this.budget = budget;
	}

	/**
	 * Resolves when the caller may send one request; callers are served first come, first served.
	 * Call the returned release as soon as the answer (or the failure) has arrived.
	 */
	async acquire(): Promise<Release> {
		const granted = this.tail.then(async () => await this.grant());
		this.tail = granted;
		return await granted;
	}

	/** Holds every request back for `ms`, as after the API answered 429. */
	pause(ms: number) {
		this.pausedUntil = Math.max(this.pausedUntil, this.now() + ms);
	}

	private async grant(): Promise<Release> {
		for (;;) {
			const now = this.now();
			const delay = this.delayAt(now);
			if (delay <= 0) break;
			await this.wait(delay);
		}
		if (!this.paced()) return () => {};

		const slot: Slot = { granted: this.now(), untimed: !Number.isFinite(this.fastestRoundTrip) };
		this.slots.push(slot);
		return () => {
			if (slot.roundTrip !== undefined) return;
			slot.roundTrip = Math.max(0, this.now() - slot.granted);
			this.fastestRoundTrip = Math.min(this.fastestRoundTrip, slot.roundTrip);
		};
	}

	private paced() {
		return this.budget.perSecond > 0 || this.budget.perMinute > 0;
	}

	private delayAt(now: number): number {
		this.forgetBefore(now - MINUTE_MS - WINDOW_MARGIN_MS);
		const counted = this.slots.slice(this.head).map((slot) => this.countsFrom(slot, now));
		return Math.max(
			this.pausedUntil - now,
			windowDelay(counted, now, this.budget.perSecond, SECOND_MS),
			windowDelay(counted, now, this.budget.perMinute, MINUTE_MS),
		);
	}

	private countsFrom(slot: Slot, now: number): number {
		const fastest = slot.untimed ? 0 : this.fastestRoundTrip;
		if (slot.roundTrip === undefined) return Math.max(slot.granted, now - fastest);
		return slot.granted + slot.roundTrip - fastest;
	}

	private forgetBefore(cutoff: number) {
		while (this.head < this.slots.length) {
			const slot = this.slots[this.head];
			if (slot.roundTrip === undefined || slot.granted + slot.roundTrip >= cutoff) break;
			this.head++;
		}
		if (this.head > 1024 && this.head * 2 > this.slots.length) {
			this.slots = this.slots.slice(this.head);
			this.head = 0;
		}
	}
}

/** How long until fewer than `limit` of the counted requests fall within the last `windowMs`. */
function windowDelay(counted: number[], now: number, limit: number, windowMs: number): number {
	if (!(limit > 0)) return 0;
	const since = now - windowMs - WINDOW_MARGIN_MS;
	const inWindow = counted.filter((time) => time > since);
	if (inWindow.length < limit) return 0;
	inWindow.sort((a, b) => b - a);
	return inWindow[Math.floor(limit) - 1] + windowMs + WINDOW_MARGIN_MS - now;
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
