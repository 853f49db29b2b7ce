#!/usr/bin/env node
// `npm run dev`: the n8n editor on http://localhost:5678 with this package installed, a sandbox
// Altegio API and a ready credential for it, until Ctrl-C.
//
//   npm run dev                 keep the dev instance's workflows between runs (package reinstalled)
//   npm run dev -- --fresh      start from an empty instance again
//
// Environment: N8N_PORT (5678), ALTEGIO_SANDBOX_PORT (8787; 0 = any free port),
// ALTEGIO_DEV_EMAIL / ALTEGIO_DEV_PASSWORD (the editor login).
//
// n8n 2.x always has user management, so an owner account is needed to open the editor. This
// script uses n8n's documented "instance owner managed by environment variables"
// (N8N_INSTANCE_OWNER_MANAGED_BY_ENV, N8N_INSTANCE_OWNER_EMAIL, N8N_INSTANCE_OWNER_PASSWORD_HASH:
// https://docs.n8n.io/hosting/configuration/settings-env-vars/), so there is no setup screen.

import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

import {
	buildAndPack,
	createInstance,
	importCredentials,
	importWorkflows,
	installPackage,
	onShutdown,
	n8nEnv,
	prepareN8n,
	publishWorkflow,
	sandboxCredential,
	shutdown,
	startN8n,
	startSandbox,
	WORK_DIR,
} from './n8n/harness.mjs';
import { readExamples, withCredential } from './n8n/workflows.mjs';

const fresh = process.argv.includes('--fresh');
const port = Number(process.env.N8N_PORT || 5678);
const sandboxPort = Number(process.env.ALTEGIO_SANDBOX_PORT ?? 8787);
const email = process.env.ALTEGIO_DEV_EMAIL || 'developer@example.com';
const password = process.env.ALTEGIO_DEV_PASSWORD || 'Altegio-dev-5678';
const WEBHOOK_HEADER = {
	name: 'X-Webhook-Key',
	value: process.env.ALTEGIO_DEV_WEBHOOK_KEY || 'altegio-dev-webhook-key',
};
const WEBHOOK_CREDENTIAL = { id: 'devWebhookKey001', name: 'Webhook key (dev)' };
const CREDENTIAL = { id: 'altegioSandbox01', name: 'Altegio sandbox' };
const EXAMPLE_IDS = {
	'caller-lookup.json': 'exampleCallerLookup',
	'chain-locations-to-rows.json': 'exampleChainRows',
	'ai-agent-tool.json': 'exampleAiAgentTool',
};

const say = (text = '') => process.stdout.write(`${text}\n`);

let sandbox;
let server;
let stopping = false;
onShutdown(() => {
	stopping = true;
	return server?.stop();
});
onShutdown(() => sandbox?.close());

/** A bcrypt hash of the dev password, made with the bcryptjs that n8n itself uses. */
function passwordHash() {
	const requireFromN8n = createRequire(n8nEnv().N8N_BIN);
	return requireFromN8n('bcryptjs').hashSync(password, 10);
}

async function main() {
	await prepareN8n();
	const pack = await buildAndPack();

	// A persistent instance (workflows you build survive restarts); the package is reinstalled
	// from the fresh tarball every time.
	const devFolder = path.join(WORK_DIR, 'instances', 'dev');
	const isNew = fresh || !fs.existsSync(path.join(devFolder, '.n8n', 'database.sqlite'));
	const instance = isNew
		? await createInstance('dev', { pack, keep: true })
		: { name: 'dev', userFolder: devFolder, pack, transcript: [] };
	if (!isNew) await installPackage(devFolder, pack);

	const onRequest = (entry) => {
		const query = entry.rawQuery ? `?${entry.rawQuery}` : '';
		say(
			`[sandbox] ${entry.method} ${entry.path}${query} → ${entry.status}${entry.fault ? ` (fault ${entry.fault})` : ''}`,
		);
	};
	try {
		sandbox = await startSandbox({ port: sandboxPort, today: 'now', onRequest });
	} catch (error) {
		if (error.code !== 'EADDRINUSE') throw error;
		say(`port ${sandboxPort} is busy: the sandbox takes a free port instead`);
		sandbox = await startSandbox({ port: 0, today: 'now', onRequest });
	}

	// The credential always points at this run's sandbox (same id: re-importing updates it).
	const credential = { ...sandboxCredential(sandbox, CREDENTIAL) };
	// Every example webhook requires a Header Auth credential; this one has the dev key.
	await importCredentials(instance, [
		credential,
		{ ...WEBHOOK_CREDENTIAL, type: 'httpHeaderAuth', data: WEBHOOK_HEADER },
	]);
	if (isNew) {
		const workflows = readExamples().map(({ file, workflow }) => ({
			...withCredential(withCredential(workflow, credential), WEBHOOK_CREDENTIAL, 'httpHeaderAuth'),
			// n8n's import needs an ID for each workflow of a list: one made from the file name.
			id:
				EXAMPLE_IDS[file] ??
				`ex${file.replace(/\.json$/, '').replace(/[^a-z0-9]/gi, '')}`.slice(0, 36),
		}));
		await importWorkflows(instance, workflows);
		await publishWorkflow(instance, EXAMPLE_IDS['caller-lookup.json']);
	}

	say('\nStarting n8n (this takes 15-30 s)...');
	server = await startN8n(instance, {
		port,
		ui: true,
		echo: process.env.ALTEGIO_DEV_QUIET ? false : true,
		env: {
			N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
			N8N_INSTANCE_OWNER_EMAIL: email,
			N8N_INSTANCE_OWNER_FIRST_NAME: 'Altegio',
			N8N_INSTANCE_OWNER_LAST_NAME: 'Developer',
			N8N_INSTANCE_OWNER_PASSWORD_HASH: passwordHash(),
		},
	});
	server.child.on('close', (code) => {
		if (stopping) return;
		say(`\nn8n exited (code ${code}); stopping the sandbox`);
		shutdown().finally(() => process.exit(code ?? 1));
	});

	const owner = sandbox.seed.users.find((u) => !u.twoFactor);
	say(`
==================================================================================
 n8n editor      ${server.url}
 login           ${email}
 password        ${password}

 package         ${pack.name}@${pack.version} (node type ${pack.name}.altegio)
                 installed in ${instance.userFolder}/.n8n/nodes
 credential      "${CREDENTIAL.name}" (Altegio API, environment Custom) → the sandbox
 examples        ${isNew ? 'imported' : 'kept from the last run (use --fresh to re-import)'}: ${Object.keys(EXAMPLE_IDS).join(', ')}
                 (the AI agent example needs an OpenAI credential of your own)

 sandbox API     ${sandbox.apiUrl}   (5 requests/s, 200/min, like Altegio)
 partner token   ${sandbox.seed.partnerToken}
 user token      ${sandbox.seed.userToken}
 login/password  ${owner.login} / ${owner.password}   (for "Login and Password" credentials)
 chain           509 (phones 14264037640 → 2 clients, 13155550175 → 1, 10000000000 → none)

 try the published caller-lookup webhook:
   curl -s -X POST ${server.url}/webhook/altegio-caller-lookup \\
        -H '${WEBHOOK_HEADER.name}: ${WEBHOOK_HEADER.value}' \\
        -H 'content-type: application/json' -d '{"phone": "+1 (426) 403-76-40"}'

 Ctrl-C stops n8n and the sandbox.
==================================================================================
`);
	await new Promise(() => {}); // until a signal or n8n exits
}

main().catch(async (error) => {
	process.stderr.write(`\ndev failed: ${error.stack ?? error}\n`);
	await shutdown();
	process.exit(1);
});
