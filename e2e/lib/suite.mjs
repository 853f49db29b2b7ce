// Shared setup for the node:test suites: one sandbox + one isolated n8n instance per test file.

import assert from 'node:assert/strict';

import {
	cookieOf,
	createInstance,
	importCredentials,
	importWorkflows,
	killAllChildren,
	leakedSecrets,
	restCall,
	sandboxCredential,
	setupOwner,
	sandboxSecrets,
	startSandbox,
} from '../../tools/n8n/harness.mjs';

/**
 * Starts the sandbox and an n8n instance with the packed package, and imports `credentials`
 * (built from the sandbox: (sandbox) => [...]) and `workflows` ((sandbox, credential) => [...])
 * in one command each.
 */
export async function setupSuite(name, { sandboxOptions = {}, credentials, workflows } = {}) {
	const sandbox = await startSandbox(sandboxOptions);
	try {
		const instance = await createInstance(name);
		const credential = sandboxCredential(sandbox);
		const allCredentials = [credential, ...(credentials ? credentials(sandbox) : [])];
		await importCredentials(instance, allCredentials);
		if (workflows) await importWorkflows(instance, workflows(sandbox, credential));
		return {
			sandbox,
			instance,
			credential,
			secrets: sandboxSecrets(sandbox.seed),
			async close() {
				killAllChildren('SIGKILL');
				await sandbox.close();
			},
		};
	} catch (error) {
		await sandbox.close();
		throw error;
	}
}

/** Everything n8n printed in this instance (all commands), for secret checks. */
export function transcriptText(instance) {
	return instance.transcript.map((entry) => `${entry.stdout}\n${entry.stderr}`).join('\n');
}

/** Asserts that no token or password occurs in anything n8n printed. */
export function assertNoSecrets(instance, secrets, extraText = '') {
	const text = `${transcriptText(instance)}\n${extraText}`;
	assert.ok(text.length > 0, 'n8n printed nothing at all');
	assert.deepEqual(leakedSecrets(text, secrets), [], 'a secret appeared in what n8n printed');
}

/** The JSON of items, for exact comparisons. */
export const json = (items) => items.map((item) => item.json);

/** The pairedItem of items. */
export const paired = (items) => items.map((item) => item.pairedItem);

/** Sandbox requests below /api/v1, as { method, path, phone, authorization, accept, status }. */
export function apiRequests(sandbox) {
	return sandbox.requests.map((r) => ({
		method: r.method,
		path: r.path,
		query: r.query,
		authorization: r.headers.authorization,
		accept: r.headers.accept,
		status: r.status,
	}));
}

/** A readable summary of an execution when an assertion about it fails. */
export function describeRun(result) {
	const nodes = Object.fromEntries(
		Object.entries(result.nodes).map(([name, n]) => [
			name,
			n.error ? { error: n.error.message } : n.outputs.map((items) => items.length),
		]),
	);
	const tail = `${result.stdout}\n${result.stderr}`.split('\n').slice(-25).join('\n');
	return `code ${result.code}, status ${result.status}, error ${result.error?.message}\nnodes ${JSON.stringify(nodes)}\n--- n8n output (tail) ---\n${tail}`;
}

/**
 * Signs in to n8n's REST API as the editor does, as `owner` (set up first when `setup` is true),
 * and returns `rest(method, path, body)` → `{ status, body, headers }` with the session cookie.
 */
export async function restSession(baseUrl, owner, { setup = false } = {}) {
	if (setup) await setupOwner(baseUrl, owner);
	const login = await restCall(baseUrl, 'POST', '/login', {
		body: { emailOrLdapLoginId: owner.email, password: owner.password },
	});
	assert.equal(login.status, 200, `n8n refused the owner's sign-in: ${JSON.stringify(login.body)}`);
	const cookie = cookieOf(login.headers);
	return (method, path, body) => restCall(baseUrl, method, path, { body, cookie });
}
