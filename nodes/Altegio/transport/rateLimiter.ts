import { sleep } from 'n8n-workflow';

import { LoopWatch } from './loopWatch';

export interface RateBudget {
	perSecond: number;
	perMinute: number;
}

/** What became of a granted request. Without `statusCode` no answer arrived. */
export interface Outcome {
	statusCode?: number;
	/** The API's `Retry-After`, in milliseconds, when it sent one with a 429. */
	retryAfterMs?: number;
	/** The request was not sent after all: its slot counts nowhere. */
	unsent?: boolean;
}

/**
 * Call once when the answer (or the failure) arrived. Without an argument the request counts as
 * answered, as it did before outcomes existed.
 */
export type Release = (outcome?: Outcome) => void;

const SECOND_MS = 1000;
const MINUTE_MS = 60_000;
/**
 * Time to spare per window, for what neither the round trips nor the event loop show of when a
 * request left (a burst whose own lateness set the fastest round trip). With it, in five benchmark
 * runs in n8n 2.41.1 at 50, 200 and 500 ms latency, a request reached the API at least 10 ms more
 * than a second after the fifth before it.
 */
const WINDOW_MARGIN_MS = 12;
/**
 * Once another process shares the address, requests count from their answers, and the margin
 * leaves room between this process's seconds and the others': with the margin of a process alone,
 * the simulation of 3 workers × 90 drew about a quarter more 429s in their second batches.
 */
const CROWDED_MARGIN_MS = 20;
/**
 * Until its first 429 a process counts a request from its grant, later by as much as its round trip
 * was slower than the fastest one, up to LATE_MAX_MS: a request that left its process late (a busy
 * event loop, a pause for garbage collection) comes back late by as much. An answer within
 * QUICK_ANSWER_MS bounds the arrival better. A request that may leave late and whose round trip
 * cannot tell (one of a cold process's first ones, granted before any answer, or one its caller says
 * may start slowly and is still under way) counts from LATE_MAX_MS after its grant: in n8n 2.41.1 a
 * cold process's first five requests left 19 ms to 29 ms after their grant, and those right after a
 * sign-in up to 18 ms. Slower round trips beyond LATE_MAX_MS are the network's or the API's.
 */
const QUICK_ANSWER_MS = 30;
const LATE_MAX_MS = 30;
/**
 * How long after a grant the process's event loop is watched (see LoopWatch): a request counts from
 * when the loop was free again after its grant, if that is later. A request leaves well within it.
 */
const WATCH_MS = 300;
/** What a cold process that shares the address sends before its first answers (see coldBurstDelay). */
const COLD_BURST = 3;
/** After a 429 the per-second budget drops to this part of what it was, but never below MIN_SHARE. */
const DECREASE = 0.7;
const MIN_SHARE = 0.1;
/**
 * Each accepted answer after a 429 gives back this share of the configured per-second budget, up to
 * the share at which the last 429 came; above it, only SLOW_GROWTH: that is where the API was full.
 */
const FAST_GROWTH = 0.08;
const SLOW_GROWTH = 0.002;
/**
 * Pauses after a 429 that came without Retry-After: 3 s, 6 s, then 8 s each time. A process that
 * lost the address to another one probes it this often; shorter pauses drew more 429s in queue mode.
 */
const BACKOFF_BASE_MS = 3000;
/**
 * The pause after a process's first 429 ever, which is how it learns that it shares the address:
 * one second, as the others most likely sent their first second at the same time.
 */
const FIRST_BACKOFF_MS = 1000;
const BACKOFF_MAX_MS = 8000;
/** Up to this many backoffs more, at random: refused processes must not all come back together. */
const PAUSE_JITTER = 2;

type Clock = () => number;
type Wait = (ms: number) => Promise<void>;
/**
 * The longest single timer: a longer wait takes several, so that once nobody waits (the last
 * waiter was cancelled during a long Retry-After) no timer keeps the process alive for long.
 */
