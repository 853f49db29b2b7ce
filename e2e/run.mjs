#!/usr/bin/env node
// `npm run test:e2e [-- files...]`: the end-to-end suites (node --test, one file at a time) in each
// n8n the run asks for. ALTEGIO_N8N_VERSION=1.123.81 (or a list: "2.41.1,1.123.81") picks them;
// without it CI runs every pin in tools/n8n/pins/ and a developer's machine runs 2.41.1.
// The package is installed once per version through n8n's installer; the templates go at the end.

import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { REPO, runTemplatesDir } from '../tools/n8n/harness.mjs';
import { onShutdown, trackPath } from '../tools/n8n/shutdown.mjs';

const pins = fs
	.readdirSync(path.join(REPO, 'tools', 'n8n', 'pins'))
	.sort()
	.reverse();
const asked = process.env.ALTEGIO_N8N_VERSION?.split(',').map((v) => v.trim());
const versions = asked ?? (process.env.CI ? pins : ['2.41.1']);
const unknown = versions.filter((v) => !pins.includes(v));
if (unknown.length) {
	console.error(`no pin for n8n ${unknown.join(', ')} (tools/n8n/pins has ${pins.join(', ')})`);
	process.exit(2);
}
const files = process.argv.slice(2);
const suites = files.length
	? files
	: fs
			.readdirSync(path.join(REPO, 'e2e'))
			.filter((f) => f.endsWith('.test.mjs'))
			.map((f) => path.join('e2e', f));

const runId = `run-${randomUUID().slice(0, 8)}`;
trackPath(runTemplatesDir(runId));
let current;
onShutdown(() => current?.kill('SIGTERM'));

let failed = 0;
for (const version of versions) {
	process.stderr.write(`\n=== end-to-end suites in n8n ${version}\n`);
	const code = await new Promise((resolve) => {
		current = spawn(process.execPath, ['--test', '--test-concurrency=1', ...suites], {
			cwd: REPO,
			stdio: 'inherit',
			env: { ...process.env, ALTEGIO_N8N_VERSION: version, ALTEGIO_RUN_ID: runId },
		});
		current.on('close', (c) => resolve(c ?? 1));
	});
	if (code !== 0) failed++;
}
process.exit(failed ? 1 : 0);
