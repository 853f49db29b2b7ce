// An n8n queue-mode deployment on loopback, for the queue suite and the queue benchmark:
// Redis and PostgreSQL from Debian's packages (installed when missing) as throw-away instances
// in a temporary folder, an n8n main (`n8n start`) and workers (`n8n worker`), all on the prepared
// n8n 2.41.1. The package reaches every instance the way n8n's docs say for queue mode: installed
// by hand into each instance's ~/.n8n/nodes (here: a user folder per instance).
// stop() ends every process it started and removes every folder it made; so do SIGINT and SIGTERM.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
	CREDENTIAL_TYPE,
	REPO,
	createInstance,
	freePort,
	instanceEnv,
	log,
	n8nEnv,
	prepareN8n,
	run,
} from '../n8n/harness.mjs';

const POSTGRES_USER = 'n8n';

/** Redis and PostgreSQL binaries, installed from Debian's packages when missing. */
export function debianServices() {
	const find = () => {
		const versions = fs.existsSync('/usr/lib/postgresql')
			? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a))
			: [];
		const pgBin = versions
			.map((version) => `/usr/lib/postgresql/${version}/bin`)
			.find((dir) => fs.existsSync(path.join(dir, 'initdb')));
		const redis = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((file) =>
			fs.existsSync(file),
		);
		return pgBin && redis ? { pgBin, redis } : undefined;
	};
	let found = find();
	if (found) return found;
	if (process.getuid?.() !== 0) {
		throw new Error(
			'Redis or PostgreSQL is missing: run `apt-get install redis-server postgresql` as root',
		);
	}
	log('installing redis-server and postgresql from Debian (apt-get)');
	for (const args of [
		['update'],
		['install', '-y', '--no-install-recommends', 'redis-server', 'postgresql'],
	]) {
		const result = spawnSync('apt-get', args, {
			stdio: ['ignore', 'ignore', 'inherit'],
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
		});
		if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed`);
	}
	found = find();
	if (!found)
		throw new Error(
			'apt-get installed redis-server and postgresql, but they are not where Debian puts them',
		);
	return found;
}

/** A long-running child in its own process group; ready() resolves once `readyLine` appears. */
function startProcess(
	name,
	cmd,
	args,
	{ env = {}, cwd = REPO, readyLine, timeoutMs = 120_000 } = {},
) {
	const child = spawn(cmd, args, {
		cwd,
		env: { ...process.env, ...env },
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let output = '';
	const listeners = new Set();
	const onData = (chunk) => {
		output += chunk;
		for (const listener of listeners) listener();
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	const exited = new Promise((resolve) => child.on('close', resolve));
	const running = () => child.exitCode === null && child.signalCode === null;
	const signal = (sig) => {
		try {
			process.kill(-child.pid, sig);
		} catch {
			/* already gone */
		}
	};
	const handle = {
		name,
		child,
		output: () => output,
		exited,
		running,
		/** Waits until `pattern` matches the output (or the process ends). */
		async waitFor(pattern, waitMs = timeoutMs) {
			if (pattern.test(output)) return;
			await new Promise((resolve, reject) => {
				const timer = setTimeout(() => {
					listeners.delete(check);
					reject(new Error(`${name}: no ${pattern} within ${waitMs} ms\n${output.slice(-3000)}`));
				}, waitMs);
				const check = () => {
					if (!pattern.test(output)) return;
					clearTimeout(timer);
					listeners.delete(check);
					resolve();
				};
				listeners.add(check);
				exited.then(() => {
					if (listeners.has(check)) {
						clearTimeout(timer);
						listeners.delete(check);
						reject(
							new Error(
								`${name} exited (${child.exitCode ?? child.signalCode})\n${output.slice(-3000)}`,
							),
						);
					}
				});
			});
		},
		/** Ends the process group: `sig` first, SIGKILL after `graceMs`. */
		async stop(sig = 'SIGTERM', graceMs = 20_000) {
			if (running()) {
				signal(sig);
				const timer = setTimeout(() => signal('SIGKILL'), graceMs);
				await exited;
				clearTimeout(timer);
			}
			signal('SIGKILL'); // whatever the group left behind (a task runner)
		},
	};
	handle.ready = readyLine ? handle.waitFor(readyLine) : Promise.resolve();
	return handle;
}

async function startRedis(bin, dir) {
	const port = await freePort();
	const redis = startProcess(
		'redis',
		bin,
		[
			'--port',
			String(port),
			'--bind',
			'127.0.0.1',
			'--save',
			'',
			'--appendonly',
			'no',
			'--dir',
			dir,
		],
		{ readyLine: /Ready to accept connections/ },
	);
	await redis.ready;
	return { ...redis, port };
}

async function startPostgres(pgBin, dir) {
	const data = path.join(dir, 'pgdata');
	fs.mkdirSync(data, { recursive: true });
	// PostgreSQL refuses to run as root: as root, it runs as Debian's postgres user.
	const asRoot = process.getuid?.() === 0;
	const as = (cmd, args) =>
		asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
	if (asRoot) {
		fs.chmodSync(dir, 0o755);
		spawnSync('chown', ['-R', 'postgres:postgres', data]);
	}
	const [initCmd, initArgs] = as(path.join(pgBin, 'initdb'), [
		'-D',
		data,
		'-U',
		POSTGRES_USER,
		'--auth=trust',
		'--encoding=UTF8',
		'--no-sync',
	]);
	const init = spawnSync(initCmd, initArgs, { encoding: 'utf8', cwd: dir });
	if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}\n${init.stderr}`);
	const port = await freePort();
	const [cmd, args] = as(path.join(pgBin, 'postgres'), [
		'-D',
		data,
		'-p',
		String(port),
		'-k',
		data,
		'-c',
		'listen_addresses=127.0.0.1',
		'-c',
		'fsync=off',
		'-c',
		'synchronous_commit=off',
		'-c',
		'full_page_writes=off',
	]);
	const postgres = startProcess('postgres', cmd, args, {
		cwd: dir,
		readyLine: /database system is ready to accept connections/,
	});
	await postgres.ready;
	return { ...postgres, port, stop: async () => await postgres.stop('SIGINT', 15_000) };
}