const TIMER_MAX_MS = 5000;

interface Slot {
	granted: number;
	settled: boolean;
	/** Time from grant to answer; undefined while under way, or when no answer came. */
	roundTrip?: number;
	/** When a request that got no answer failed: it counts from then. */
	failedAt?: number;
	/** Granted before any round trip was known: one of a cold process's first requests. */
	untimed: boolean;
	/** Its caller said it may leave late, as a cold process's first requests do (see acquire). */
	slowStart: boolean;
	/** Answered with anything but a 429. */
	accepted?: boolean;
}

/** What a limiter learnt from 429 answers; it outlives the limiter (see sharedLimiter). */
export interface Learnt {
	/** The share of the configured per-second budget in use: below 1 after a 429. */
	share: number;
	/** The share in use when the last 429 came. */
	ceiling: number;
	/** A 429 came: another process sends to the API from the same address. */
	crowded: boolean;
}

function freshLearnt(): Learnt {
	return { share: 1, ceiling: 1, crowded: false };
}

/** How a caller waits for its slot (see acquire). */
export interface AcquireOptions {
	first?: boolean;
	/** Asked when the slot is granted, which may be seconds after the call to acquire. */
	slowStart?: () => boolean;
}

interface Waiter {
	slowStart?: () => boolean;
	resolve: (release: Release) => void;
	reject: (reason: unknown) => void;
	signal?: AbortSignal;
	onAbort?: () => void;
}

interface Window {
	count: number;
	ms: number;
	margin: number;
	/** A learnt share: counts requests from when they probably arrived, not the latest they can have. */
	guess?: boolean;
}

/**
 * Grants request slots so that at most `perSecond` requests reach the API within any second and at
 * most `perMinute` within any minute. A budget of 0 turns that window off. A fractional budget
 * below 1 spaces single requests (0.5 a second: one every 2 s); above 1 it rounds down, which is
 * the most that never puts one request too many into a window.
 *
 * The API counts a request when it arrives, which is somewhere between its grant and its answer.
 * A process that has never been refused sends at the full budget: it counts each request from its
 * grant, as if it left at once (see countsFrom for the exceptions), and costs nothing beyond a
 * small margin per window. A 429 tells it that another process (a queue-mode worker, another n8n
 * instance) sends from the same address, and it remembers that for its life (see sharedLimiter).
 * From then on a request counts from its answer (or its failure), and one still under way counts
 * as arriving now, which is the latest it can have arrived: the price is one round trip per window.
 * Such a process also starts a cold run with COLD_BURST requests before it sends more.
 *
 * After a 429 it also cuts its share of both budgets to 70 %, pauses for `Retry-After` (or,
 * without it, for 3, 6, then 8 s; 1 s after its first 429 ever) plus up to twice that backoff at
 * random, and lets a single
 * request go until one is accepted. Accepted answers then give the share back quickly up to where
 * the last 429 came, and slowly above it. The process that held most of the last second keeps its
 * pace on a first 429, so that the others give way to it rather than all of them slowing down
 * together.
 */
export class RateLimiter {
	private slots: Slot[] = [];

	private head = 0;

	private waiters: Waiter[] = [];

	private inFlight = 0;

	private untimedInFlight = 0;

	private fastestRoundTrip = Infinity;

	private pausedUntil = -Infinity;

	/** When the last 429 changed the pace: 429s of requests granted before it add nothing. */
	private refusedAt = -Infinity;

	private refusals = 0;

	/** The first of the current run of refusals was the first 429 ever (see FIRST_BACKOFF_MS). */
	private learntInRun = false;

	/** After a 429, one request at a time until one is accepted. */
	private probing = false;

	/** A 429 was let pass because this process held most of the window (see refused). */
	private excused = false;

	private lastActivity: number;

	private lastTime = -Infinity;

	private clockOffset = 0;

	/** The instant the pending timer fires at, if one is pending. */
	private timerDue: number | undefined;

