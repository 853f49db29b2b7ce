import { sleep } from 'n8n-workflow';

/**
 * How often the watch looks at the clock, and how late a look may be and still count as on time.
 * Five requests handed over at once keep the loop busy for a few milliseconds, up to 30 ms in a
 * cold process, before any of them leaves.
 */
const LOOK_EVERY_MS = 2;
const ON_TIME_MS = 2;
/** Busy stretches older than this are forgotten: a request leaves well within it. */
const KEEP_MS = 10_000;

interface Stretch {
	from: number;
	to: number;
}

/**
 * Notices when the process's event loop was busy, by how late a short timer fires: a garbage
 * collection, a heavy node running beside this one, or a cold process compiling the code it runs
 * for the first time. A request handed to n8n while the loop is busy leaves the process only once
 * the loop is free again, and reaches the API that much later, which its round trip alone cannot
 * tell apart from a slow network. In n8n 2.41.1 the first requests of a fresh process once left
 * 85 ms after their grant, 57 ms of it in one such stretch, while they usually leave within 30 ms.
 */
export class LoopWatch {
	private stretches: Stretch[] = [];

	private watchUntil = -Infinity;

	private watching = false;

	constructor(
		private readonly now: () => number = () => performance.now(),
		private readonly wait: (ms: number) => Promise<void> = sleep,
	) {}

	/** Keeps looking for at least `ms` from now; it stops by itself, so no timer outlives the work. */
	watchFor(ms: number) {
		this.watchUntil = Math.max(this.watchUntil, this.now() + ms);
		if (!this.watching) void this.look();
	}

	private async look() {
		this.watching = true;
		try {
			while (this.now() < this.watchUntil) {
				const due = this.now() + LOOK_EVERY_MS;
				await this.wait(LOOK_EVERY_MS);
				const at = this.now();
				if (at - due > ON_TIME_MS) this.stretches.push({ from: due, to: at });
				while (this.stretches.length > 0 && this.stretches[0].to < at - KEEP_MS) {
					this.stretches.shift();
				}
			}
		} finally {
			this.watching = false;
		}
	}

	/**
	 * The earliest time after `at` at which the loop was seen free: a request handed over at `at`
	 * had left by then, unless it waited for something else (a database, a name lookup).
	 */
	freeAfter(at: number): number {
		let free = at;
		// stretches end in order: skip those that ended before `at`
		let low = 0;
		let high = this.stretches.length;
		while (low < high) {
			const middle = (low + high) >> 1;
			if (this.stretches[middle].to <= at) low = middle + 1;
			else high = middle;
		}
		for (let i = low; i < this.stretches.length; i++) {
			const { from, to } = this.stretches[i];
			// a look that came late was due LOOK_EVERY_MS after the one before it: the loop may have
			// been busy since then
			if (from > free + LOOK_EVERY_MS + ON_TIME_MS) break;
			free = to;
		}
		return free;
	}
}