/**
 * Starts the deployment: `workers` n8n workers, each running `concurrency` executions at once.
 * `credentials` and `workflows` are imported into the shared database before n8n starts, and
 * workflows listed in `publish` are made live (their webhooks run on the workers).
 * `pack` is the package tarball (buildAndPack()), `tag` tells deployments apart.
 * Returns { url, main, workers, env, startWorker(), stop() }.
 */
export async function startDeployment({
	workers = 2,
	concurrency = 1,
	credentials = [],
	workflows = [],
	publish = [],
	pack,
	tag = 'queue',
	env = {},
} = {}) {
	const { pgBin, redis: redisBin } = debianServices();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'altegio-queue-'));
	const started = [];
	const folders = [dir];
	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
		for (const proc of started.reverse()) await proc.stop();
		for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
	};
	const onSignal = (sig) => {
		log(`${sig}: stopping the queue-mode deployment`);
		void stop().finally(() => process.exit(sig === 'SIGINT' ? 130 : 143));
	};
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);

	try {
		const redis = await startRedis(redisBin, dir);
		started.push(redis);
		const postgres = await startPostgres(pgBin, dir);
		started.push(postgres);
		const queueEnv = {
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: 'postgres',
			DB_POSTGRESDB_USER: POSTGRES_USER,
			DB_POSTGRESDB_PASSWORD: '',
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			N8N_EXPRESSION_ENGINE: 'legacy',
			...env,
		};

		// tools/n8n/n8n.sh runs n8n on SQLite; queue mode needs PostgreSQL, so n8n runs directly on Node 24
		await prepareN8n();
		const { N8N_BIN, NODE24_BIN } = n8nEnv();
		const nodeEnv = { PATH: `${path.dirname(NODE24_BIN)}:${process.env.PATH}` };
		const envOf = async (instance, extra = {}) =>
			instanceEnv(instance.userFolder, {
				...nodeEnv,
				...queueEnv,
				N8N_RUNNERS_BROKER_PORT: String(await freePort()),
				...extra,
			});

		const mainInstance = await createInstance(`${tag}-main`, { pack });
		folders.push(mainInstance.userFolder);
		const cli = async (args) => {
			const result = await run(NODE24_BIN, [N8N_BIN, ...args], {
				env: await envOf(mainInstance),
				timeoutMs: 5 * 60_000,
			});
			if (result.code !== 0) {
				throw new Error(
					`n8n ${args[0]} failed (${result.code}):\n${result.stdout}\n${result.stderr}`,
				);
			}
			return result;
		};
		const writeFixture = (name, data) => {
			const file = path.join(mainInstance.userFolder, `${name}.json`);
			fs.writeFileSync(file, JSON.stringify(data));
			return file;
		};
		// the first command on the new database runs n8n's migrations
		if (credentials.length > 0)
			await cli(['import:credentials', `--input=${writeFixture('credentials', credentials)}`]);
		if (workflows.length > 0)
			await cli(['import:workflow', `--input=${writeFixture('workflows', workflows)}`]);
		for (const id of publish) await cli(['publish:workflow', `--id=${id}`]);

		const port = await freePort();
		const main = startProcess('main', NODE24_BIN, [N8N_BIN, 'start'], {
			env: await envOf(mainInstance, {
				N8N_PORT: String(port),
				N8N_LISTEN_ADDRESS: '127.0.0.1',
				N8N_HOST: 'localhost',
				N8N_WEBHOOK_URL: `http://localhost:${port}/`,
				N8N_DISABLE_UI: 'true',
			}),
			readyLine: /Editor is now accessible via/,
			timeoutMs: 180_000,
		});
		started.push(main);
		await main.ready;
		main.url = `http://127.0.0.1:${port}`;

		const workerHandles = [];
		const startWorker = async (index = workerHandles.length + 1) => {
			const instance = await createInstance(`${tag}-worker-${index}`, { pack });
			folders.push(instance.userFolder);
			const healthPort = await freePort();
			const worker = startProcess(
				`worker-${index}`,
				NODE24_BIN,
				[N8N_BIN, 'worker', `--concurrency=${concurrency}`],
				{
					env: await envOf(instance, {
						QUEUE_HEALTH_CHECK_ACTIVE: 'true',
						QUEUE_HEALTH_CHECK_PORT: String(healthPort),
						N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
					}),
					readyLine: /n8n worker is now ready/,
					timeoutMs: 180_000,
				},
			);
			started.push(worker);
			await worker.ready;
			const handle = {
				...worker,
				index,
				instance,
				executions: () => executionsOf(worker.output()),
			};
			workerHandles.push(handle);
			return handle;
		};
		for (let i = 1; i <= workers; i++) await startWorker(i);

		return { url: main.url, main, workers: workerHandles, env: queueEnv, startWorker, stop, dir };
	} catch (error) {
		await stop();
		throw error;
	}
}

