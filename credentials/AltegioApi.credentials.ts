import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { hostExpression, resolveHost } from '../nodes/Altegio/transport/hosts';

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
			description: 'The API root that the paths /groups and /group/{ID}/clients are appended to',
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
		const partnerToken = String(credentials.partnerToken ?? '').trim();
		const userToken = String(
			(credentials.userAuth === 'loginPassword'
				? credentials.sessionToken
				: credentials.userToken) ?? '',
		).trim();
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
			baseURL: hostExpression('baseUrl'),
			url: '/groups',
			headers: { Accept: hostExpression('accept') },
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

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		if (credentials.userAuth !== 'loginPassword') return {};

		const host = resolveHost(credentials.environment, credentials.baseUrl);
		let response: { statusCode: number; body: unknown };
		try {
			response = (await this.helpers.httpRequest({
				method: 'POST',
				url: `${host.baseUrl}/auth`,
				headers: {
					Accept: host.accept,
					Authorization: `Bearer ${String(credentials.partnerToken ?? '').trim()}`,
				},
				body: { login: String(credentials.login ?? '').trim(), password: credentials.password },
				json: true,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
			})) as { statusCode: number; body: unknown };
		} catch {
			throw new Error(
				`Could not reach the Altegio API at ${host.baseUrl} to sign in. Check the network and the environment or base URL of the credential.`,
			);
		}

		const body = (
			typeof response.body === 'object' && response.body !== null ? response.body : {}
		) as IDataObject;
		const data = (body.data ?? {}) as IDataObject;
		if (response.statusCode < 300 && typeof data.user_token === 'string' && data.user_token) {
			return { sessionToken: data.user_token };
		}
		if (response.statusCode < 300 && data.uuid) {
			throw new Error(
				'Altegio asks for a confirmation code to sign in this user (two-factor authentication), which n8n cannot enter. Choose User Token in the credential and paste the user token instead.',
			);
		}
		if (response.statusCode >= 500) {
			throw new Error(
				`Altegio could not sign in the user right now (HTTP ${response.statusCode}). Try again later.`,
			);
		}
		const meta = (body.meta ?? {}) as IDataObject;
		const reason = typeof meta.message === 'string' ? meta.message.trim() : '';
		const said = reason
			? `: ${/[.!?]$/.test(reason) ? reason : `${reason}.`}`
			: ` (HTTP ${response.statusCode}).`;
		throw new Error(
			`Altegio did not sign in with the login and password of the credential${said} Check the login, the password and the partner token.`,
		);
	}
}
