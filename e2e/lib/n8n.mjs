// Harness that runs the packed n8n-nodes-altegio inside a real, pinned n8n (2.41.1 on Node 24).
//
// Everything n8n does happens through scripts/n8n.sh (prepared once into ~/.cache) and an isolated
// user folder in a temporary directory (WORK_DIR), so a developer's own ~/.n8n is never touched.
// Plain ESM JavaScript: the harness itself runs on the repository's Node (20+).

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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
export const N8N_SH = path.join(REPO, 'scripts', 'n8n.sh');
export const ENCRYPTION_KEY = 'altegio-e2e-encryption-key';
export const PACKAGE_NAME = 'n8n-nodes-altegio';
export const NODE_TYPE = `${PACKAGE_NAME}.altegio`;
export const TOOL_NODE_TYPE = `${PACKAGE_NAME}.altegioTool`;
export const CREDENTIAL_TYPE = 'altegioApi';

const log = (...args) => process.stderr.write(`[e2e] ${args.join(' ')}\n`);
export { log };

/* ------------------------------------------------------------------------------------------------
 * Processes: every child started here is tracked and killed (whole process group) on exit.
 * --------------------------------------------------------------------------------------------- */

const children = new Set();

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

/** Kills every child process this module started (used on exit, Ctrl-C and failures). */
export function killAllChildren(signal = 'SIGKILL') {
	for (const child of children) killGroup(child, signal);
}

process.on('exit', () => killAllChildren('SIGKILL'));

/**
 * Runs a command to completion in its own process group. Output is captured; with `echo` it is
 * also streamed to stderr (visible progress under `node --test`, whose stdout is the reporter's).
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
			env: { ...process.env, ...env },
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		children.add(child);
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
			killGroup(child, 'SIGKILL');
			stderr += `\n[e2e] killed after ${timeoutMs} ms`;
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			children.delete(child);
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			children.delete(child);
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
 * n8n itself (scripts/n8n.sh prepare | env | run)
 * --------------------------------------------------------------------------------------------- */

let prepared = false;

/** Installs Node 24 + n8n 2.41.1 into the cache the first time (progress is shown); idempotent. */
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
	const out = spawnSync('bash', [N8N_SH, 'env'], { encoding: 'utf8' }).stdout;
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
 * Installing the tarball like Settings > Community nodes does
 * --------------------------------------------------------------------------------------------- */

/**
 * Lays the package out exactly as n8n 2.41's CommunityPackagesService.installPackage does
 * (packages/cli/src/modules/community-packages/community-packages.service.ts, downloadPackage):
 *   <user folder>/.n8n/nodes/package.json                      {"name":"installed-nodes","private":true,"dependencies":{pkg: version}}
 *   <user folder>/.n8n/nodes/node_modules/<pkg>/               the tarball, `tar -xzf --strip-components=1`
 *   <user folder>/.n8n/nodes/node_modules/<pkg>/package.json   without devDependencies/peerDependencies/optionalDependencies
 * then `npm install --audit=false --fund=false --bin-links=false --install-strategy=shallow
 * --ignore-scripts=true --package-lock=false` inside the package folder (installs runtime
 * dependencies; this package has none, so nothing is fetched). At start n8n's community-packages
 * module scans <nodes>/node_modules/n8n-nodes-* and loads each as `<package name>.<node name>`;
 * `n8n-workflow` resolves from n8n's own copy (n8n prepends its module paths to NODE_PATH).
 * The only thing left out is the database row that lists the package under Settings >
 * Community nodes (n8n writes it after an install through the UI); loading does not need it.
 */
