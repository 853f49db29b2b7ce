/**
 * A small stand-in for n8n's IExecuteFunctions / ILoadOptionsFunctions, enough to run the Altegio
 * node's code without n8n's engine.
 */
import { readFileSync } from 'fs';
import { join } from 'path';

import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	INode,
	INodeExecutionData,
	IPairedItemData,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

import { AltegioApi } from '../../credentials/AltegioApi.credentials';

export const PARTNER_TOKEN = 'partner-token-Q7f2';
export const USER_TOKEN = 'user-token-K9m4';

/** Credential data for tests: the two tokens, and pacing off so no test waits on the real clock. */
export const TEST_CREDENTIALS: IDataObject = {
	partnerToken: PARTNER_TOKEN,
	userToken: USER_TOKEN,
	requestsPerSecond: 0,
	requestsPerMinute: 0,
};

export const NODE: INode = {
	id: 'altegio-node-id',
	name: 'Altegio',
	type: 'n8n-nodes-altegio.altegio',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

/** The full response `httpRequestWithAuthentication` resolves with when `returnFullResponse` is set. */
export interface FullResponse {
	statusCode: number;
	headers?: IDataObject;
	body: unknown;
}

export type HttpMock = jest.Mock<
	Promise<unknown>,
	[string, IHttpRequestOptions, IAdditionalCredentialOptions?]
>;

export interface FakeOptions {
	/** Node parameters; a parameter value may be a function of the item index. */
	parameters?: Record<string, unknown>;
	items?: INodeExecutionData[];
	/** Replaces TEST_CREDENTIALS; the credential's own defaults are always filled in below. */
	credentials?: IDataObject;
	continueOnFail?: boolean;
	/** The fake `httpRequestWithAuthentication`; a fresh `jest.fn()` when omitted. */
	http?: HttpMock;
	/** What `getExecutionCancelSignal` returns. */
	cancelSignal?: AbortSignal;
}

export type FakeContext = IExecuteFunctions &
	ILoadOptionsFunctions & {
		helpers: { httpRequestWithAuthentication: HttpMock };
	};

/** The defaults of every property of the Altegio API credential, as n8n fills them in. */
export function credentialDefaults(): ICredentialDataDecryptedObject {
	const defaults: ICredentialDataDecryptedObject = {};
	for (const property of new AltegioApi().properties) {
		defaults[property.name] = property.default as ICredentialDataDecryptedObject[string];
	}
	return defaults;
}

function isResourceLocator(value: unknown): value is { __rl: true; mode: string; value: unknown } {
	return typeof value === 'object' && value !== null && (value as IDataObject).__rl === true;
}

export function fakeExecuteFunctions(options: FakeOptions = {}): FakeContext {
	const parameters = options.parameters ?? {};
	const items = options.items ?? [{ json: {} }];
	const credentials = { ...credentialDefaults(), ...(options.credentials ?? TEST_CREDENTIALS) };
	const http: HttpMock = options.http ?? jest.fn();

	const context = {
		getNodeParameter(
			name: string,
			itemIndex: number,
			fallback?: unknown,
			parameterOptions?: { extractValue?: boolean },
		): unknown {
			if (!(name in parameters)) {
				// n8n returns the fallback when one is given, and throws otherwise.
				if (arguments.length >= 3) return fallback;
				throw new Error(`Could not get parameter "${name}"`);
			}
			const raw = parameters[name];
			const value = typeof raw === 'function' ? (raw as (i: number) => unknown)(itemIndex) : raw;
			if (parameterOptions?.extractValue && isResourceLocator(value)) return value.value;
			return value;
		},
		// What a list method of the editor reads: the parameter as the node holds it now.
		getCurrentNodeParameter(name: string, parameterOptions?: { extractValue?: boolean }): unknown {
			const value = parameters[name];
			if (parameterOptions?.extractValue && isResourceLocator(value)) return value.value;
			return value;
		},
		getNode: () => NODE,
		getExecutionCancelSignal: () => options.cancelSignal,
		getInputData: () => items,
		continueOnFail: () => options.continueOnFail ?? false,
		getCredentials: async () => ({ ...credentials }),
		helpers: {
			httpRequestWithAuthentication: http,
			returnJsonArray: (data: IDataObject | IDataObject[]): INodeExecutionData[] =>
				(Array.isArray(data) ? data : [data]).map((json) => ({ json })),
			constructExecutionMetaData: (
				inputData: INodeExecutionData[],
				{ itemData }: { itemData: IPairedItemData | IPairedItemData[] },
			) => inputData.map((item) => ({ ...item, pairedItem: itemData })),
		},
	};
	return context as unknown as FakeContext;
}

/** A context for list search methods: it has no input data, like n8n's ILoadOptionsFunctions. */
export function fakeLoadOptionsFunctions(options: FakeOptions = {}): FakeContext {
	const context = fakeExecuteFunctions(options) as unknown as Record<string, unknown>;
	delete context.getInputData;
	delete context.continueOnFail;
	delete context.getExecutionCancelSignal;
	return context as unknown as FakeContext;
}

/** A JSON response as n8n hands it back with `returnFullResponse: true`. */
export function respond(
	statusCode: number,
	body: unknown,
	headers: IDataObject = {},
): FullResponse {
	return { statusCode, headers: { 'content-type': 'application/json', ...headers }, body };
}

/** A copy of a response body from test/fixtures (JSON files are parsed, other files are text). */
export function fixture<T = IDataObject>(name: string): T {
	const text = readFileSync(join(__dirname, '..', 'fixtures', name), 'utf8');
	return (name.endsWith('.json') ? JSON.parse(text) : text) as T;
}

/** The error a promise rejects with; fails the test when it resolves. */
export async function caught<E = NodeApiError & NodeOperationError>(
	promise: Promise<unknown>,
): Promise<E> {
	let value: unknown;
	try {
		value = await promise;
	} catch (error) {
		return error as E;
	}
	throw new Error(`Expected a rejection, but it resolved with ${JSON.stringify(value)}`);
}

/**
 * Asserts that no secret appears in what n8n shows or stores of a value: its JSON, and the message
 * and description of an error (which JSON leaves out).
 */
export function expectNoSecrets(value: unknown, secrets: string[] = [PARTNER_TOKEN, USER_TOKEN]) {
	const { message, description } = (value ?? {}) as { message?: unknown; description?: unknown };
	const shown = [JSON.stringify(value) ?? '', String(message), String(description)];
	for (const secret of secrets) {
		for (const text of shown) expect(text).not.toContain(secret);
	}
}
