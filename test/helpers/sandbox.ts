import type { IDataObject } from 'n8n-workflow';

import type { Sandbox, SandboxOptions } from '../../sandbox/index.js';
import { startSandbox } from '../../sandbox/index.js';
import { CredentialStore } from './engine';

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

/** Fails when any of the secrets appears anywhere in the serialised value. */
export function expectNoSecrets(value: unknown, secrets: string[]) {
	const text = JSON.stringify(value) ?? '';
	for (const secret of secrets) expect(text).not.toContain(secret);
}

export const byPhone = (chainId: unknown = '509', phone = '={{ $json.phone }}') => ({
	resource: 'chainClient',
	operation: 'getByPhone',
	chainId: { __rl: true, mode: 'id', value: chainId },
	phone,
});

export const getChains = { resource: 'chain', operation: 'getAll' };
