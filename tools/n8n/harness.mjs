// Harness that runs the packed n8n-nodes-altegio inside a real, pinned n8n on Node 24
// (2.41.1 by default; ALTEGIO_N8N_VERSION=1.123.81 picks the 1.x pin in tools/n8n/pins/).
//
// Everything n8n does happens through tools/n8n/n8n.sh (prepared once into ~/.cache) and isolated
// user folders in a temporary directory (WORK_DIR), so a developer's own ~/.n8n is never touched.
// The package reaches n8n the way a user's does: published to a local registry and installed by
// n8n's own Community Nodes installer (installThroughN8n). Plain ESM: runs on the repository's Node.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { cleanNpmEnv, startRegistry } from '../registry/registry.mjs';
import {
	killAllChildren,
	onShutdown,
	removeNow,
	shutdown,
	trackChild,
	trackPath,
} from './shutdown.mjs';

export { killAllChildren, onShutdown, shutdown, trackPath };

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Build output of the harness (the packed tarball), gitignored. */
export const E2E_DIR = path.join(REPO, '.e2e');
/**
 * n8n user folders live OUTSIDE the repository on purpose: inside it, Node's module resolution
 * from <user folder>/.n8n/nodes/node_modules/n8n-nodes-altegio would walk up to the repository's
 * node_modules and load its dev copy of n8n-workflow instead of n8n's own, which is not what a
 * real install sees.
 */
export const WORK_DIR =
	process.env.ALTEGIO_E2E_DIR ||
	path.join(
		os.tmpdir(),
		`n8n-nodes-altegio-e2e-${createHash('sha256').update(REPO).digest('hex').slice(0, 8)}`,
	);
export const N8N_SH = path.join(REPO, 'tools', 'n8n', 'n8n.sh');
/** The n8n this process runs (a folder name in tools/n8n/pins/). */
export const N8N_VERSION = process.env.ALTEGIO_N8N_VERSION || '2.41.1';
export const N8N_MAJOR = Number(N8N_VERSION.split('.')[0]);
export const ENCRYPTION_KEY = 'altegio-e2e-encryption-key';
export const PACKAGE_NAME = 'n8n-nodes-altegio';
export const NODE_TYPE = `${PACKAGE_NAME}.altegio`;
export const TOOL_NODE_TYPE = `${PACKAGE_NAME}.altegioTool`;
export const CREDENTIAL_TYPE = 'altegioApi';

const log = (...args) => process.stderr.write(`[e2e] ${args.join(' ')}\n`);
export { log };

/**
 * Runs a command to completion in its own process group (killed at shutdown). Output is captured;
 * with `echo` it is also streamed to stderr (visible progress under `node --test`). npm_config_*
 * values that `npm run` exported are not passed on.
 */
