import { FakeClock } from '../../../helpers/limiterSimulation';
import { LoopWatch } from '../../../../nodes/Altegio/transport/loopWatch';

/** The loop stays busy from the fake clock's now until `until`: no timer fires in between. */
function busyUntil(clock: FakeClock, until: number) {
	clock.time = until;
}

describe('LoopWatch', () => {
	test('a request handed over just before the loop was busy left when it was free again', async () => {
		const clock = new FakeClock();
		const watch = new LoopWatch(clock.now, clock.wait);

		watch.watchFor(1000);
		await clock.runUntil(3);
		busyUntil(clock, 25);
		await clock.runUntil(31);
		busyUntil(clock, 88);
		await clock.runUntil(300);

		// busy from 3 to 25, free for the looks at 27, 29 and 31, busy again until 88
		expect(watch.freeAfter(2)).toBe(25);
		expect(watch.freeAfter(30)).toBe(88);
		expect(watch.freeAfter(150)).toBe(150);
	});

	test('a loop that runs its timers on time delays nothing', async () => {
		const clock = new FakeClock();
		const watch = new LoopWatch(clock.now, clock.wait);

		watch.watchFor(500);
		await clock.runUntil(500);

		for (const at of [0, 7, 120, 499]) expect(watch.freeAfter(at)).toBe(at);
	});

	test('a busy stretch well after a request was handed over does not count for it', async () => {
		const clock = new FakeClock();
		const watch = new LoopWatch(clock.now, clock.wait);

		watch.watchFor(1000);
		await clock.runUntil(200);
		busyUntil(clock, 260);
		await clock.runUntil(400);

		// the looks up to 200 came on time; the one due at 202 came at 260
		expect(watch.freeAfter(100)).toBe(100);
		expect(watch.freeAfter(185)).toBe(185);
		// handed over after the look before the late one: it may have waited for the loop
		expect(watch.freeAfter(199)).toBe(260);
	});

	test('it stops looking once the time asked for has passed, and starts again when asked', async () => {
		const clock = new FakeClock();
		const wait = jest.fn(clock.wait);
		const watch = new LoopWatch(clock.now, wait);

		watch.watchFor(100);
		await clock.runAll();
		const looks = wait.mock.calls.length;
		expect(clock.now()).toBeLessThanOrEqual(110);
		expect(looks).toBeGreaterThanOrEqual(10);

		watch.watchFor(50);
		await clock.runAll();
		expect(wait.mock.calls.length).toBeGreaterThan(looks);
		expect(clock.now()).toBeLessThanOrEqual(170);
	});
});
