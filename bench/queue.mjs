// Queue-mode benchmark: n8n workers that share one API limit (5/s and 200/min for everyone, as the
// API's limit per IP address is for workers behind one address). Each worker runs one execution of
// lookups at the same time; the sandbox answers after 200 ms (see --latency and --jitter), with or without Retry-After.
// Strategies: the adaptive limiter with default settings, the manual split (each worker's credential
// at its share of the limits), and today's behaviour (the package as of the commit before the
// adaptive limiter). The adaptive limiter runs a second batch on the same workers 61 s later,
// once they have learnt that they share the address. Run: node bench/queue.mjs [--workers=3] [--items=90] [--only=adaptive,split,today]
// [--latency=200] [--jitter=0] (the API answers after the latency, ± that share of it)
// (all three: about 15 minutes; --only=adaptive: about 9)
// Tables go to stdout as Markdown, figures to .e2e/bench-queue.json.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

import {
	E2E_DIR,
	REPO,
	buildAndPack,
	freePort,
	log,
	run,
	sandboxCredential,
	startSandbox,
} from '../tools/n8n/harness.mjs';
import { leastTimeMs } from './lib/schedule.mjs';
import { callWebhook, lookupWorkflow, startDeployment } from '../tools/queue/deployment.mjs';

const { values: flags } = parseArgs({
	options: {
		workers: { type: 'string', default: '3' },
		items: { type: 'string', default: '90' },
		today: { type: 'string', default: '6b58183' },
		only: { type: 'string', default: 'adaptive,split,today' },
		latency: { type: 'string', default: '200' },
		jitter: { type: 'string', default: '0' },
	},
});
const WORKERS = Number(flags.workers);
const ITEMS = Number(flags.items);
const LIMITS = { perSecond: 5, perMinute: 200 };
const LATENCY_MS = Number(flags.latency);
const JITTER = Number(flags.jitter);
if (!Number.isInteger(LATENCY_MS) || LATENCY_MS < 0 || !(JITTER >= 0 && JITTER <= 1)) {
	console.error('--latency needs whole milliseconds and --jitter a share from 0 to 1');
	process.exit(2);
}
const ONLY = new Set(flags.only.split(','));

/** The package as it was at `commit`, built and packed from `git archive` (the checkout is untouched). */
async function packAt(commit) {
	const dir = path.join(E2E_DIR, `pack-${commit}`);
	const done = path.join(dir, 'tarball.json');
	if (fs.existsSync(done)) return JSON.parse(fs.readFileSync(done, 'utf8'));
	const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'altegio-at-commit-'));
	try {
		const archive = await run('bash', ['-c', `git archive ${commit} | tar -x -C "${tree}"`]);
		if (archive.code !== 0) throw new Error(`git archive ${commit} failed: ${archive.stderr}`);
		fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(tree, 'node_modules'));
		const build = await run('npm', ['run', 'build'], { cwd: tree });
		if (build.code !== 0)
			throw new Error(`building ${commit} failed: ${build.stdout}${build.stderr}`);
		fs.rmSync(dir, { recursive: true, force: true });
		fs.mkdirSync(dir, { recursive: true });
		const packed = await run(
			'npm',
			['pack', '--json', '--ignore-scripts', '--pack-destination', dir],
			{
				cwd: tree,
			},
		);
		const [meta] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
		const info = {
			key: `commit-${commit}`,
			name: meta.name,
			version: meta.version,
			tarball: path.join(dir, meta.filename),
			files: meta.files.map((f) => f.path),
		};
		fs.writeFileSync(done, JSON.stringify(info, null, 2));
		return info;
	} finally {
		fs.rmSync(tree, { recursive: true, force: true });
	}
}

