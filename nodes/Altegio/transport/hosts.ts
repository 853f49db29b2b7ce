export type AltegioEnvironment = 'altegio' | 'yclients' | 'custom';

export interface ApiHost {
	baseUrl: string;
	accept: string;
}

export const API_HOSTS: Record<Exclude<AltegioEnvironment, 'custom'>, ApiHost> = {
	altegio: { baseUrl: 'https://api.alteg.io/api/v1', accept: 'application/vnd.api.v2+json' },
	yclients: {
		baseUrl: 'https://api.yclients.com/api/v1',
		accept: 'application/vnd.yclients.v2+json',
	},
};

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

/** The same choice as `resolveHost`, as an n8n expression over `$credentials`, for credential tests. */
export function hostExpression(field: keyof ApiHost): string {
	const custom =
		field === 'baseUrl' ? '$credentials.baseUrl' : JSON.stringify(API_HOSTS.altegio.accept);
	return (
		`={{ $credentials.environment === "yclients" ? ${JSON.stringify(API_HOSTS.yclients[field])}` +
		` : $credentials.environment === "custom" ? ${custom}` +
		` : ${JSON.stringify(API_HOSTS.altegio[field])} }}`
	);
}