	constructor(
		private budget: RateBudget,
		private readonly now: Clock = () => performance.now(),
		private readonly wait: Wait = sleep,
		private readonly random: () => number = Math.random,
		readonly learnt: Learnt = freshLearnt(),
		private readonly loop?: LoopWatch,
	) {
		this.lastActivity = this.time();
	}

	/** The clock, never going back: a source that steps back makes time stand still, not rewind. */
	private time(): number {
		const raw = this.now();
		if (raw + this.clockOffset < this.lastTime) this.clockOffset = this.lastTime - raw;
		this.lastTime = raw + this.clockOffset;
		return this.lastTime;
	}

	setBudget(budget: RateBudget) {
		this.budget = budget;
		this.pump();
	}

	/**
	 * Resolves when the caller may send one request; callers are served first come, first served,
	 * except that a caller that asks to go `first` (a sign-in that other requests wait for) goes to
	 * the head of the queue. `slowStart`, asked at the grant, tells that the request may leave well
	 * after it (n8n stores a new session token before it sends it): until a 429 it counts like a cold
	 * one while under way, and by its round trip once answered. Call the returned release once, when
	 * the answer (or the failure) has arrived. Rejects with the signal's reason when the signal
	 * aborts first, and the caller leaves the queue at once.
	 */
	async acquire(
		signal?: AbortSignal,
		{ first = false, slowStart }: AcquireOptions = {},
	): Promise<Release> {
		if (signal?.aborted) throw abortReason(signal);
		return await new Promise<Release>((resolve, reject) => {
			const waiter: Waiter = { slowStart, resolve, reject, signal };
			if (signal !== undefined) {
				waiter.onAbort = () => {
					const index = this.waiters.indexOf(waiter);
					if (index === -1) return;
					this.waiters.splice(index, 1);
					reject(abortReason(signal));
					this.pump();
				};
				signal.addEventListener('abort', waiter.onAbort, { once: true });
			}
			if (first) this.waiters.unshift(waiter);
			else this.waiters.push(waiter);
			this.pump();
		});
	}

	/** Holds every request back for `ms`, as after the API answered 429. */
	pause(ms: number) {
		this.pausedUntil = Math.max(this.pausedUntil, this.time() + ms);
		this.pump();
	}

	/** No caller waits, none is under way, and nothing granted still counts in a window. */
	isIdle(): boolean {
		const now = this.time();
		return (
			this.waiters.length === 0 &&
			this.inFlight === 0 &&
			this.pausedUntil <= now &&
			now - this.lastActivity > this.horizon()
		);
	}

	private pump() {
		while (this.waiters.length > 0) {
			const now = this.time();
			const delay = this.delayAt(now);
			if (delay > 0) {
				if (Number.isFinite(delay)) this.wakeAt(now + delay);
				return;
			}
			const waiter = this.waiters.shift() as Waiter;
			if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
			waiter.resolve(this.grant(now, waiter.slowStart?.() === true));
		}
	}

	/** One timer per wait: a pending timer that fires no later stays, a later one is ignored. */
	private wakeAt(due: number) {
		if (this.timerDue !== undefined && this.timerDue <= due && this.timerDue > this.time()) return;
		this.timerDue = due;
		const ms = Math.min(TIMER_MAX_MS, Math.max(1, Math.ceil(due - this.time())));
		void this.wait(ms).then(() => {
			if (this.timerDue !== due) return;
			this.timerDue = undefined;
			this.pump();
		});
	}

