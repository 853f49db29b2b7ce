import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

import { AltegioApi } from '../../credentials/AltegioApi.credentials';

import type { Sandbox, SandboxOptions } from '../../sandbox/index.js';
import { startSandbox } from '../../sandbox/index.js';
import { CredentialStore } from './engine';
import type { FakeContext } from './fakeExecuteFunctions';
import { fakeLoadOptionsFunctions } from './fakeExecuteFunctions';

export type { Sandbox };

/** Starts a fresh sandbox for each test of the calling file, and closes it after. */
export function useSandbox(options: SandboxOptions = {}) {
	const current: { sandbox?: Sandbox } = {};
	beforeEach(async () => {
		current.sandbox = await startSandbox(options);
	});
	afterEach(async () => {
		await current.sandbox?.close();
	});
	return () => current.sandbox as Sandbox;
}

export function sandboxCredentials(sandbox: Sandbox, data: IDataObject = {}): CredentialStore {
	return new CredentialStore({
		environment: 'custom',
		baseUrl: sandbox.apiUrl,
		partnerToken: sandbox.seed.partnerToken,
		userToken: sandbox.seed.userToken as string,
		...data,
	} as never);
}

export function secretsOf(sandbox: Sandbox): string[] {
	return [
		sandbox.seed.partnerToken,
		sandbox.seed.userToken as string,
		...(sandbox.seed.users ?? []).map((user) => user.password),
	];
}

export const byPhone = (chainId: unknown = '509', phone = '={{ $json.phone }}') => ({
	resource: 'chainClient',
	operation: 'getByPhone',
	chainId: { __rl: true, mode: 'id', value: chainId },
	phone,
});

export const getChains = { resource: 'chain', operation: 'getAll' };

export interface SandboxProcess {
	url: string;
	apiUrl: string;
	seed: Sandbox['seed'];
	requests(): Promise<Array<{ at: number; status: unknown; query: Record<string, string> }>>;
	stats(): Promise<{ byStatus: Record<string, number> }>;
	close(): Promise<void>;
}

/**
 * Starts the sandbox in its own process: arrival times are then taken on an event loop that the
 * node under test does not share, as with the real API.
 */
export async function startSandboxProcess(args: string[]): Promise<SandboxProcess> {
	const { spawn } = await import('child_process');
	const { join } = await import('path');
	const child = spawn(
		process.execPath,
		[join(__dirname, '../../sandbox/cli.js'), '--port', '0', '--quiet', ...args],
		{
			stdio: ['ignore', 'pipe', 'inherit'],
		},
	);
	const apiUrl = await new Promise<string>((resolve, reject) => {
		let output = '';
		child.stdout.on('data', (chunk: Buffer) => {
			output += chunk.toString();
			const match = /API URL:\s+(\S+)/.exec(output);
			if (match) resolve(match[1]);
		});
		child.on('exit', (code) => reject(new Error(`the sandbox exited with ${code}: ${output}`)));
	});
	const url = apiUrl.replace(/\/api\/v1$/, '');
	const control = async <T>(path: string) =>
		(await (await fetch(`${url}/__sandbox/${path}`)).json()) as T;
	return {
		url,
		apiUrl,
		seed: (await import('../../sandbox/seed.json')).default as Sandbox['seed'],
		requests: async () =>
			await control<Awaited<ReturnType<SandboxProcess['requests']>>>('requests'),
		stats: async () => await control<Awaited<ReturnType<SandboxProcess['stats']>>>('stats'),
		close: async () => {
			const exited = new Promise((resolve) => child.once('exit', resolve));
			child.kill('SIGTERM');
			await exited;
		},
	};
}

/**
 * A list method's context (as the editor gives one) whose requests reach the sandbox over HTTP,
 * signed by the Altegio credential as n8n signs them.
 */
export function sandboxLoadOptions(
	sandbox: Sandbox,
	parameters: Record<string, unknown>,
): FakeContext {
	const credentials = {
		environment: 'custom',
		baseUrl: sandbox.apiUrl,
		partnerToken: sandbox.seed.partnerToken,
		userToken: sandbox.seed.userToken as string,
	};
	const http = jest.fn(async (_type: string, request: IHttpRequestOptions) => {
		const authenticate = new AltegioApi().authenticate as (
			credentials: IDataObject,
			request: IHttpRequestOptions,
		) => Promise<IHttpRequestOptions>;
		const signed = await authenticate({ ...credentials }, { ...request });
		const url = new URL(`${signed.baseURL ?? ''}${signed.url}`);
		for (const [key, value] of Object.entries(signed.qs ?? {}))
			url.searchParams.set(key, String(value));
		const response = await fetch(url, {
			method: signed.method ?? 'GET',
			headers: signed.headers as Record<string, string>,
			body: signed.body === undefined ? undefined : JSON.stringify(signed.body),
		});
		const text = await response.text();
		let body: unknown = text;
		try {
			body = JSON.parse(text);
		} catch {
			// An answer that is not JSON is handed back as text, as n8n does.
		}
		return {
			statusCode: response.status,
			headers: Object.fromEntries(response.headers.entries()),
			body,
		};
	});
	return fakeLoadOptionsFunctions({ parameters, credentials, http: http as never });
}
