import { createHash } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	IHttpRequestOptions,
	INodePropertyOptions,
} from 'n8n-workflow';

import { PHONE_REGIONS } from './phoneRegions';

/** What the credential knows about the API: hosts, field checks and the sign-in exchange. */

export interface ApiHost {
	baseUrl: string;
	accept: string;
}

export const API_HOSTS = {
	altegio: { baseUrl: 'https://api.alteg.io/api/v1', accept: 'application/vnd.api.v2+json' },
	yclients: {
		baseUrl: 'https://api.yclients.com/api/v1',
		accept: 'application/vnd.yclients.v2+json',
	},
} satisfies Record<string, ApiHost>;

export function resolveHost(environment: unknown, customBaseUrl: unknown): ApiHost {
	if (environment === 'yclients') return API_HOSTS.yclients;
	if (environment === 'custom') {
		return {
			baseUrl: String(customBaseUrl ?? '')
				.trim()
				.replace(/\/+$/, ''),
			accept: API_HOSTS.altegio.accept,
		};
	}
	return API_HOSTS.altegio;
}

/** A credential field that cannot work, with what to do about it. */
export class CredentialProblem extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
	}
}

export interface CheckedCredential extends ApiHost {
	userAuth: 'userToken' | 'loginPassword';
	partnerToken: string;
	budget: { perSecond: number; perMinute: number };
	/** The region (`RU`) whose national format a phone without a country code is read in. */
	defaultCountry?: string;
}

const HEADER_SAFE = /^[\x21-\x7e]+$/;

/** Checks the fields before any request is sent; throws a `CredentialProblem` naming the field. */
export function checkCredential(credentials: ICredentialDataDecryptedObject): CheckedCredential {
	const host = resolveHost(credentials.environment, credentials.baseUrl);
	if (!/^https?:\/\/[^/\s]+/i.test(host.baseUrl)) {
		throw new CredentialProblem(
			'The base URL in the Altegio API credential is not an http(s) URL',
			'Enter the API root, for example https://api.alteg.io/api/v1',
		);
	}
	if (/^https?:\/\/[^/?#]*@/i.test(host.baseUrl)) {
		throw new CredentialProblem(
			'The base URL in the Altegio API credential contains a user name or password (user:password@)',
			'Remove the part before @ from the base URL. The Altegio API is signed in to with the tokens of the credential; a proxy that needs a password cannot be used here',
		);
	}

	const cleartext = cleartextProblem(host.baseUrl);
	if (cleartext !== undefined) throw cleartext;

	const userAuth = credentials.userAuth === 'loginPassword' ? 'loginPassword' : 'userToken';
	checkHeaderValue(credentials.partnerToken, 'partner token');
	if (userAuth === 'loginPassword') {
		if (!String(credentials.login ?? '').trim() || !String(credentials.password ?? '')) {
			throw new CredentialProblem(
				'The Altegio API credential has no login or no password',
				'Enter the login (email or phone) and the password of the Altegio user in the credential',
			);
		}
	} else {
		checkHeaderValue(credentials.userToken, 'user token');
	}
	return {
		...host,
		userAuth,
		partnerToken: String(credentials.partnerToken).trim(),
		budget: {
			perSecond: budgetValue(credentials.requestsPerSecond, 5, 'Requests per Second'),
			perMinute: budgetValue(credentials.requestsPerMinute, 200, 'Requests per Minute'),
		},
		defaultCountry: defaultCountryValue(credentials.defaultCountry),
	};
}

function defaultCountryValue(value: unknown): string | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const code = String(value).trim().toUpperCase();
	if (code === '') return undefined;
	if (!PHONE_REGIONS.includes(code)) {
		throw new CredentialProblem(
			`The Default Country "${String(value).slice(0, 20)}" in the Altegio API credential is not a country that phone numbers can be read in`,
			'Choose the country from the list in the credential, or None to enter every phone with its country code',
		);
	}
	return code;
}

/** The Default Country choices: None, then every region by its English name. */
export function defaultCountryOptions(): INodePropertyOptions[] {
	let names: Intl.DisplayNames | undefined;
	try {
		names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
	} catch {
		// A Node.js built without the names of regions shows the codes alone.
	}
	const regions = PHONE_REGIONS.map((code) => {
		const name = names?.of(code);
		return { name: name && name !== code ? `${name} (${code})` : code, value: code };
	}).sort((a, b) => a.name.localeCompare(b.name, 'en'));
	return [{ name: 'None', value: '' }, ...regions];
}

/**
 * The problem with an address that would carry the tokens, or the password at sign-in, unencrypted
 * to another machine: `http://` is accepted only for this computer (localhost, 127.0.0.0/8, [::1]).
 */
export function cleartextProblem(url: string): CredentialProblem | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return undefined;
	}
	if (parsed.protocol !== 'http:' || isLoopback(parsed.hostname)) return undefined;
	return new CredentialProblem(
		`The base URL in the Altegio API credential starts with http:// and points at ${parsed.hostname}, another computer: the tokens and the password would travel unencrypted`,
		'Enter an https:// address, such as https://api.alteg.io/api/v1 or the https:// address of your proxy. http:// is accepted only for this computer: localhost, 127.0.0.1 or [::1]',
	);
}

function isLoopback(hostname: string): boolean {
	// The URL parser has already turned forms such as 127.1 or 2130706433 into 127.0.0.1.
	return (
		hostname === 'localhost' ||
		hostname === '[::1]' ||
		/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
	);
}