/** One scenario: its own sandbox port (so each credential has a limiter of its own), credential and workflow. */
async function scenario(key, strategy, retryAfter, budget, secondBatch = false) {
	const port = await freePort();
	const tag = `${key}${retryAfter ? 'Ra' : 'No'}`;
	const fakeSandbox = { apiUrl: `http://127.0.0.1:${port}/api/v1`, seed: seedTokens() };
	const credential = sandboxCredential(fakeSandbox, {
		id: `bench${tag}`.padEnd(16, '0'),
		name: `Altegio ${tag}`,
		data: { requestsPerSecond: budget.perSecond, requestsPerMinute: budget.perMinute },
	});
	const webhookPath = `bench-${tag.toLowerCase()}`;
	const workflow = lookupWorkflow({ id: `bench${tag}`, webhookPath, credential });
	return { strategy, retryAfter, budget, port, credential, workflow, webhookPath, secondBatch };
}

function seedTokens() {
	const seed = JSON.parse(fs.readFileSync(path.join(REPO, 'sandbox', 'seed.json'), 'utf8'));
	return { partnerToken: seed.partnerToken, userToken: seed.userToken };
}

async function measure(deployment, sc, offset, batch = 1) {
	const sandbox = await startSandbox({
		port: sc.port,
		latencyMs: LATENCY_MS,
		latencyJitter: JITTER,
		rateLimit: { ...LIMITS, retryAfter: sc.retryAfter, shared: true },
	});
	try {
		const before = deployment.workers.map((worker) => worker.executions().length);
		const batches = Array.from({ length: WORKERS }, (_, w) =>
			Array.from({ length: ITEMS }, (_, i) => String(12025500000 + offset + w * ITEMS + i)),
		);
		log(
			`${sc.strategy}, ${sc.retryAfter ? 'with' : 'without'} Retry-After: ${WORKERS} × ${ITEMS} lookups, batch ${batch}`,
		);
		const started = Date.now();
		const answers = await Promise.all(
			batches.map(async (phones) => await callWebhook(deployment.url, sc.webhookPath, { phones })),
		);
		const wallMs = Date.now() - started;
		const workersUsed = deployment.workers.filter(
			(worker, i) => worker.executions().length > before[i],
		).length;
		const lookups = sandbox.requests.filter((r) => r.path === '/api/v1/group/509/clients');
		const answered = new Set(lookups.filter((r) => r.status === 404).map((r) => r.query.phone));
		const phones = batches.flat();
		const errors = answers.reduce(
			(sum, answer) => sum + (answer.status === 200 ? answer.body.errors.length : ITEMS),
			0,
		);
		const unanswered = phones.filter((phone) => !answered.has(phone)).length;
		const arrivals = lookups.map((r) => r.at);
		const firstArrival = Math.min(...arrivals);
		const sinceFirst = (r) => r.at - firstArrival;
		const timeMs = Math.max(...arrivals) + LATENCY_MS - firstArrival;
		const leastMs = leastTimeMs(phones.length, LIMITS, LATENCY_MS);
		return {
			batch,
			workers: WORKERS,
			workersUsed,
			strategy: sc.strategy,
			retryAfter: sc.retryAfter,
			budget: sc.budget,
			items: phones.length,
			failedItems: Math.max(errors, unanswered),
			errorItems: errors,
			unanswered,
			refusals: lookups.filter((r) => r.status === 429).length,
			// per worker (its phones tell): first and last accepted arrival and 429 answers, in seconds
			byWorker: batches.map((batch) => {
				const mine = new Set(batch);
				const own = lookups.filter((r) => mine.has(r.query.phone));
				const ok = own.filter((r) => r.status !== 429).map(sinceFirst);
				return {
					firstS: Number((Math.min(...ok) / 1000).toFixed(2)),
					lastS: Number((Math.max(...ok) / 1000).toFixed(2)),
					refusals: own.length - ok.length,
				};
			}),
			acceptedPer5s: Array.from(
				{ length: Math.ceil(timeMs / 5000) },
				(_, b) =>
					lookups.filter((r) => r.status !== 429 && Math.floor(sinceFirst(r) / 5000) === b).length,
			),
			// seconds after the first arrival: where in the run the 429 answers came
			refusedAfterS: lookups
				.filter((r) => r.status === 429)
				.map((r) => Number((sinceFirst(r) / 1000).toFixed(2))),
			requests: lookups.length,
			timeMs,
			wallMs,
			leastMs,
			ratio: timeMs / leastMs,
			sampleErrors: answers.flatMap((answer) => answer.body?.errors ?? []).slice(0, 3),
		};
	} finally {
		await sandbox.close();
	}
}

