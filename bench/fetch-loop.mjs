// The reference for the limits-off comparison: the same lookups the node makes, sent with Node's
// own fetch (keep-alive by default), `concurrency` at a time. Prints one JSON line:
// { count, concurrency, ms, byStatus, errors, maxRssKb }.
//
//   node bench/fetch-loop.mjs --api-url URL --authorization "Bearer …, User …" --count N
//        [--concurrency 10] [--first-phone 12025550000] [--chain 509]

import { parseArgs } from 'node:util';

const { values } = parseArgs({
	options: {
		'api-url': { type: 'string' },
		authorization: { type: 'string' },
		accept: { type: 'string', default: 'application/vnd.api.v2+json' },
		count: { type: 'string' },
		concurrency: { type: 'string', default: '10' },
		'first-phone': { type: 'string', default: '12025550000' },
		chain: { type: 'string', default: '509' },
	},
});

const count = Number(values.count);
const concurrency = Number(values.concurrency);
const firstPhone = Number(values['first-phone']);
const base = `${values['api-url']}/group/${values.chain}/clients`;
const headers = { Authorization: values.authorization, Accept: values.accept };
if (!values['api-url'] || !values.authorization || !(count > 0) || !(concurrency > 0)) {
	console.error('usage: node bench/fetch-loop.mjs --api-url URL --authorization VALUE --count N');
	process.exit(2);
}

const byStatus = {};
let errors = 0;
let next = 0;

async function worker() {
	// Bounded: every turn takes one of the `count` indexes.
	while (next < count) {
		const i = next++;
		try {
			const response = await fetch(`${base}?phone=${firstPhone + i}`, { headers });
			await response.json();
			byStatus[response.status] = (byStatus[response.status] ?? 0) + 1;
		} catch {
			errors++;
		}
	}
}

const started = performance.now();
await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
const ms = performance.now() - started;

console.log(
	JSON.stringify({
		count,
		concurrency,
		ms,
		byStatus,
		errors,
		maxRssKb: process.resourceUsage().maxRSS,
	}),
);
