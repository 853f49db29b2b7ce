// One shutdown for every tool that starts n8n, the sandbox or the registry (demo, dev, the e2e,
// browser and bench suites). What it tracks is ended and removed on a normal exit, on a failure,
// on SIGINT, SIGTERM and SIGHUP (the terminal closed), and, through a small watcher process, even
// when this process is killed outright or its test runner exits first.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REAPER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reaper.cjs');
const children = new Set();
const paths = new Set();
const hooks = [];
let reaper;

function tell(line) {
	if (!reaper) {
		reaper = spawn(process.execPath, [REAPER], {
			detached: true,
			stdio: ['pipe', 'ignore', 'ignore'],
		});
		reaper.unref();
		reaper.stdin.unref?.();
		reaper.stdin.on('error', () => {});
	}
	reaper.stdin.write(`${line}\n`);
}

function killGroup(child, signal) {
	if (child.exitCode !== null || child.signalCode !== null) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* already gone */
		}
	}
}

/** Tracks a child started with `detached: true` (its own process group): the group is killed at shutdown. */
export function trackChild(child) {
	children.add(child);
	tell(`+group ${child.pid}`);
	child.on('close', () => {
		children.delete(child);
		tell(`-group ${child.pid}`);
	});
	return child;
}

/** Removes a file or folder at shutdown (instance folders hold credentials; key material). */
export function trackPath(target) {
	paths.add(target);
	tell(`+path ${target}`);
	return target;
}

export function removeNow(target) {
	fs.rmSync(target, { recursive: true, force: true });
	paths.delete(target);
	tell(`-path ${target}`);
}

/** Runs `hook` (async, e.g. a graceful stop) at shutdown, before the remaining processes are killed. */
export function onShutdown(hook) {
	hooks.push(hook);
}

/** Kills every tracked process group now. */
export function killAllChildren(signal = 'SIGKILL') {
	for (const child of children) killGroup(child, signal);
}

/** The folder that held a removed path (such as a run's `template/`) goes too once it is empty. */
function removeIfEmpty(folder) {
	try {
		fs.rmdirSync(folder);
	} catch {
		/* not empty, or gone */
	}
}

function finalSweep() {
	killAllChildren('SIGKILL');
	for (const target of paths) fs.rmSync(target, { recursive: true, force: true });
	paths.clear();
}

let stopping;
/** Runs the hooks (newest first, 20 s at most), then kills what is left and removes tracked paths. */
export function shutdown() {
	stopping ??= (async () => {
		const hooksDone = (async () => {
			for (const hook of hooks.reverse())
				await Promise.resolve()
					.then(hook)
					.catch(() => {});
		})();
		await Promise.race([hooksDone, new Promise((r) => setTimeout(r, 20_000).unref())]);
		finalSweep();
	})();
	return stopping;
}

process.on('exit', finalSweep);

// `npm run` starts scripts through `sh -c`, and a SIGTERM to npm ends that shell without passing
// the signal on: when the process that started this one is gone, this one stops too.
const parent = process.ppid;
setInterval(() => {
	if (process.ppid === parent) return;
	process.stderr.write('\nthe parent process exited: stopping everything this run started\n');
	shutdown().finally(() => process.exit(129));
}, 1000).unref();
for (const [signal, code] of [
	['SIGINT', 130],
	['SIGTERM', 143],
	['SIGHUP', 129],
]) {
	process.on(signal, () => {
		process.stderr.write(`\n${signal}: stopping everything this run started\n`);
		shutdown().finally(() => process.exit(code));
	});
}
