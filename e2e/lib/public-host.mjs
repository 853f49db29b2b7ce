import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PRELOAD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'resolve-hosts.cjs');

/**
 * Serves a public API host (e.g. api.yclients.com) on 127.0.0.1:443 with a certificate made for it
 * here, passing every request on to the sandbox. Returns the environment n8n needs to trust that
 * certificate and to resolve the host to 127.0.0.1.
 */
export async function startPublicHost(hostname, sandboxUrl) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'altegio-host-'));
	const key = path.join(dir, 'key.pem');
	const cert = path.join(dir, 'cert.pem');
	execFileSync(
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
			key,
			'-out',
			cert,
			'-subj',
			`/CN=${hostname}`,
			'-addext',
			`subjectAltName=DNS:${hostname}`,
			'-addext',
			'basicConstraints=critical,CA:TRUE',
		],
		{ stdio: 'ignore' },
	);

	const target = new URL(sandboxUrl);
	const server = https.createServer(
		{ key: fs.readFileSync(key), cert: fs.readFileSync(cert) },
		(req, res) => {
			const forward = http.request(
				{
					host: target.hostname,
					port: target.port,
					method: req.method,
					path: req.url,
					headers: req.headers,
				},
				(answer) => {
					res.writeHead(answer.statusCode, answer.headers);
					answer.pipe(res);
				},
			);
			forward.on('error', () => res.destroy());
			req.pipe(forward);
		},
	);
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(443, '127.0.0.1', resolve);
	});

	return {
		env: {
			NODE_OPTIONS: `--require ${PRELOAD}`,
			NODE_EXTRA_CA_CERTS: cert,
			ALTEGIO_E2E_HOSTS: `${hostname}=127.0.0.1`,
		},
		async close() {
			server.closeAllConnections?.();
			await new Promise((resolve) => server.close(resolve));
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}