export async function installPackage(userFolder, pack) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const pkgDir = path.join(nodesDir, 'node_modules', pack.name);
	fs.rmSync(pkgDir, { recursive: true, force: true });
	fs.mkdirSync(pkgDir, { recursive: true });
	await runOrThrow('tar', ['-xzf', pack.tarball, '-C', pkgDir, '--strip-components=1']);
	const pkgJsonPath = path.join(pkgDir, 'package.json');
	const pkgJson = JSON.parse(fs.readFileSync(pkgJsonPath, 'utf8'));
	delete pkgJson.devDependencies;
	delete pkgJson.peerDependencies;
	delete pkgJson.optionalDependencies;
	fs.writeFileSync(pkgJsonPath, JSON.stringify(pkgJson, null, 2), 'utf8');
	await runOrThrow(
		'npm',
		[
			'install',
			'--audit=false',
			'--fund=false',
			'--bin-links=false',
			'--install-strategy=shallow',
			'--ignore-scripts=true',
			'--package-lock=false',
		],
		{ cwd: pkgDir, timeoutMs: 5 * 60_000 },
	);
	const ledgerPath = path.join(nodesDir, 'package.json');
	const ledger = fs.existsSync(ledgerPath)
		? JSON.parse(fs.readFileSync(ledgerPath, 'utf8'))
		: { name: 'installed-nodes', private: true, dependencies: {} };
	ledger.dependencies = { ...ledger.dependencies, [pack.name]: pkgJson.version };
	fs.writeFileSync(ledgerPath, JSON.stringify(ledger, null, 2), 'utf8');
	return pkgDir;
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

/** Runs `n8n ARGS` for an instance (through scripts/n8n.sh run, i.e. on Node 24). */
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

/**
 * Creates an isolated n8n instance with the package installed:
 * <WORK_DIR>/instances/<name>/ (a fresh copy of a per-package template whose database is migrated).
 * Returns { name, userFolder, pack, transcript } — `transcript` keeps every command's output, so
 * that a test can check that no secret ever appeared in what n8n printed.
 */
export async function createInstance(name, { pack } = {}) {
	await prepareN8n();
	pack = pack ?? (await buildAndPack());
	const n8nKey = createHash('sha256')
		.update(n8nEnv().N8N_BIN ?? '')
		.digest('hex')
		.slice(0, 8);
	const templates = path.join(WORK_DIR, 'template');
	const template = path.join(templates, `${pack.key}-${n8nKey}`);
	if (!fs.existsSync(path.join(template, '.done'))) {
		// Prepared in a private folder and renamed into place: concurrent runs never copy a
		// half-made template. Templates of older builds are removed.
		const work = `${template}.tmp-${process.pid}`;
		fs.rmSync(work, { recursive: true, force: true });
		fs.mkdirSync(work, { recursive: true });
		await installPackage(work, pack);
		// The first command on a new database runs the migrations (a few seconds): once, here.
		const result = await n8n({ userFolder: work, transcript: [] }, ['list:workflow']);
		if (result.code !== 0)
			throw new Error(`n8n failed to initialise:\n${result.stdout}\n${result.stderr}`);
		fs.writeFileSync(path.join(work, '.done'), new Date().toISOString());
		if (fs.existsSync(path.join(template, '.done'))) {
			fs.rmSync(work, { recursive: true, force: true });
		} else {
			fs.rmSync(template, { recursive: true, force: true });
			fs.renameSync(work, template);
		}
		for (const name of fs.readdirSync(templates)) {
			const stale = path.join(templates, name);
			if (stale !== template && !name.includes('.tmp-'))
				fs.rmSync(stale, { recursive: true, force: true });
		}
	}
	const userFolder = path.join(WORK_DIR, 'instances', name);
	fs.rmSync(userFolder, { recursive: true, force: true });
	fs.mkdirSync(path.dirname(userFolder), { recursive: true });
	fs.cpSync(template, userFolder, { recursive: true });
	fs.rmSync(path.join(userFolder, '.done'), { force: true });
	return { name, userFolder, pack, transcript: [] };
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

/** `n8n publish:workflow --id=...` — makes a webhook workflow live for the next `n8n start`. */
export async function publishWorkflow(instance, id) {
	const result = await n8n(instance, ['publish:workflow', `--id=${id}`]);
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
		env: {
			...process.env,
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
		},
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	children.add(child);
	let output = '';
	const onData = (chunk) => {
		output += chunk;
		if (echo) process.stderr.write(chunk);
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	const exited = new Promise((resolve) => child.on('close', resolve));
	exited.then(() => children.delete(child));
	const stop = async () => {
		if (child.exitCode === null && child.signalCode === null) {
			killGroup(child, 'SIGTERM');
			const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 15_000);
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