	private grant(now: number, slowStart: boolean): Release {
		this.lastActivity = now;
		if (!this.paced()) return () => {};

		const slot: Slot = {
			granted: now,
			settled: false,
			untimed: !Number.isFinite(this.fastestRoundTrip),
			slowStart,
		};
		this.slots.push(slot);
		this.loop?.watchFor(WATCH_MS);
		this.inFlight++;
		if (slot.untimed) this.untimedInFlight++;
		return (outcome) => {
			if (slot.settled) return;
			slot.settled = true;
			this.inFlight--;
			if (slot.untimed) this.untimedInFlight--;
			const answeredAt = this.time();
			this.lastActivity = answeredAt;
			if (outcome?.unsent) {
				slot.failedAt = -Infinity;
				this.pump();
				return;
			}
			const answered = outcome === undefined || typeof outcome.statusCode === 'number';
			if (answered) {
				slot.roundTrip = Math.max(0, answeredAt - slot.granted);
				this.fastestRoundTrip = Math.min(this.fastestRoundTrip, slot.roundTrip);
			} else {
				slot.failedAt = answeredAt;
			}
			if (outcome?.statusCode === 429) {
				this.refused(slot, answeredAt, outcome.retryAfterMs);
			} else if (answered) {
				slot.accepted = true;
				if (slot.granted > this.refusedAt) this.accepted();
			}
			this.pump();
		};
	}

