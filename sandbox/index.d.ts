/** Types for the Altegio API sandbox (sandbox/index.js). */

export interface SandboxSeedUser {
	login: string;
	password: string;
	twoFactor?: boolean;
	user?: Record<string, unknown>;
}

export interface SandboxSeedClient {
	phone: string;
	id: number;
	company_id: number;
	name: string;
	email: string;
	[key: string]: unknown;
}

export interface SandboxSeed {
	partnerToken: string;
	userToken?: string;
	users?: SandboxSeedUser[];
	chains?: Array<{ id: number; title: string; [key: string]: unknown }>;
	clients?: Record<string, SandboxSeedClient[]>;
	emptyListPhones?: string[];
	[key: string]: unknown;
}

export interface RateLimitOptions {
	/** Accepted requests per 1000 ms sliding window and client IP (default 5). */
	perSecond?: number;
	/** Accepted requests per 60000 ms sliding window and client IP (default 200). */
	perMinute?: number;
	/** Send `Retry-After` (whole seconds) with 429 (default true); false answers 429 without it. */
	retryAfter?: boolean;
	/** Count all clients together instead of per IP address (default false). */
	shared?: boolean;
}

export type FaultMode =
	| 'status'
	| 'html'
	| 'malformedJson'
	| 'hugeJson'
	| 'hang'
	| 'drop'
	| 'delay'
	/** The normal answer, sent one byte every 100 ms. */
	| 'trickle';

export interface Fault {
	mode: FaultMode;
	/** Which requests the fault applies to; a string path is a prefix of the full path or of the path below /api/v1. */
	match?: { method?: string; path?: string | RegExp; pathRegExp?: string };
	/** How many matching requests it applies to (default 1). */
	times?: number;
	/** HTTP status for 'status' (default 500), 'html' (502), 'malformedJson' and 'hugeJson' (200). */
	status?: number;
	headers?: Record<string, string>;
	/** 'status': an object is sent as JSON, a string as is. 'html': replaces the default page. */
	body?: unknown;
	/** 'hugeJson': minimum body size in bytes (default 20 MB). */
	bytes?: number;
	/** 'delay': wait before normal handling; other modes: wait before the fault response. */
	delayMs?: number;
}

export interface SandboxRequestLogEntry {
	/** Milliseconds since the sandbox started (fractional). */
	at: number;
	method: string;
	/** Full path as received, without the query string, e.g. '/api/v1/groups'. */
	path: string;
	query: Record<string, string | string[]>;
	rawQuery: string;
	headers: {
		authorization: string | undefined;
		accept: string | undefined;
		'content-type': string | undefined;
		'user-agent': string | undefined;
	};
	body: unknown;
	status: number | 'hang' | 'drop' | undefined;
	fault: FaultMode | undefined;
}

export interface SandboxStats {
	total: number;
	byStatus: Record<string, number>;
	maxConcurrent: number;
}

export interface SandboxRouteModule {
	create(context: {
		seed: SandboxSeed;
		hasUserAuth(authorization: string | undefined): boolean;
		events: import('node:events').EventEmitter;
	}): {
		route(
			method: string,
			rel: string,
			entry: SandboxRequestLogEntry,
			req: unknown,
		): [number, string] | undefined;
		control?(method: string, name: string, body: unknown): [number, unknown] | undefined;
	};
}

export interface SandboxOptions {
	host?: string;
	port?: number;
	latencyMs?: number;
	/**
	 * How much each answer's delay varies, as a share of `latencyMs` either way (0.5: 50 % to
	 * 150 %). Requests still count on arrival. Default 0.
	 */
	latencyJitter?: number;
	/** The source of randomness for the jitter (default Math.random), for repeatable tests. */
	random?: () => number;
	rateLimit?: RateLimitOptions | boolean;
	seed?: SandboxSeed | string;
	/**
	 * Moves the seed's appointments on by whole weeks so that they lie ahead of this day
	 * (`YYYY-MM-DD` or 'now'), as they lie ahead of 2026-12-01 in the seed. Default: as written.
	 */
	today?: string;
	/** Route modules in addition to the built-in ones, such as a test's own routes. */
	routeModules?: SandboxRouteModule[];
	/** Called once per API request when its outcome is known (status, 'hang' or 'drop'). */
	onRequest?: (entry: SandboxRequestLogEntry) => void;
}

export interface SandboxWebhookDelivery {
	at: number;
	url: string;
	body: string;
	attempt: number;
	status?: number;
	[key: string]: unknown;
}

/** The webhooks module: settings per location and every delivery attempt. */
export interface SandboxWebhooks {
	deliveries: SandboxWebhookDelivery[];
	/** Resolves when every scheduled delivery, retries included, has finished. */
	whenIdle(): Promise<void>;
	/** Every stored field of a location's settings, including those the backend's GET hides. */
	settings(locationId: string | number): Record<string, unknown> & { urls: string[] };
	/** Delivery timing, and which backend's settings GET to answer with (changeable at any time). */
	config: {
		delayMs: number;
		retryDelayMs: number;
		retries: number;
		timeoutMs: number;
		connectTimeoutMs: number;
		shape: 'altegio' | 'older' | 'yclients';
	};
}

/** The locations module: clients, appointments, services, team members and loyalty cards. */
export interface SandboxLocations {
	/** A seed date (`2026-12-14T10:30:00-05:00`) as this sandbox serves it, after `today`'s move. */
	seedDate(text: string): string;
}

/** The sandbox's clock (sandbox/clock.js): real time until set, then still until moved. */
export interface SandboxClock {
	now(): number;
	/** Sets the clock to a date and time (ISO text) or milliseconds, and stops it there. */
	set(value: string | number): number;
	advance(ms: number): number;
	/** Back to real time. */
	reset(): void;
}

export interface Sandbox {
	url: string;
	apiUrl: string;
	port: number;
	seed: SandboxSeed;
	/** Emits `change` with `{ locationId, resource, resourceId, status, data }` on every state change. */
	events: import('node:events').EventEmitter;
	clock: SandboxClock;
	modules: { locations: SandboxLocations; webhooks: SandboxWebhooks };
	requests: SandboxRequestLogEntry[];
	clearRequests(): void;
	injectFaults(fault: Fault | Fault[]): number;
	clearFaults(): void;
	pendingFaults(): Array<Record<string, unknown>>;
	invalidateUserTokens(): void;
	setUserToken(token: string): void;
	resetRateLimit(): void;
	stats(): SandboxStats;
	close(): Promise<void>;
}

export function startSandbox(options?: SandboxOptions): Promise<Sandbox>;
