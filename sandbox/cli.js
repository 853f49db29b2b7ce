#!/usr/bin/env node
'use strict';

/**
 * Runs the Altegio API sandbox from the command line.
 *
 *   node sandbox/cli.js [--port 8080] [--host 127.0.0.1] [--latency 200] [--jitter 0.5]
 *                       [--no-rate-limit] [--per-second 5] [--per-minute 200]
 *                       [--no-retry-after] [--seed path/to/seed.json] [--quiet]
 */

const { startSandbox } = require('./index.js');

const USAGE = `Usage: node sandbox/cli.js [options]

Options:
  --port <n>          port to listen on (default 8080; 0 picks a free one)
  --host <addr>       address to bind (default 127.0.0.1)
  --latency <ms>      delay before every API response (default 0)
  --jitter <share>    each response's delay varies by up to this share of the latency either
                      way: 0.5 gives 50 % to 150 % of it (default 0); requests count on arrival
  --no-rate-limit     turn the per-IP rate limiter off
  --per-second <n>    accepted requests per 1000 ms and IP (default 5)
  --per-minute <n>    accepted requests per 60000 ms and IP (default 200)
  --no-retry-after    send 429 without a Retry-After header
  --seed <file>       seed JSON file (default sandbox/seed.json)
  --quiet             do not print a line per request
  -h, --help          show this help`;

function fail(message) {
	process.stderr.write(`${message}\n\n${USAGE}\n`);
	process.exit(2);
}

function parseArgs(argv) {
	const opts = {
		port: 8080,
		host: '127.0.0.1',
		latency: 0,
		jitter: 0,
		rateLimit: true,
		perSecond: 5,
		perMinute: 200,
		retryAfter: true,
		seed: undefined,
		quiet: false,
	};
	const number = (flag, value) => {
		const n = Number(value);
		if (value === undefined || value === '' || !Number.isFinite(n) || n < 0)
			fail(`${flag} needs a non-negative number`);
		return n;
	};
	for (let i = 0; i < argv.length; i++) {
		let arg = argv[i];
		let value;
		const eq = arg.indexOf('=');
		if (arg.startsWith('--') && eq !== -1) {
			value = arg.slice(eq + 1);
			arg = arg.slice(0, eq);
		}
		const next = () => (value !== undefined ? value : argv[++i]);
		switch (arg) {
			case '--port':
				opts.port = number(arg, next());
				break;
			case '--host':
				opts.host = next();
				if (!opts.host) fail('--host needs an address');
				break;
			case '--latency':
				opts.latency = number(arg, next());
				break;
			case '--jitter':
				opts.jitter = number(arg, next());
				if (opts.jitter > 1) fail('--jitter needs a share from 0 to 1, such as 0.5');
				break;
			case '--no-rate-limit':
				opts.rateLimit = false;
				break;
			case '--per-second':
				opts.perSecond = number(arg, next());
				break;
			case '--per-minute':
				opts.perMinute = number(arg, next());
				break;
			case '--no-retry-after':
				opts.retryAfter = false;
				break;
			case '--seed':
				opts.seed = next();
				if (!opts.seed) fail('--seed needs a file path');
				break;
			case '--quiet':
				opts.quiet = true;
				break;
			case '-h':
			case '--help':
				process.stdout.write(`${USAGE}\n`);
				process.exit(0);
				break;
			default:
				fail(`Unknown option: ${arg}`);
		}
	}
	return opts;
}

/** Batches request lines into one write per tick so logging stays off the hot path. */
function createLineWriter() {
	let pending = [];
	let scheduled = false;
	const flush = () => {
		scheduled = false;
		if (pending.length === 0) return;
		const text = pending.join('\n') + '\n';
		pending = [];
		process.stdout.write(text);
	};
	return {
		write(line) {
			pending.push(line);
			if (!scheduled) {
				scheduled = true;
				setImmediate(flush);
			}
		},
		flush,
	};
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	const writer = createLineWriter();
	const onRequest = opts.quiet
		? undefined
		: (entry) => {
				// Never print the Authorization header or the body (they carry secrets).
				const at = (entry.at / 1000).toFixed(3).padStart(9);
				const fault = entry.fault ? `  [fault: ${entry.fault}]` : '';
				writer.write(`${at}s  ${entry.method.padEnd(6)} ${entry.path}  ${entry.status}${fault}`);
			};

	let sandbox;
	try {
		sandbox = await startSandbox({
			host: opts.host,
			port: opts.port,
			latencyMs: opts.latency,
			latencyJitter: opts.jitter,
			rateLimit: opts.rateLimit
				? { perSecond: opts.perSecond, perMinute: opts.perMinute, retryAfter: opts.retryAfter }
				: false,
			seed: opts.seed,
			today: 'now',
			onRequest,
		});
	} catch (error) {
		process.stderr.write(`Could not start the sandbox: ${error.message}\n`);
		process.exit(1);
	}

	const seed = sandbox.seed;
	const loginUser = (seed.users || []).find((u) => !u.twoFactor);
	const twoFactorUser = (seed.users || []).find((u) => u.twoFactor);
	const limits = opts.rateLimit
		? `${opts.perSecond}/s and ${opts.perMinute}/min per IP${opts.retryAfter ? ', with Retry-After' : ''}`
		: 'off';
	const lines = [
		'Altegio API sandbox is running',
		`  API URL:        ${sandbox.apiUrl}`,
		`  Partner token:  ${seed.partnerToken}`,
		`  User token:     ${seed.userToken || '(none)'}`,
	];
	if (loginUser)
		lines.push(`  Login:          ${loginUser.login} / ${loginUser.password}   (POST /auth)`);
	if (twoFactorUser)
		lines.push(`  2FA login:      ${twoFactorUser.login} / ${twoFactorUser.password}`);
	lines.push(
		`  Rate limit:     ${limits}`,
		`  Latency:        ${opts.latency} ms${opts.jitter > 0 ? ` ±${Math.round(opts.jitter * 100)} %` : ''}`,
		`  Control:        ${sandbox.url}/__sandbox/{requests,stats,faults,invalidate-user-tokens}`,
		'Press Ctrl+C to stop.',
		'',
	);
	process.stdout.write(lines.join('\n') + '\n');

	let stopping = false;
	const stop = (signal) => {
		if (stopping) return;
		stopping = true;
		writer.flush();
		const force = setTimeout(() => process.exit(0), 3000);
		force.unref();
		sandbox.close().then(() => {
			writer.flush();
			process.stdout.write(`\nSandbox stopped (${signal}).\n`);
			process.exit(0);
		});
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main();
