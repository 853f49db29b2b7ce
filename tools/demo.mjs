#!/usr/bin/env node
// `npm run demo`: the package in a real n8n against the local Altegio sandbox, end to end.
//   1. builds and packs the package, prepares n8n 2.41.1 (the first time: ~5-10 minutes),
//   2. publishes it to a throw-away local registry and installs it into an isolated n8n user folder
//      with n8n's own Community Nodes installer (the REST call Settings > Community Nodes makes),
//   3. starts the sandbox API, imports a credential for it and the example workflows,
//   4. runs examples/chain-locations-to-rows.json with `n8n execute` and prints its items,
//   5. serves examples/caller-lookup.json with `n8n start` and calls its webhook for a few phones,
//   6. stops everything it started (also on failure and on Ctrl-C).

import { randomBytes } from 'node:crypto';
import {
	buildAndPack,
	createInstance,
	execute,
	importCredentials,
	importWorkflows,
	onShutdown,
	N8N_VERSION,
	prepareN8n,
	publishWorkflow,
	sandboxCredential,
	shutdown,
	startN8n,
	startSandbox,
	waitForWebhook,
} from './n8n/harness.mjs';
import { table } from './n8n/table.mjs';
import { readExamples, withCredential } from './n8n/workflows.mjs';

const t0 = Date.now();
const say = (text = '') => process.stdout.write(`${text}\n`);
const step = (text) => say(`\n=== ${text}  [${((Date.now() - t0) / 1000).toFixed(1)} s]`);

let sandbox;
let server;
onShutdown(() => server?.stop());
onShutdown(() => sandbox?.close());

const mask = (authorization = '') =>
	authorization.replace(/(Bearer|User) (\S{4})\S*?(\S{2})(,|$)/g, '$1 $2…$3$4');

async function main() {
	const started = Date.now();
	step(`Preparing n8n ${N8N_VERSION} on Node 24 (cached after the first run)`);
	await prepareN8n();
	step('Building and packing n8n-nodes-altegio');
	const pack = await buildAndPack();
	say(`tarball: ${pack.tarball}`);
	step("Installing the package with n8n's own Community Nodes installer, from a local registry");
	const instance = await createInstance('demo', { pack });
	say(`N8N_USER_FOLDER=${instance.userFolder}`);
	say(`package: ${instance.userFolder}/.n8n/nodes/node_modules/${pack.name}`);

	step('Starting the Altegio sandbox API');
	sandbox = await startSandbox({ today: 'now' });
	say(`API: ${sandbox.apiUrl} (rate limits 5/s, 200/min, like the real API)`);
	const credential = sandboxCredential(sandbox, { name: 'Altegio sandbox' });
	// The example's webhook answers only requests that carry its Header Auth credential.
	const header = { name: 'X-Webhook-Key', value: `demo-${randomBytes(12).toString('hex')}` };
	const headerCredential = { id: 'demoWebhookKey01', name: 'Demo webhook key' };
	const examples = Object.fromEntries(readExamples().map(({ file, workflow }) => [file, workflow]));
	await importCredentials(instance, [
		credential,
		{ ...headerCredential, type: 'httpHeaderAuth', data: header },
	]);
	await importWorkflows(instance, [
		{
			...withCredential(examples['chain-locations-to-rows.json'], credential),
			id: 'demoChainRows',
		},
		{
			...withCredential(
				withCredential(examples['caller-lookup.json'], credential),
				headerCredential,
				'httpHeaderAuth',
			),
			id: 'demoCallerLookup',
		},
	]);
	say(
		'imported: the sandbox credential, a Header Auth credential for the webhook, examples/chain-locations-to-rows.json, examples/caller-lookup.json',
	);

	step('Get Chains in n8n: examples/chain-locations-to-rows.json (n8n execute)');
	const run = await execute(instance, 'demoChainRows');
	if (run.status !== 'success')
		throw new Error(`the workflow failed: ${run.error?.message ?? run.stderr}`);
	say('Node "Get chains" (Altegio, resource Chain, operation Get Many): one item per chain');
	say(
		table(run.items('Get chains'), [
			[(i) => i.json.id, 'id'],
			[(i) => i.json.title, 'title'],
			[(i) => i.json.companies?.map((c) => c.id).join(', '), 'companies'],
			[(i) => JSON.stringify(i.pairedItem), 'pairedItem'],
		]),
	);
	say('\nNode "Spreadsheet row": one row per location');
	say(table(run.items('Spreadsheet row').map((i) => i.json)));

	step('Caller lookup: examples/caller-lookup.json served by `n8n start`');
	await publishWorkflow(instance, 'demoCallerLookup');
	server = await startN8n(instance);
	const webhook = `${server.url}/webhook/altegio-caller-lookup`;
	await waitForWebhook(server, 'altegio-caller-lookup');
	say(`POST ${webhook}  ${header.name}: <the demo's key>  {"phone": "..."}`);
	sandbox.clearRequests();
	const calls = [];
	for (const phone of [
		'+1 (426) 403-76-40',
		'1 315 555 01 75',
		'+1 000 000 00 00',
		'+1 999 555 01 00',
		'call me',
	]) {
		const response = await fetch(webhook, {
			method: 'POST',
			headers: { 'content-type': 'application/json', [header.name]: header.value },
			body: JSON.stringify({ phone }),
		});
		const body = await response.json();
		calls.push({ phone, status: response.status, body });
	}
	say(
		table(calls, [
			['phone', 'phone sent'],
			['status', 'HTTP'],
			[(c) => c.body.found, 'found'],
			[
				(c) =>
					c.body.error ??
					c.body.clients
						?.map((client) => `${client.name} #${client.id} @ location ${client.location_id}`)
						.join('; '),
				'clients (or error)',
			],
		]),
	);
	say('\nWhat the sandbox API received (tokens shortened here; n8n never prints them):');
	say(
		table(sandbox.requests, [
			'method',
			'path',
			[(r) => r.query.phone, 'phone'],
			[(r) => mask(r.headers.authorization), 'Authorization'],
			[(r) => r.headers.accept, 'Accept'],
			'status',
		]),
	);
	step('Stopping n8n and the sandbox');
	await shutdown();
	say(
		`Done in ${Math.round((Date.now() - started) / 1000)} s. Everything started here is stopped.`,
	);
}

main()
	.then(shutdown)
	.catch(async (error) => {
		process.stderr.write(`\ndemo failed: ${error.stack ?? error}\n`);
		await shutdown();
		process.exit(1);
	});