async function runDeployment(pack, scenarios, tag) {
	const deployment = await startDeployment({
		workers: WORKERS,
		concurrency: 1,
		pack,
		tag,
		credentials: scenarios.map((sc) => sc.credential),
		workflows: scenarios.map((sc) => sc.workflow),
		publish: scenarios.map((sc) => sc.workflow.id),
	});
	const results = [];
	try {
		for (const [i, sc] of scenarios.entries()) {
			results.push(await measure(deployment, sc, i * 10_000));
			log(JSON.stringify(results[results.length - 1]));
			if (!sc.secondBatch) continue;
			// the first batch's minute passes and the limiters go idle; what they learnt stays
			log('waiting 61 s for the second batch');
			await new Promise((resolve) => setTimeout(resolve, 61_000));
			results.push(await measure(deployment, sc, i * 10_000 + 5000, 2));
			log(JSON.stringify(results[results.length - 1]));
		}
	} finally {
		await deployment.stop();
	}
	return results;
}

const share = { perSecond: LIMITS.perSecond / WORKERS, perMinute: LIMITS.perMinute / WORKERS };
const startedAt = new Date();
const loadAverage = () => os.loadavg().map((load) => Number(load.toFixed(2)));
const loadAtStart = loadAverage();
const current = await buildAndPack();
const adaptive = [];
for (const retryAfter of [true, false]) {
	if (ONLY.has('adaptive'))
		adaptive.push(await scenario('adapt', 'adaptive (default settings)', retryAfter, LIMITS, true));
	if (ONLY.has('split')) adaptive.push(await scenario('split', 'manual split', retryAfter, share));
}
const before = [];
for (const retryAfter of ONLY.has('today') ? [true, false] : [])
	before.push(await scenario('today', `today (${flags.today})`, retryAfter, LIMITS));

const results = [
	...(adaptive.length ? await runDeployment(current, adaptive, 'bench-queue') : []),
	...(before.length ? await runDeployment(await packAt(flags.today), before, 'bench-today') : []),
];
fs.mkdirSync(E2E_DIR, { recursive: true });
fs.writeFileSync(
	path.join(E2E_DIR, 'bench-queue.json'),
	JSON.stringify(
		{
			startedAt,
			command: `node bench/queue.mjs ${process.argv.slice(2).join(' ')}`.trim(),
			loadAverage: { start: loadAtStart, end: loadAverage() },
			workers: WORKERS,
			items: ITEMS,
			limits: LIMITS,
			latencyMs: LATENCY_MS,
			latencyJitter: JITTER,
			results,
		},
		null,
		2,
	),
);

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const budgetText = ({ perSecond, perMinute }) =>
	`${Number(perSecond.toFixed(2))}/s, ${Number(perMinute.toFixed(2))}/min`;
console.log(
	`Queue mode, ${WORKERS} workers sharing 5/s and 200/min, ${LATENCY_MS} ms latency${JITTER > 0 ? ` ±${Math.round(JITTER * 100)} %` : ''} (${startedAt.toISOString()}, ` +
		`load average ${loadAtStart.join(' ')} at start, ${loadAverage().join(' ')} at end):\n`,
);
console.log(
	'| Workers | Strategy | Budget per worker | Retry-After | Items | Failed items | 429 answers | Requests | Time | Least possible | Time ÷ least |',
);
console.log('| --: | --- | --- | --- | --: | --: | --: | --: | --: | --: | --: |');
for (const r of results) {
	console.log(
		`| ${r.workersUsed} | ${r.strategy}${r.batch === 2 ? ', second batch' : ''} | ${budgetText(r.budget)} | ${r.retryAfter ? 'yes' : 'no'} | ${r.items} | ${r.failedItems} | ${r.refusals} | ${r.requests} | ${fmt(r.timeMs)} | ${fmt(r.leastMs)} | ${r.ratio.toFixed(2)}× |`,
	);
}
