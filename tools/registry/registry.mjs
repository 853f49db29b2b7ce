// A throw-away npm registry on loopback (Verdaccio, pinned in ./pin) that the packed package is
// published to, so that n8n's scanner and n8n's own Community Nodes installer get it the way they
// get a published package.
//
// n8n's installer (CommunityPackagesService, 1.x and 2.x) always runs
//   npm pack <name>@<version> --registry=https://registry.npmjs.org
// because another registry is a licensed feature (N8N_COMMUNITY_PACKAGES_REGISTRY). Its npm
// calls inherit n8n's environment, so `installerEnv()` gives them npm's own proxy settings
// (npm_config_https_proxy, npm_config_cafile): a loopback proxy answers for registry.npmjs.org
// with a certificate made for this run and hands the requests to Verdaccio. It refuses any
// other host. The certificate and key live in this run's temporary folder and are removed with it.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { fileURLToPath } from 'node:url';

import { trackChild, trackPath } from '../n8n/shutdown.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const N8N_SH = path.join(HERE, '..', 'n8n', 'n8n.sh');
const PUBLIC_HOST = 'registry.npmjs.org';

/** The environment for a nested npm: no npm_config_* inherited from `npm run` by accident. */
export function cleanNpmEnv(extra = {}) {
	const keep =
		/^npm_config_(registry|cache|.*proxy|cafile|ca|strict_ssl|userconfig|globalconfig)$/i;
	const env = Object.fromEntries(
		Object.entries(process.env).filter(([name]) => !/^npm_config_/i.test(name) || keep.test(name)),
	);
	return { ...env, ...extra };
}

function listen(server) {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(server.address().port));
	});
}

async function waitFor(url, child, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`Verdaccio exited (code ${child.exitCode})`);
		try {
			if ((await fetch(url)).ok) return;
		} catch {
			/* not listening yet */
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`Verdaccio did not answer at ${url} within ${timeoutMs} ms`);
}

function npm(args, env) {
	const result = spawnSync('npm', args, { encoding: 'utf8', env: cleanNpmEnv(env) });
	if (result.status !== 0)
		throw new Error(
			`npm ${args[0]} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
		);
	return result.stdout;
}

/**
 * Starts Verdaccio on 127.0.0.1 with empty storage and publishes `tarball` to it.
 * Returns { url, dir, installerEnv(), close() }; everything is also removed at shutdown.
 */
export async function startRegistry({ tarball }) {
	const install = spawnSync('bash', [N8N_SH, 'registry'], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	if (install.status !== 0) throw new Error('could not install Verdaccio');
	const verdaccio = path.join(
		install.stdout.trim(),
		'node_modules',
		'verdaccio',
		'bin',
		'verdaccio',
	);

	const dir = trackPath(fs.mkdtempSync(path.join(os.tmpdir(), 'altegio-registry-')));
	const probe = http.createServer();
	const port = await listen(probe);
	await new Promise((r) => probe.close(r));
	const config = {
		storage: path.join(dir, 'storage'),
		uplinks: {},
		packages: { '**': { access: '$all', publish: '$all' } },
		auth: { htpasswd: { file: path.join(dir, 'htpasswd'), max_users: -1 } },
		web: { enable: false },
		logs: { type: 'file', path: path.join(dir, 'verdaccio.log'), level: 'warn' },
	};
	const configFile = path.join(dir, 'config.yaml');
	fs.writeFileSync(configFile, JSON.stringify(config, null, 2)); // JSON is YAML
	const child = trackChild(
		spawn(process.execPath, [verdaccio, '--config', configFile, '--listen', `127.0.0.1:${port}`], {
			detached: true,
			stdio: 'ignore',
		}),
	);
	const url = `http://127.0.0.1:${port}/`;
	await waitFor(`${url}-/ping`, child);

	const npmrc = path.join(dir, 'npmrc');
	fs.writeFileSync(npmrc, `//127.0.0.1:${port}/:_authToken=throw-away-local-registry\n`);
	npm(['publish', tarball, `--registry=${url}`, '--provenance=false', '--ignore-scripts=true'], {
		npm_config_userconfig: npmrc,
		npm_config_cache: path.join(dir, 'npm-cache'),
	});

	let proxy;
	return {
		url,
		dir,
		/** npm settings that take `npm … --registry=https://registry.npmjs.org` to this registry. */
		async installerEnv() {
			proxy ??= await startInterceptingProxy(dir, port);
			return {
				npm_config_https_proxy: proxy.url,
				npm_config_proxy: proxy.url,
				npm_config_cafile: proxy.certFile,
				npm_config_cache: path.join(dir, 'installer-npm-cache'),
			};
		},
		async close() {
			proxy?.server.close();
			if (child.exitCode === null) {
				process.kill(-child.pid, 'SIGTERM');
				await new Promise((r) => child.once('close', r));
			}
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

async function startInterceptingProxy(dir, registryPort) {
	const keyFile = path.join(dir, 'proxy-key.pem');
	const certFile = path.join(dir, 'proxy-cert.pem');
	const made = spawnSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-days',
			'1',
			'-keyout',
			keyFile,
			'-out',
			certFile,
			'-subj',
			`/CN=${PUBLIC_HOST}`,
			'-addext',
			`subjectAltName=DNS:${PUBLIC_HOST}`,
		],
		{ encoding: 'utf8' },
	);
	if (made.status !== 0)
		throw new Error(`openssl could not make the proxy certificate:\n${made.stderr}`);
	const key = fs.readFileSync(keyFile);
	fs.rmSync(keyFile);
	const cert = fs.readFileSync(certFile);

	// Requests that arrive for registry.npmjs.org go to Verdaccio, with the public host in Host and
	// https in X-Forwarded-Proto, so that the tarball URLs it answers with come back here too.
	const toRegistry = http.createServer((req, res) => {
		const upstream = http.request(
			{
				host: '127.0.0.1',
				port: registryPort,
				method: req.method,
				path: req.url,
				headers: { ...req.headers, host: PUBLIC_HOST, 'x-forwarded-proto': 'https' },
			},
			(answer) => {
				res.writeHead(answer.statusCode, answer.headers);
				answer.pipe(res);
			},
		);
		upstream.on('error', (error) => res.destroy(error));
		req.pipe(upstream);
	});
	const server = http.createServer((req, res) => {
		res.writeHead(403).end('only registry.npmjs.org is served here\n');
	});
	server.on('connect', (req, socket) => {
		if (req.url !== `${PUBLIC_HOST}:443`) {
			socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
			return;
		}
		socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
		const secure = new tls.TLSSocket(socket, { isServer: true, key, cert });
		secure.on('error', () => socket.destroy());
		toRegistry.emit('connection', secure);
	});
	const port = await listen(server);
	server.unref();
	return { url: `http://127.0.0.1:${port}`, certFile, server };
}
