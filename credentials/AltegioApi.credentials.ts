import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import {
	cleartextProblem,
	defaultCountryOptions,
	PARTNER_TOKEN_ONLY,
	readSignIn,
	sessionUserToken,
	SIGNED_IN_TOKEN,
	signInRequest,
	storedSession,
} from './common/altegio';

export class AltegioApi implements ICredentialType {
	name = 'altegioApi';

	displayName = 'Altegio API';

	icon = 'file:altegio.svg' as const;

	documentationUrl = 'https://github.com/n8n-nodes-altegio/n8n-nodes-altegio#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Environment',
			name: 'environment',
			type: 'options',
			options: [
				{ name: 'Altegio', value: 'altegio', description: 'api.alteg.io' },
				{ name: 'YCLIENTS', value: 'yclients', description: 'api.yclients.com' },
				{
					name: 'Custom',
					value: 'custom',
					description: 'Another address, such as a proxy or a test server',
				},
			],
			default: 'altegio',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. http://127.0.0.1:8080/api/v1',
			description:
				'The API root that the paths /groups and /group/{ID}/clients are appended to. It must start with https://; http:// is accepted only for this computer (localhost, 127.0.0.1, [::1]).',
			displayOptions: { show: { environment: ['custom'] } },
		},
		{
			displayName: 'Partner Token',
			name: 'partnerToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'The bearer token of your developer account, shown in the Marketplace account settings',
		},
		{
			displayName: 'User Authentication',
			name: 'userAuth',
			type: 'options',
			options: [
				{ name: 'User Token', value: 'userToken', description: 'Paste a user token' },
				{
					name: 'Login and Password',
					value: 'loginPassword',
					description: 'Sign in as the user to get a user token, again whenever it stops working',
				},
			],
			default: 'userToken',
		},
		{
			displayName: 'User Token',
			name: 'userToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'The token of the Altegio user whose data the node reads. It changes when the user changes their password.',
			displayOptions: { show: { userAuth: ['userToken'] } },
		},
		{
			displayName: 'Login',
			name: 'login',
			type: 'string',
			default: '',
			placeholder: 'e.g. name@example.com',
			description: 'The email address or the phone number (with country code) of the Altegio user',
			displayOptions: { show: { userAuth: ['loginPassword'] } },
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			displayOptions: { show: { userAuth: ['loginPassword'] } },
		},
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Default Country',
			name: 'defaultCountry',
			type: 'options',
			options: defaultCountryOptions(),
			default: '',
			description:
				'The country whose national format a phone number without its country code is read in, such as 8 (916) 123-45-67 in Russia or 07700 900123 in the UK. With None, every phone needs its country code.',
		},
		{
			displayName: 'Requests per Second',
			name: 'requestsPerSecond',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 5,
			description:
				'Most requests this n8n instance sends with this credential in any second. The API allows 5 per IP address; 0 turns pacing off.',
		},
		{
			displayName: 'Requests per Minute',
			name: 'requestsPerMinute',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 200,
			description:
				'Most requests this n8n instance sends with this credential in any minute. The API allows 200 per IP address; 0 turns pacing off.',
		},
	];

	// A function rather than a header template: n8n would evaluate a template as an expression on
	// every request, which costs more than the request itself when the API answers fast.
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// The node refuses such an address before it sends anything; this also covers the Test button.
		refuseCleartext(requestOptions.url, requestOptions.baseURL);
		const partnerToken = String(credentials.partnerToken ?? '').trim();
		if (credentials[PARTNER_TOKEN_ONLY] === true) {
			return {
				...requestOptions,
				headers: { ...requestOptions.headers, Authorization: `Bearer ${partnerToken}` },
			};
		}
		const userToken =
			credentials.userAuth === 'loginPassword'
				? (sessionUserToken(credentials) ?? '')
				: String(credentials.userToken ?? '').trim();
		return {
			...requestOptions,
			headers: {
				...requestOptions.headers,
				Authorization: `Bearer ${partnerToken}, User ${userToken}`,
			},
		};
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.environment === "yclients" ? "https://api.yclients.com/api/v1" : $credentials.environment === "custom" ? $credentials.baseUrl : "https://api.alteg.io/api/v1" }}',
			url: '/groups',
			headers: {
				Accept:
					'={{ $credentials.environment === "yclients" ? "application/vnd.yclients.v2+json" : "application/vnd.api.v2+json" }}',
			},
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'success',
					value: false,
					message: 'The Altegio API did not accept these tokens',
				},
			},
		],
	};

	/**
	 * Signs in with the login and password when the stored session token is empty or expired. The
	 * node signs in itself, paced like its other requests, and hands the token over in
	 * `signedInUserToken` so that n8n stores it here.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		// A request with the partner token alone needs no user signed in.
		if (credentials.userAuth !== 'loginPassword' || credentials[PARTNER_TOKEN_ONLY] === true) {
			return {};
		}
		const handedOver = credentials[SIGNED_IN_TOKEN];
		if (typeof handedOver === 'string' && handedOver !== '') {
			return {
				sessionToken: storedSession(credentials, handedOver),
				[SIGNED_IN_TOKEN]: undefined,
			};
		}

		const request = signInRequest(credentials);
		refuseCleartext(request.url, request.baseURL);
		let response: { statusCode: number; body: unknown };
		try {
			response = (await this.helpers.httpRequest(request)) as typeof response;
		} catch {
			throw new Error(
				`Could not reach the Altegio API at ${String(request.baseURL)} to sign in. Check the network and the environment or base URL of the credential.`,
			);
		}
		const answer = readSignIn(response.statusCode, response.body);
		if ('problem' in answer) throw new Error(`${answer.problem}. ${answer.description}.`);
		return { sessionToken: storedSession(credentials, answer.userToken) };
	}
}

/** Throws before a token or the password would be sent unencrypted to another computer. */
function refuseCleartext(url: string, baseURL?: string) {
	const target = /^[a-z][a-z\d+.-]*:/i.test(url) ? url : baseURL;
	const problem = target === undefined ? undefined : cleartextProblem(target);
	if (problem !== undefined) throw new Error(`${problem.message}. ${problem.description}.`);
}