/** Execution ids a worker's log says it finished ("Worker finished execution 12 (job 7)"). */
export function executionsOf(output) {
	return [...output.matchAll(/Worker finished execution (\d+)/g)].map((match) => match[1]);
}

/** Calls a production webhook on the main and returns { status, body, ms }. */
export async function callWebhook(url, webhookPath, body, headers = {}) {
	const started = Date.now();
	const response = await fetch(`${url}/webhook/${webhookPath}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body),
	});
	const text = await response.text();
	let parsed;
	try {
		parsed = JSON.parse(text);
	} catch {
		parsed = text;
	}
	return { status: response.status, body: parsed, ms: Date.now() - started };
}

/**
 * A webhook workflow that looks up the phones of its request body (`{ phones: [...] }`), one
 * item each, with the Altegio node, and answers with a summary of what the node gave:
 * `{ items, errors: [messages], clients: [ids] }`.
 */
export function lookupWorkflow({ id, webhookPath, credential, options = {} }) {
	const nodes = [
		{
			name: 'Lookup request',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: `${id}-hook`,
			parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', options: {} },
		},
		{
			name: 'One item per phone',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [200, 0],
			parameters: { jsCode: 'return $json.body.phones.map((phone) => ({ json: { phone } }));' },
		},
		{
			name: 'Find client by phone',
			type: 'n8n-nodes-altegio.altegio',
			typeVersion: 1,
			position: [400, 0],
			parameters: {
				resource: 'chainClient',
				operation: 'getByPhone',
				chainId: { __rl: true, mode: 'id', value: '509' },
				phone: '={{ $json.phone }}',
				options,
			},
			credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
			onError: 'continueRegularOutput',
			alwaysOutputData: true,
		},
		{
			name: 'Summary',
			type: 'n8n-nodes-base.code',
			typeVersion: 2,
			position: [600, 0],
			parameters: {
				jsCode: [
					'const all = $input.all().filter((item) => Object.keys(item.json).length > 0);',
					'return [{ json: {',
					'  items: all.length,',
					'  errors: all.filter((item) => item.json.error).map((item) => String(item.json.error)),',
					'  clients: all.filter((item) => !item.json.error).map((item) => item.json.id),',
					'} }];',
				].join('\n'),
			},
		},
	];
	const chain = nodes.map((node) => node.name);
	const connections = {};
	for (let i = 0; i + 1 < chain.length; i++) {
		connections[chain[i]] = { main: [[{ node: chain[i + 1], type: 'main', index: 0 }]] };
	}
	return {
		id,
		name: id,
		active: false,
		isArchived: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections,
	};
}