function budgetValue(value: unknown, fallback: number, label: string): number {
	const number = value === undefined || value === '' ? fallback : Number(value);
	if (!Number.isFinite(number) || number < 0) {
		throw new CredentialProblem(
			`${label} in the Altegio API credential is not a number of 0 or more`,
			`Enter how many requests to send at most, such as ${fallback}, or 0 to turn that limit off`,
		);
	}
	return number;
}

function checkHeaderValue(value: unknown, label: string) {
	const text = typeof value === 'string' ? value.trim() : '';
	if (text === '') {
		throw new CredentialProblem(
			`The ${label} in the Altegio API credential is empty`,
			`Paste the ${label} into the credential`,
		);
	}
	if (!HEADER_SAFE.test(text)) {
		throw new CredentialProblem(
			`The ${label} in the Altegio API credential contains a space, a line break or a character that cannot be sent in an HTTP header`,
			`Paste the ${label} again as one line, without anything around it`,
		);
	}
}

// A session token is stored with a fingerprint of whom it was issued to, so that a credential
// edited to another user, partner token or host never sends the previous user's token.
const SESSION_PREFIX = 's1.';

function sessionOwner(credentials: ICredentialDataDecryptedObject): string {
	const { baseUrl } = resolveHost(credentials.environment, credentials.baseUrl);
	return createHash('sha256')
		.update(
			JSON.stringify([
				baseUrl,
				String(credentials.partnerToken ?? '').trim(),
				String(credentials.login ?? '').trim(),
			]),
		)
		.digest('hex')
		.slice(0, 24);
}

/** The value stored in the hidden `sessionToken` field for a user token from sign-in. */
export function storedSession(credentials: ICredentialDataDecryptedObject, userToken: string) {
	return `${SESSION_PREFIX}${sessionOwner(credentials)}.${userToken}`;
}

/** The user token of the stored session when it was issued for these very fields, else `undefined`. */
export function sessionUserToken(credentials: ICredentialDataDecryptedObject): string | undefined {
	const stored = typeof credentials.sessionToken === 'string' ? credentials.sessionToken : '';
	const prefix = `${SESSION_PREFIX}${sessionOwner(credentials)}.`;
	if (!stored.startsWith(prefix)) return undefined;
	const token = stored.slice(prefix.length);
	return HEADER_SAFE.test(token) ? token : undefined;
}

/**
 * The field through which the node hands a user token it signed in for to `preAuthentication`, so
 * that n8n stores it. It is never stored itself.
 */
export const SIGNED_IN_TOKEN = 'signedInUserToken';

/**
 * The field through which the node asks `authenticate` for the partner token alone on one request,
 * as the online-booking endpoints document. It is never stored.
 */
export const PARTNER_TOKEN_ONLY = 'partnerTokenOnly';

export const SIGN_IN_TIMEOUT_MS = 30_000;

/** `POST /auth` with the login and password; it must not follow redirects to another host. */
export function signInRequest(credentials: ICredentialDataDecryptedObject): IHttpRequestOptions {
	const host = resolveHost(credentials.environment, credentials.baseUrl);
	return {
		method: 'POST',
		baseURL: host.baseUrl,
		url: '/auth',
		headers: {
			Accept: host.accept,
			Authorization: `Bearer ${String(credentials.partnerToken ?? '').trim()}`,
		},
		body: { login: String(credentials.login ?? '').trim(), password: credentials.password },
		json: true,
		timeout: SIGN_IN_TIMEOUT_MS,
		disableFollowRedirect: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
	};
}

export type SignInAnswer =
	| { userToken: string }
	| { problem: string; description: string; statusCode: number };

/** Reads the answer to `POST /auth`. */
export function readSignIn(statusCode: number, body: unknown): SignInAnswer {
	const envelope = (typeof body === 'object' && body !== null ? body : {}) as IDataObject;
	const data = (envelope.data ?? {}) as IDataObject;
	if (statusCode >= 200 && statusCode < 300 && envelope.success === true) {
		if (typeof data.user_token === 'string' && HEADER_SAFE.test(data.user_token)) {
			return { userToken: data.user_token };
		}
		if (data.uuid) {
			return {
				statusCode,
				problem:
					'Altegio asks for a confirmation code to sign in this user (two-factor authentication), which n8n cannot enter',
				description: 'Choose User Token in the credential and paste the user token instead',
			};
		}
	}
	if (statusCode >= 300 && statusCode < 400) {
		return {
			statusCode,
			problem: `The Altegio API answered the sign-in with a redirect (HTTP ${statusCode}), which is not followed`,
			description:
				'Check the environment or base URL of the credential: it must be the API root itself, not an address that forwards elsewhere',
		};
	}
	if (statusCode === 429 || statusCode >= 500) {
		return {
			statusCode,
			problem: `Altegio could not sign in the user right now (HTTP ${statusCode})`,
			description: 'Try again later',
		};
	}
	const meta = (envelope.meta ?? {}) as IDataObject;
	const reason = typeof meta.message === 'string' ? meta.message.trim() : '';
	const said = reason
		? `: ${/[.!?]$/.test(reason) ? reason.slice(0, -1) : reason}`
		: ` (HTTP ${statusCode})`;
	return {
		statusCode,
		problem: `Altegio did not sign in with the login and password of the credential${said}`,
		description: 'Check the login, the password and the partner token',
	};
}