	private refused(slot: Slot, now: number, retryAfterMs?: number) {
		const learning = !this.learnt.crowded;
		this.learnt.crowded = true;
		if (slot.granted <= this.refusedAt) return;
		this.refusedAt = now;
		const retryAfter = retryAfterMs !== undefined && retryAfterMs >= 0 ? retryAfterMs : 0;
		// The process the API served most in the last second keeps its share, once (it probes with a
		// single request): if it slowed down as well, every process sharing the address would slow
		// down, then come back, together.
		if (!this.excused && this.heldBefore(slot) > this.budget.perSecond / 2) {
			this.excused = true;
			this.probing = true;
			this.pausedUntil = Math.max(this.pausedUntil, now + retryAfter);
			return;
		}
		// a refused probe only lengthens the pause: the share drops once per run of refusals
		if (this.refusals === 0) {
			this.learnt.ceiling = this.learnt.share;
			this.learnt.share = Math.max(MIN_SHARE, this.learnt.share * DECREASE);
		}
		this.refusals++;
		if (learning) this.learntInRun = true;
		this.probing = true;
		const steps = this.refusals - (this.learntInRun ? 2 : 1);
		const backoff = learning
			? FIRST_BACKOFF_MS
			: Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** steps);
		// another process may be taking every slot as it frees: Retry-After alone would refuse us again
		const wait = Math.max(backoff, retryAfter) + this.random() * PAUSE_JITTER * backoff;
		this.pausedUntil = Math.max(this.pausedUntil, now + wait);
	}

	/** How many of this process's accepted requests arrived within the second before `slot`. */
	private heldBefore(slot: Slot): number {
		if (!(this.budget.perSecond > 0)) return 0;
		let held = 0;
		for (let i = this.head; i < this.slots.length; i++) {
			const other = this.slots[i];
			if (other.accepted && this.countsFrom(other, slot.granted) > slot.granted - SECOND_MS) held++;
		}
		return held;
	}

	private accepted() {
		this.excused = false;
		this.probing = false;
		this.refusals = 0;
		this.learntInRun = false;
		const { share, ceiling } = this.learnt;
		this.learnt.share = Math.min(1, share + (share < ceiling ? FAST_GROWTH : SLOW_GROWTH));
	}

	private paced() {
		return this.budget.perSecond > 0 || this.budget.perMinute > 0;
	}

	private windows(): Window[] {
		const windows = [
			toWindow(this.budget.perSecond, SECOND_MS, this.margin()),
			toWindow(this.budget.perMinute, MINUTE_MS, this.margin()),
		].filter((window): window is Window => window !== undefined);
		// the learnt share is a guess, not a promise to the API: spaced, without a margin
		const { share } = this.learnt;
		if (share < 1 && this.budget.perSecond > 0) {
			windows.push({
				count: 1,
				ms: SECOND_MS / (this.budget.perSecond * share),
				margin: 0,
				guess: true,
			});
		}
		// the same share of the minute: the others' share of it is as full as theirs of the second
		if (share < 1 && this.budget.perMinute > 0) {
			const count = Math.max(1, Math.floor(this.budget.perMinute * share));
			windows.push({ count, ms: MINUTE_MS, margin: 0, guess: true });
		}
		return windows;
	}

	/** How long granted requests keep counting in a window. */
	private horizon(): number {
		return Math.max(MINUTE_MS, ...this.windows().map((window) => window.ms)) + this.margin();
	}

	private margin(): number {
		return this.learnt.crowded ? CROWDED_MARGIN_MS : WINDOW_MARGIN_MS;
	}

	private delayAt(now: number): number {
		const paused = this.pausedUntil - now;
		if (!this.paced()) return paused;
		if (this.probing && this.inFlight > 0) return Infinity;
		const cold = this.coldBurstDelay(now);
		if (cold === Infinity) return Infinity;

		this.forgetBefore(now - this.horizon());
		const counted: number[] = [];
		const latest: number[] = [];
		const likely: number[] = [];
		for (let i = this.head; i < this.slots.length; i++) {
			counted.push(this.countsFrom(this.slots[i], now));
			latest.push(this.latestArrival(this.slots[i], now));
			likely.push(this.probablyArrived(this.slots[i], now));
		}
		// Over a minute, one round trip more is next to nothing: the minute always counts from answers.
		const arrivals = (window: Window) =>
			window.guess ? likely : window.ms >= MINUTE_MS ? latest : counted;
		return Math.max(
			paused,
			cold,
			...this.windows().map((window) => windowDelay(arrivals(window), now, window)),
		);
	}

	/**
	 * A cold process that has learnt it shares the address sends COLD_BURST requests, and the rest of
	 * its first second once they are answered: a 429 among those answers tells it that another
	 * process holds the same slots now, before it sends more into them. Its requests count from their
	 * answers anyway, so this costs it little. Once one has been answered, the others get twice its
	 * round trip, so that one slow answer does not hold up the rest.
	 */
	private coldBurstDelay(now: number): number {
		if (!this.learnt.crowded) return 0;
		if (this.untimedInFlight === 0 || !(this.budget.perSecond > 0)) return 0;
		if (!Number.isFinite(this.fastestRoundTrip)) {
			return this.untimedInFlight >= COLD_BURST ? Infinity : 0;
		}
		let firstGranted = Infinity;
		for (let i = this.head; i < this.slots.length; i++) {
			const slot = this.slots[i];
			if (slot.untimed && !slot.settled) firstGranted = Math.min(firstGranted, slot.granted);
		}
		return Math.max(0, firstGranted + 2 * this.fastestRoundTrip - now);
	}

	/**
	 * When the API counted `slot` in a second, as seen at `now`. Once the address is known to be
	 * shared, the latest it can have: another process may fill a window to the last slot, so a
	 * request that arrived later than counted draws a 429. Until then, when it left (see
	 * QUICK_ANSWER_MS).
	 */
	private countsFrom(slot: Slot, now: number): number {
		if (this.learnt.crowded) return this.latestArrival(slot, now);
		const left = Math.max(this.loop?.freeAfter(slot.granted) ?? slot.granted, this.leftAt(slot));
		return slot.settled ? Math.min(this.latestArrival(slot, now), left) : left;
	}

	/** When `slot` left, as its grant and round trip tell, with the allowances above. */
	private leftAt(slot: Slot): number {
		const { roundTrip } = slot;
		if (!slot.settled) return slot.granted + (slot.untimed || slot.slowStart ? LATE_MAX_MS : 0);
		if (roundTrip === undefined) return slot.failedAt as number;
		if (roundTrip <= QUICK_ANSWER_MS) return slot.granted + roundTrip;
		// the fastest round trip so far may be one of the same cold start's, late by as much
		const late = slot.untimed
			? LATE_MAX_MS
			: Math.min(LATE_MAX_MS, roundTrip - this.fastestRoundTrip);
		return slot.granted + Math.min(roundTrip, late);
	}

	/** The latest `slot` can have reached the API, as seen at `now`: its answer, or now. */
	private latestArrival(slot: Slot, now: number): number {
		if (!slot.settled) return now;
		if (slot.roundTrip === undefined) return slot.failedAt as number;
		return slot.granted + slot.roundTrip;
	}

	/** When `slot` probably reached the API: as much after its grant as its round trip was slower. */
	private probablyArrived(slot: Slot, now: number): number {
		const fastest = slot.untimed ? 0 : this.fastestRoundTrip;
		if (!slot.settled) return Math.max(slot.granted, now - fastest);
		if (slot.roundTrip === undefined) return slot.failedAt as number;
		return slot.granted + slot.roundTrip - fastest;
	}

	private forgetBefore(cutoff: number) {
		while (this.head < this.slots.length) {
			const slot = this.slots[this.head];
			if (!slot.settled || (slot.failedAt ?? slot.granted + (slot.roundTrip ?? 0)) >= cutoff) {
				break;
			}
			this.head++;
		}
		if (this.head > 64 && this.head * 2 > this.slots.length) {
			this.slots = this.slots.slice(this.head);
			this.head = 0;
		}
	}
}

