#!/usr/bin/env node
// `npm run verify [-- --no-build]`: the package as it would be published, checked by n8n's own tools.
//   1. `n8n-node lint` (@n8n/node-cli, strict mode) on the package's sources,
//   2. the package is packed and published to a throw-away Verdaccio on loopback,
//   3. n8n's scanner (@n8n/scan-community-package) checks what that registry serves, the way
//      `npx @n8n/scan-community-package n8n-nodes-altegio` does: the published tarball and the
//      source, with its own ESLint config. Offline, the two network legs of the scanner (npm
//      provenance and the GitHub source download) cannot run; the publish workflow provides them.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import {
	analyzePackage,
	SOURCE_FILE_PATTERNS,
} from '@n8n/scan-community-package/scanner/scanner.mjs';

import { buildAndPack, REPO } from './n8n/harness.mjs';
import { trackPath } from './n8n/shutdown.mjs';
import { cleanNpmEnv, startRegistry } from './registry/registry.mjs';

const exec = promisify(execFile);
const say = (text) => process.stdout.write(`${text}\n`);
let failed = 0;

async function check(name, fn) {
	try {
		const detail = await fn();
		say(`ok   ${name}${detail ? ` (${detail})` : ''}`);
	} catch (error) {
		failed++;
		say(
			`FAIL ${name}\n${String(error.stdout ?? '') + String(error.stderr ?? '') || error.message}`,
		);
	}
}

// n8n-node lint runs `eslint .` in the folder it is started in, and the starter has no tests:
// it lints a copy of what the starter has (package.json, eslint.config.mjs, tsconfig, sources).
await check('n8n-node lint (strict)', async () => {
	fs.mkdirSync(path.join(REPO, '.e2e'), { recursive: true });
	const dir = trackPath(fs.mkdtempSync(path.join(REPO, '.e2e', 'lint-')));
	for (const entry of [
		'package.json',
		'eslint.config.mjs',
		'tsconfig.json',
		'nodes',
		'credentials',
	])
		fs.cpSync(path.join(REPO, entry), path.join(dir, entry), { recursive: true });
	fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'));
	const bin = path.join(REPO, 'node_modules', '.bin', 'n8n-node');
	await exec(bin, ['lint'], { cwd: dir, env: cleanNpmEnv(), maxBuffer: 16 << 20 });
	fs.rmSync(dir, { recursive: true, force: true });
});

const pack = await buildAndPack({ force: !process.argv.includes('--no-build') });
const registry = await startRegistry({ tarball: pack.tarball });
say(`ok   published ${pack.name}@${pack.version} to ${registry.url} (${pack.files.length} files)`);

await check('the tarball holds only dist/, package.json, README and LICENSE', () => {
	const extra = pack.files.filter((f) => !/^(dist\/|package\.json$|README\.md$|LICENSE)/.test(f));
	if (extra.length) throw new Error(`unexpected files: ${extra.join(', ')}`);
});

// What the scanner does after its network legs: `npm pack name@version` from the registry, then
// its ESLint config over the tarball's **/*.js + package.json and over the source.
const download = trackPath(fs.mkdtempSync(path.join(os.tmpdir(), 'altegio-scan-')));
await exec('npm', ['pack', `${pack.name}@${pack.version}`, '--quiet'], {
	cwd: download,
	env: cleanNpmEnv({
		npm_config_registry: registry.url,
		npm_config_cache: path.join(download, 'cache'),
	}),
});
const unpacked = path.join(download, 'package');
await exec('tar', ['-xzf', `${pack.name}-${pack.version}.tgz`], { cwd: download });

for (const [name, dir, patterns] of [
	['scanner: the tarball served by the registry', unpacked, ['**/*.js', 'package.json']],
	['scanner: the source', REPO, SOURCE_FILE_PATTERNS],
]) {
	await check(name, async () => {
		const result = await analyzePackage(dir, patterns);
		if (!result.passed) throw new Error(`${result.message}\n${result.details ?? ''}`);
	});
}

await registry.close();
say(failed ? `\n${failed} check(s) failed` : '\nall checks passed');
process.exit(failed ? 1 : 0);
