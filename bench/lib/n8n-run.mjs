// One `n8n execute` of an imported workflow, with its result JSON parsed and the peak memory of the
// n8n process measured. Built on the real-n8n harness (tools/n8n/harness.mjs), which it does not change.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { WORK_DIR, n8n, parseExecutionOutput } from '../../tools/n8n/harness.mjs';

const MAX_RSS_PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'max-rss.cjs');

/**
 * `n8n execute --id=<id> --rawOutput` under a preload that records each Node process's
 * `process.resourceUsage().maxRSS` on exit. Returns
 * { code, signal, status, data, runData, processMs, maxRssKb, runnerMaxRssKb, stdout, stderr }.
 * `maxRssKb` is the n8n main process (the one that runs the nodes of the workflow);
 * `runnerMaxRssKb` the JavaScript task runner (it runs the Code node), when it reported.
 */
export async function executeWorkflow(
	instance,
	workflowId,
	{ timeoutMs = 15 * 60_000, env = {} } = {},
) {
	const rssFile = path.join(WORK_DIR, `bench-rss-${process.pid}-${workflowId}-${Date.now()}.jsonl`);
	fs.mkdirSync(WORK_DIR, { recursive: true });
	const result = await n8n(instance, ['execute', `--id=${workflowId}`, '--rawOutput'], {
		timeoutMs,
		env: { NODE_OPTIONS: `--require ${MAX_RSS_PRELOAD}`, BENCH_MAX_RSS_FILE: rssFile, ...env },
	});
	// Keep the transcript small: the benchmark never checks it, and 10,000-item runs are large.
	instance.transcript.length = 0;

	const records = fs.existsSync(rssFile)
		? fs
				.readFileSync(rssFile, 'utf8')
				.split('\n')
				.filter(Boolean)
				.map((line) => JSON.parse(line))
		: [];
	fs.rmSync(rssFile, { force: true });
	const main = records.find((r) => r.argv.includes('execute'));
	const runner = records.find((r) => r !== main && r.argv.some((arg) => /task-runner/.test(arg)));

	const data = parseExecutionOutput(result.stdout) ?? parseExecutionOutput(result.stderr);
	return {
		code: result.code,
		signal: result.signal,
		status: data?.status,
		error: data?.data?.resultData?.error,
		data,
		runData: data?.data?.resultData?.runData ?? {},
		processMs: result.ms,
		maxRssKb: main?.maxRssKb,
		runnerMaxRssKb: runner?.maxRssKb,
		stdout: result.stdout,
		stderr: result.stderr,
	};
}

/** The whole execution's time from n8n's own record (startedAt → stoppedAt), in ms. */
export function executionMs(data) {
	const started = Date.parse(data?.startedAt ?? '');
	const stopped = Date.parse(data?.stoppedAt ?? '');
	return Number.isFinite(started) && Number.isFinite(stopped) ? stopped - started : undefined;
}

/** The last lines n8n printed, for error messages. */
export function outputTail(run, lines = 30) {
	return `${run.stdout}\n${run.stderr}`.split('\n').slice(-lines).join('\n');
}