function toWindow(budget: number, ms: number, margin: number): Window | undefined {
	if (!(budget > 0) || !Number.isFinite(budget)) return undefined;
	return budget >= 1
		? { count: Math.floor(budget), ms, margin }
		: { count: 1, ms: ms / budget, margin };
}

/** How long until fewer than `window.count` of the counted requests fall within the window. */
function windowDelay(counted: number[], now: number, window: Window): number {
	const since = now - window.ms - window.margin;
	const inWindow = counted.filter((time) => time > since);
	if (inWindow.length < window.count) return 0;
	inWindow.sort((a, b) => b - a);
	return inWindow[window.count - 1] + window.ms + window.margin - now;
}

function abortReason(signal: AbortSignal): unknown {
	return signal.reason ?? new Error('The request was cancelled');
}

const limiters = new Map<string, RateLimiter>();
/** The process has one event loop, which all its limiters share. */
const processLoop = new LoopWatch();
const learntByKey = new Map<string, Learnt>();
const LEARNT_KEYS_MAX = 100;

/**
 * One limiter per key and budget for the whole n8n process, shared by all items, nodes and
 * executions. Credentials with the same key but other budgets get limiters of their own rather than
 * changing each other's; limiters left idle are dropped. What a limiter learnt from 429 answers is
 * kept for the process's lifetime: other senders that were there in one execution are likely there
 * in the next, and a new execution that started at the full budget would draw the same 429s again.
 */
export function sharedLimiter(key: string, budget: RateBudget): RateLimiter {
	for (const [known, limiter] of limiters) {
		if (limiter.isIdle()) limiters.delete(known);
	}
	const fullKey = `${key} ${budget.perSecond}/s ${budget.perMinute}/min`;
	let limiter = limiters.get(fullKey);
	if (limiter === undefined) {
		let learnt = learntByKey.get(fullKey);
		if (learnt === undefined) {
			learnt = freshLearnt();
			learntByKey.set(fullKey, learnt);
			// bounded: a process that meets ever new keys forgets the oldest
			if (learntByKey.size > LEARNT_KEYS_MAX) learntByKey.delete(learntByKey.keys().next().value!);
		}
		limiter = new RateLimiter({ ...budget }, undefined, undefined, undefined, learnt, processLoop);
		limiters.set(fullKey, limiter);
	}
	return limiter;
}

/** How many limiters the process holds (for tests of idle state). */
export function sharedLimiterCount(): number {
	return limiters.size;
}

/** How many keys' lessons from 429 answers the process keeps. */
export function learntKeyCount(): number {
	return learntByKey.size;
}
