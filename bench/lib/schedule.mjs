// The least time N requests can take under the API's rate limits, and how a measured arrival log
// compares with that schedule.

/**
 * Start times (ms) of the earliest possible schedule for `count` requests: request k may start at
 * max(t[k - perSecond] + 1000, t[k - perMinute] + 60000, notBefore(k, t)). A limit of 0 turns its
 * window off; `notBefore` adds what a request waits for, such as an earlier answer.
 */
export function greedySchedule(
	count,
	{ perSecond = 5, perMinute = 200 } = {},
	notBefore = () => 0,
) {
	const starts = new Array(count);
	for (let k = 0; k < count; k++) {
		let t = notBefore(k, starts);
		if (perSecond > 0 && k >= perSecond) t = Math.max(t, starts[k - perSecond] + 1000);
		if (perMinute > 0 && k >= perMinute) t = Math.max(t, starts[k - perMinute] + 60_000);
		starts[k] = t;
	}
	return starts;
}

/** The least time (ms) `count` requests can take: the last one's start plus one round trip. */
export function leastTimeMs(count, limits, latencyMs) {
	if (count === 0) return 0;
	const starts = greedySchedule(count, limits);
	return starts[count - 1] + latencyMs;
}

/**
 * The least time for `count` lookups when the stored session token is stale: one lookup answered
 * 401, then the sign-in once that answer is in, then the `count` lookups once the sign-in's is.
 */
export function leastTimeWithSignInMs(count, limits, latencyMs) {
	const starts = greedySchedule(count + 2, limits, (k, t) =>
		k === 0 ? 0 : t[Math.min(k, 2) - 1] + latencyMs,
	);
	return starts[count + 1] + latencyMs;
}

/**
 * Compares accepted arrivals (ms, ascending, on any clock) with the greedy schedule started at the
 * first arrival: how late the k-th accepted request came compared with the earliest it could have.
 */
export function lagAgainstSchedule(arrivals, limits) {
	if (arrivals.length === 0) return { maxLagMs: 0, finalLagMs: 0, lagAt: {} };
	const ideal = greedySchedule(arrivals.length, limits);
	const first = arrivals[0];
	const lags = arrivals.map((at, k) => at - first - ideal[k]);
	const lagAt = {};
	for (const k of [1, 5, 10, 100, 199, 200, 205, arrivals.length - 1]) {
		if (k < arrivals.length) lagAt[k] = round(lags[k]);
	}
	return {
		maxLagMs: round(Math.max(...lags)),
		finalLagMs: round(lags[lags.length - 1]),
		lagAt,
	};
}

function round(ms) {
	return Math.round(ms * 10) / 10;
}