export function run(
	cmd,
	args,
	{ cwd = REPO, env = {}, echo = false, timeoutMs = 15 * 60_000 } = {},
) {
	return new Promise((resolve, reject) => {
		const started = Date.now();
		const child = spawn(cmd, args, {
			cwd,
			env: cleanNpmEnv(env),
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		trackChild(child);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => {
			stdout += chunk;
			if (echo) process.stderr.write(chunk);
		});
		child.stderr.on('data', (chunk) => {
			stderr += chunk;
			if (echo) process.stderr.write(chunk);
		});
		const timer = setTimeout(() => {
			process.kill(-child.pid, 'SIGKILL');
			stderr += `\n[e2e] killed after ${timeoutMs} ms`;
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			resolve({
				code: code ?? (signal ? 128 : 1),
				signal,
				stdout,
				stderr,
				ms: Date.now() - started,
			});
		});
	});
}

async function runOrThrow(cmd, args, options) {
	const result = await run(cmd, args, options);
	if (result.code !== 0) {
		const tail = (result.stdout + result.stderr).split('\n').slice(-40).join('\n');
		throw new Error(`${cmd} ${args.join(' ')} failed with code ${result.code}\n${tail}`);
	}
	return result;
}

/** A TCP port that is free right now on 127.0.0.1. */
export function freePort() {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/* ------------------------------------------------------------------------------------------------
 * n8n itself (tools/n8n/n8n.sh prepare | env | run)
 * --------------------------------------------------------------------------------------------- */

let prepared = false;

/** Installs Node 24 + the pinned n8n into the cache the first time (progress is shown), checks it. */
export async function prepareN8n() {
	if (prepared) return;
	const started = Date.now();
	await runOrThrow('bash', [N8N_SH, 'prepare'], { echo: true, timeoutMs: 60 * 60_000 });
	const ms = Date.now() - started;
	if (ms > 5000) log(`n8n prepared in ${Math.round(ms / 1000)} s`);
	prepared = true;
}

/** Paths of the prepared n8n (N8N_BIN, NODE24_BIN). */
export function n8nEnv() {
	const out = spawnSync('bash', [N8N_SH, 'env'], { encoding: 'utf8', env: cleanNpmEnv() }).stdout;
	return Object.fromEntries(
		out
			.trim()
			.split('\n')
			.map((line) => line.split(/=(.*)/s).slice(0, 2)),
	);
}

/* ------------------------------------------------------------------------------------------------
 * The package: build + npm pack once per change of the sources
 * --------------------------------------------------------------------------------------------- */

const SOURCE_ENTRIES = [
	'nodes',
	'credentials',
	'icons',
	'package.json',
	'tsconfig.json',
	'gulpfile.js',
	'README.md',
	'LICENSE.md',
	'LICENSE',
];

function hashSources() {
	const hash = createHash('sha256');
	const visit = (rel) => {
		const abs = path.join(REPO, rel);
		let stat;
		try {
			stat = fs.statSync(abs);
		} catch {
			return;
		}
		if (stat.isDirectory()) {
			for (const name of fs.readdirSync(abs).sort()) {
				if (name === 'node_modules' || name === '__tests__' || name.startsWith('.')) continue;
				visit(path.join(rel, name));
			}
		} else {
			hash.update(rel).update('\0').update(fs.readFileSync(abs)).update('\0');
		}
	};
	for (const entry of SOURCE_ENTRIES) visit(entry);
	return hash.digest('hex').slice(0, 16);
}

/**
 * Builds the package (`npm run build`) and packs it (`npm pack`) into .e2e/pack/<hash of the
 * sources>/, reusing the tarball while the sources are unchanged: a test run builds once even
 * though each test file runs in its own process.
 */
export async function buildAndPack({ force = false } = {}) {
	const key = hashSources();
	const packRoot = path.join(E2E_DIR, 'pack');
	const dir = path.join(packRoot, key);
	const done = path.join(dir, 'tarball.json');
	if (!force && fs.existsSync(done)) {
		const info = JSON.parse(fs.readFileSync(done, 'utf8'));
		if (fs.existsSync(info.tarball)) return info;
	}
	// Build into a private folder and rename it into place, so that a concurrent run never sees a
	// half-written tarball; tarballs of older sources are removed.
	const work = `${dir}.tmp-${process.pid}`;
	fs.rmSync(work, { recursive: true, force: true });
	fs.mkdirSync(work, { recursive: true });
	log('building the package (npm run build)');
	await runOrThrow('npm', ['run', 'build'], { echo: true, timeoutMs: 10 * 60_000 });
	const packed = await runOrThrow(
		'npm',
		['pack', '--json', '--ignore-scripts', '--pack-destination', work],
		{
			timeoutMs: 5 * 60_000,
		},
	);
	const [meta] = JSON.parse(packed.stdout.slice(packed.stdout.indexOf('[')));
	const info = {
		key,
		name: meta.name,
		version: meta.version,
		tarball: path.join(dir, meta.filename),
		files: meta.files.map((f) => f.path),
	};
	fs.writeFileSync(path.join(work, 'tarball.json'), JSON.stringify(info, null, 2));
	fs.rmSync(dir, { recursive: true, force: true });
	fs.renameSync(work, dir);
	for (const name of fs.readdirSync(packRoot)) {
		if (name !== key && !name.includes('.tmp-'))
			fs.rmSync(path.join(packRoot, name), { recursive: true, force: true });
	}
	log(`packed ${meta.filename} (${meta.files.length} files)`);
	return info;
}

/* ------------------------------------------------------------------------------------------------
 * Installing the package with n8n's own Community Nodes installer
 * --------------------------------------------------------------------------------------------- */

const INSTALLER_OWNER = {
	email: 'package-installer@example.com',
	firstName: 'Package',
	lastName: 'Installer',
	password: 'Installer-e2e-1234',
};

/** One call to n8n's REST API as the editor makes it; answers `{ status, body, headers }`. */
export async function restCall(baseUrl, method, route, { body, cookie } = {}) {
	const response = await fetch(`${baseUrl}/rest${route}`, {
		method,
		headers: {
			'content-type': 'application/json',
			'browser-id': 'altegio-harness',
			...(cookie ? { cookie } : {}),
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	let parsed = text;
	try {
		parsed = JSON.parse(text);
	} catch {
		/* not JSON: keep the text */
	}
	return { status: response.status, body: parsed, headers: response.headers };
}

/** The session cookie n8n set in an answer. */
export const cookieOf = (headers) =>
	(headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');

async function rest(baseUrl, method, route, options) {
	const answer = await restCall(baseUrl, method, route, options);
	if (answer.status >= 400)
		throw new Error(
			`${method} /rest${route} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 500)}`,
		);
	return { data: answer.body.data, cookie: cookieOf(answer.headers) };
}

/** Sets up the instance owner, as the first page of a new instance does; returns its session cookie. */
export async function setupOwner(baseUrl, owner) {
	return (await rest(baseUrl, 'POST', '/owner/setup', { body: owner })).cookie;
}

/**
 * Installs the package into a fresh user folder the way Settings > Community Nodes does: the
 * tarball is published to a throw-away local registry (tools/registry), n8n is started, an owner
 * is set up, and `POST /rest/community-packages {name, version}` makes n8n's installer run
 * `npm pack` + `npm install` itself (its npm calls reach the local registry through npm's proxy
 * settings, see tools/registry/registry.mjs). The owner is then removed again with
 * `n8n user-management:reset`, so the folder is like a new instance with the package installed.
 * Returns what GET /rest/community-packages listed.
 */
export async function installThroughN8n(userFolder, pack) {
	const registry = await startRegistry({ tarball: pack.tarball });
	const instance = { userFolder, transcript: [] };
	let server;
	try {
		server = await startN8n(instance, { env: await registry.installerEnv() });
		const cookie = await setupOwner(server.url, INSTALLER_OWNER);
		await rest(server.url, 'POST', '/community-packages', {
			cookie,
			body: { name: pack.name, version: pack.version },
		});
		const { data: installed } = await rest(server.url, 'GET', '/community-packages', { cookie });
		await server.stop();
		const reset = await n8n(instance, ['user-management:reset']);
		if (reset.code !== 0)
			throw new Error(`user-management:reset failed:\n${reset.stdout}\n${reset.stderr}`);
		return installed;
	} catch (error) {
		error.message += `\n--- n8n output (tail) ---\n${instance.transcript
			.map((t) => t.stdout + t.stderr)
			.join('\n')
			.split('\n')
			.slice(-30)
			.join('\n')}`;
		throw error;
	} finally {
		await server?.stop();
		await registry.close();
	}
}

/* ------------------------------------------------------------------------------------------------
 * Isolated n8n instances (user folders)
 * --------------------------------------------------------------------------------------------- */

/**
 * Environment for every n8n command of one instance. N8N_USER_FOLDER isolates the database and the
 * installed community package; a fixed N8N_ENCRYPTION_KEY lets `import:credentials` encrypt plain
 * data that `execute` and `start` then decrypt.
 */
export function instanceEnv(userFolder, extra = {}) {
	return {
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_LOG_LEVEL: 'info',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		// Installing from the npm registry through the UI would need network; the package is
		// installed from the local tarball instead (see installPackage).
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_SECURE_COOKIE: 'false',
		...extra,
	};
}

/** Runs `n8n ARGS` for an instance (through tools/n8n/n8n.sh run, i.e. on Node 24). */
export async function n8n(instance, args, { env = {}, timeoutMs = 5 * 60_000, echo = false } = {}) {
	// Each command starts its own task broker: give it a free port so that a running `npm run dev`
	// (port 5679) or a concurrent command never collides with it.
	const brokerPort = await freePort();
	const result = await run('bash', [N8N_SH, 'run', ...args], {
		env: instanceEnv(instance.userFolder, { N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...env }),
		timeoutMs,
		echo,
	});
	instance.transcript.push({ args, ...result });
	return result;
}

/** Where one run's templates live (the run removes the folder when it ends). */
export const runTemplatesDir = (runId) => path.join(WORK_DIR, 'template', runId);

/**
 * Creates an isolated n8n instance with the package installed, a fresh copy of this run's
 * template: a user folder where n8n's installer put the package (installThroughN8n), made once
 * per run (ALTEGIO_RUN_ID, set by e2e/run.mjs; else once per process) and per n8n version.
 * The instance folder is removed at shutdown unless `keep` (npm run dev keeps its own).
 * Returns { name, userFolder, pack, installed, transcript }: `transcript` keeps every command's
 * output, so that a test can check that no secret ever appeared in what n8n printed.
 */
export async function createInstance(name, { pack, keep = false } = {}) {
	await prepareN8n();
	pack = pack ?? (await buildAndPack());
	const runId = process.env.ALTEGIO_RUN_ID || `p${process.pid}`;
	const runTemplates = runTemplatesDir(runId);
	if (!process.env.ALTEGIO_RUN_ID) trackPath(runTemplates);
	const template = path.join(runTemplates, `${pack.key}-${N8N_VERSION}`);
	if (!fs.existsSync(path.join(template, '.done'))) {
		// Made in a private folder and renamed into place: concurrent test files never copy a
		// half-made template.
		const work = trackPath(`${template}.tmp-${process.pid}`);
		fs.rmSync(work, { recursive: true, force: true });
		fs.mkdirSync(work, { recursive: true });
		log(
			`installing ${pack.name}@${pack.version} with n8n ${N8N_VERSION}'s Community Nodes installer`,
		);
		const installed = await installThroughN8n(work, pack);
		fs.writeFileSync(path.join(work, '.done'), JSON.stringify(installed, null, 2));
		if (!fs.existsSync(path.join(template, '.done'))) fs.renameSync(work, template);
		removeNow(work);
	}
	const installed = JSON.parse(fs.readFileSync(path.join(template, '.done'), 'utf8'));
	const userFolder = path.join(
		WORK_DIR,
		'instances',
		keep ? name : `${name}-${N8N_VERSION}-${process.pid}`,
	);
	if (!keep) trackPath(userFolder);
	fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(path.dirname(userFolder), { recursive: true });
	fs.cpSync(template, userFolder, { recursive: true });
	fs.rmSync(path.join(userFolder, '.done'), { force: true });
	return { name, userFolder, pack, installed, transcript: [] };
}

/**
 * Puts the package of this run's template into an existing user folder (npm run dev keeps its
 * instance between runs): the files n8n's installer wrote, replacing the older version.
 */
export async function installPackage(userFolder, pack) {
	const fresh = await createInstance('package-source', { pack });
	const nodes = path.join('.n8n', 'nodes');
	fs.rmSync(path.join(userFolder, nodes, 'node_modules', pack.name), {
		recursive: true,
		force: true,
	});
	fs.cpSync(path.join(fresh.userFolder, nodes), path.join(userFolder, nodes), { recursive: true });
	removeNow(fresh.userFolder);
	return path.join(userFolder, nodes, 'node_modules', pack.name);
}

function writeJson(instance, fileName, data) {
	const file = path.join(instance.userFolder, 'fixtures', fileName);
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, JSON.stringify(data, null, 2));
	return file;
}

/** `n8n import:credentials` — an array of { id, name, type, data } with plain data (n8n encrypts it). */
export async function importCredentials(instance, credentials) {
	const file = writeJson(instance, `credentials-${Date.now()}.json`, credentials);
	const result = await n8n(instance, ['import:credentials', `--input=${file}`]);
	fs.rmSync(file, { force: true }); // plain tokens: n8n keeps them encrypted in its database
	if (result.code !== 0 || !/Successfully imported/.test(result.stdout + result.stderr)) {
		throw new Error(
			`import:credentials failed (${result.code}):\n${result.stdout}\n${result.stderr}`,
		);
	}
	return result;
}

/** `n8n import:workflow` — one call for any number of workflows (each needs an id ≤ 21 chars). */
export async function importWorkflows(instance, workflows) {
	const file = writeJson(instance, `workflows-${Date.now()}.json`, workflows);
	const result = await n8n(instance, ['import:workflow', `--input=${file}`]);
	if (result.code !== 0 || !/Successfully imported/.test(result.stdout + result.stderr)) {
		throw new Error(`import:workflow failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
	}
	return result;
}

/**
 * Makes a webhook workflow live for the next `n8n start`: `n8n publish:workflow --id=...` (2.x),
 * `n8n update:workflow --id=... --active=true` (1.x, which has no publishing).
 */
export async function publishWorkflow(instance, id) {
	const args =
		N8N_MAJOR >= 2
			? ['publish:workflow', `--id=${id}`]
			: ['update:workflow', `--id=${id}`, '--active=true'];
	const result = await n8n(instance, args);
	if (result.code !== 0) {
		throw new Error(
			`publish:workflow failed (${result.code}):\n${result.stdout}\n${result.stderr}`,
		);
	}
	return result;
}

/**
 * Extracts the execution JSON that `n8n execute --rawOutput` prints among log lines. On success it
 * is the last top-level object on stdout; on failure n8n logs "Execution was NOT successful" and
 * then the same JSON (through the logger, also stdout). A top-level object starts with a line that
 * is exactly "{" and ends with a line that is exactly "}".
 */
export function parseExecutionOutput(text) {
	const lines = text.split('\n');
	let found;
	for (let start = 0; start < lines.length; start++) {
		if (lines[start] !== '{') continue;
		for (let end = start + 1; end < lines.length; end++) {
			if (lines[end] !== '}') continue;
			try {
				found = JSON.parse(lines.slice(start, end + 1).join('\n'));
				start = end;
				break;
			} catch {
				/* not the end yet */
			}
		}
	}
	return found;
}

/** Items of every output of a node's runs: { main: [[items of output 0], [output 1], ...] } per run. */
function nodeOutputs(taskData) {
	const data = taskData?.data ?? {};
	const connectionType = 'main' in data ? 'main' : Object.keys(data)[0];
	return (connectionType ? data[connectionType] : []) ?? [];
}

/**
 * `n8n execute --id=<id> --rawOutput` and its result:
 * { code, status, error, nodes: { [name]: { outputs: [[items]...], error, runs } },
 *   items(name, output = 0, run = 0), data, stdout, stderr, ms }
 */
export async function execute(instance, workflowId, { env } = {}) {
	const result = await n8n(instance, ['execute', `--id=${workflowId}`, '--rawOutput'], { env });
	const data = parseExecutionOutput(result.stdout) ?? parseExecutionOutput(result.stderr);
	const runData = data?.data?.resultData?.runData ?? {};
	const nodes = {};
	for (const [name, runs] of Object.entries(runData)) {
		nodes[name] = {
			runs: runs.length,
			outputs: nodeOutputs(runs[runs.length - 1]),
			error: runs[runs.length - 1]?.error,
			allRuns: runs,
		};
	}
	// n8n 2.41.1 sometimes dies with SIGSEGV inside process.exit(), after it has printed the whole
	// result (isolated-vm, the default expression engine, tearing down; never seen with
	// N8N_EXPRESSION_ENGINE=legacy). The run itself is complete then: report the exit code n8n
	// was exiting with (0 success, 1 failure) and keep the signal in `exitSignal`.
	let code = result.code;
	if (result.signal && data?.status && /^\s*\}\s*$/m.test(result.stdout)) {
		code = data.status === 'success' ? 0 : 1;
	}
	return {
		code,
		exitSignal: result.signal,
		status: data?.status,
		error: data?.data?.resultData?.error,
		lastNodeExecuted: data?.data?.resultData?.lastNodeExecuted,
		nodes,
		items(name, output = 0) {
			return nodes[name]?.outputs?.[output] ?? [];
		},
		data,
		stdout: result.stdout,
		stderr: result.stderr,
		ms: result.ms,
	};
}

/* ------------------------------------------------------------------------------------------------
 * `n8n start` (webhooks, the editor)
 * --------------------------------------------------------------------------------------------- */

async function waitForHttp(url, { timeoutMs, child }) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child && (child.exitCode !== null || child.signalCode !== null)) {
			throw new Error(`n8n exited (code ${child.exitCode}) before ${url} answered`);
		}
		try {
			const response = await fetch(url);
			if (response.ok) return;
		} catch {
			/* not listening yet */
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

/**
 * Starts `n8n start` for an instance on 127.0.0.1:<port> and waits until it is ready to serve
 * (GET /healthz/readiness, then the "Editor is now accessible" log line). `ui: true` serves the
 * editor too. Returns { url, port, child, output(), stop() }; stop() ends the whole
 * process group (n8n and its task runner) and waits for it.
 */
export async function startN8n(
	instance,
	{ port, env = {}, echo = false, ui = false, timeoutMs = 180_000 } = {},
) {
	port = port ?? (await freePort());
	const brokerPort = await freePort();
	const child = spawn('bash', [N8N_SH, 'run', 'start'], {
		cwd: REPO,
		env: cleanNpmEnv({
			...instanceEnv(instance.userFolder, {
				N8N_PORT: String(port),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_HOST: 'localhost',
				N8N_RUNNERS_BROKER_PORT: String(brokerPort),
				N8N_WEBHOOK_URL: `http://localhost:${port}/`,
				// Without the editor n8n starts about a third faster (no 47 MB of UI assets to prepare).
				N8N_DISABLE_UI: ui ? 'false' : 'true',
				...env,
			}),
		}),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	trackChild(child);
	let output = '';
	const onData = (chunk) => {
		output += chunk;
		if (echo) process.stderr.write(chunk);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	const exited = new Promise((resolve) => child.on('close', resolve));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			const kill = (signal) => {
				try {
					process.kill(-child.pid, signal);
				} catch {
					/* already gone */
				}
			};
			kill('SIGTERM');
			const timer = setTimeout(() => kill('SIGKILL'), 15_000);
			await exited;
			clearTimeout(timer);
		}
		instance.transcript.push({ args: ['start'], code: child.exitCode, stdout: output, stderr: '' });
	};
	const url = `http://localhost:${port}`;
	try {
		await waitForHttp(`http://127.0.0.1:${port}/healthz/readiness`, { timeoutMs, child });
		// /healthz/readiness answers before published workflows are activated (webhooks registered);
		// n8n prints "Editor is now accessible via" once that is done.
		const deadline = Date.now() + timeoutMs;
		while (!/Editor is now accessible via/.test(output)) {
			if (child.exitCode !== null || child.signalCode !== null)
				throw new Error('n8n exited while starting');
			if (Date.now() > deadline)
				throw new Error(`n8n did not finish starting within ${timeoutMs} ms`);
			await new Promise((r) => setTimeout(r, 100));
		}
	} catch (error) {
		await stop();
		error.message += `\n${output.split('\n').slice(-40).join('\n')}`;
		throw error;
	}
	return { url, port, child, output: () => output, stop };
}

/**
 * Waits until a production webhook path is registered. n8n activates published workflows in the
 * background after start (about a second), so a call right after start can get 404. A GET probe
 * does not run a POST webhook: n8n answers "This webhook is not registered for GET requests" once
 * the path exists, and "The requested webhook ... is not registered" before.
 */
export async function waitForWebhook(server, webhookPath, { timeoutMs = 60_000 } = {}) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const response = await fetch(`${server.url}/webhook/${webhookPath}`);
		const text = await response.text();
		if (!/The requested webhook .* is not registered/.test(text)) return;
		if (Date.now() > deadline)
			throw new Error(`webhook ${webhookPath} was not registered within ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/* ------------------------------------------------------------------------------------------------
 * Sandbox (sandbox/index.js, CommonJS)
 * --------------------------------------------------------------------------------------------- */

export async function startSandbox(options = {}) {
	const mod = await import(path.join(REPO, 'sandbox', 'index.js'));
	const start = mod.startSandbox ?? mod.default?.startSandbox;
	return await start({ port: 0, ...options });
}

/** A sandbox credential for import:credentials (plain data; n8n encrypts it on import). */
export function sandboxCredential(
	sandbox,
	{ id = 'altegioSandbox01', name = 'Altegio sandbox', data = {} } = {},
) {
	return {
		id,
		name,
		type: CREDENTIAL_TYPE,
		data: {
			environment: 'custom',
			baseUrl: sandbox.apiUrl,
			partnerToken: sandbox.seed.partnerToken,
			userAuth: 'userToken',
			userToken: sandbox.seed.userToken,
			requestsPerSecond: 5,
			requestsPerMinute: 200,
			...data,
		},
	};
}

/** A sandbox credential that signs in with `user`'s login and password instead of a user token. */
export function sandboxLoginCredential(sandbox, user, { id, name }) {
	const credential = sandboxCredential(sandbox, {
		id,
		name,
		data: { userAuth: 'loginPassword', login: user.login, password: user.password },
	});
	delete credential.data.userToken;
	return credential;
}

/** Every secret the sandbox knows: tokens and passwords that must never be printed by n8n. */
export function sandboxSecrets(seed) {
	const secrets = [seed.partnerToken, seed.userToken];
	for (const user of seed.users ?? []) if (user.password) secrets.push(user.password);
	for (const key of ['userTokens', 'issuedUserTokens']) {
		if (Array.isArray(seed[key])) secrets.push(...seed[key]);
	}
	return secrets.filter((s) => typeof s === 'string' && s.length >= 6);
}

/** Which secrets occur in a text (an empty list is the expected answer). */
export function leakedSecrets(text, secrets) {
	return secrets.filter((secret) => text.includes(secret));
}
