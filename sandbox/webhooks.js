'use strict';

/**
 * Webhook settings and deliveries, the way Altegio's backend notes describe them:
 * `GET`/`POST /hooks_settings/{location_id}`, where one POST replaces the whole location's
 * configuration (every URL, every flag) and holds at most 10 URLs; and deliveries of
 * `{company_id, resource, resource_id, status, data}` a short while after a change, to every URL
 * of a location whose flags ask for that resource, retried twice 1.5 s apart after a network
 * error, a 429 or a 5xx, and not at all after any other answer.
 */

const http = require('node:http');
const https = require('node:https');
const { performance } = require('node:perf_hooks');

const EVENT_FLAGS = [
	'salon',
	'service_category',
	'service',
	'good',
	'master',
	'client',
	'record',
	'goods_operations_sale',
	'goods_operations_receipt',
	'goods_operations_consumable',
	'goods_operations_stolen',
	'goods_operations_move',
	'finances_operation',
	'schedule',
	'loyalty_card',
];
const FLAGS = [...EVENT_FLAGS, 'self_sending'];
const MAX_URLS = 10;

/**
 * What a settings GET shows on each backend. Newer Altegio backends show every flag and a
 * `url_settings` row per URL. Older ones lack that view and may omit `good`, `schedule` and
 * `self_sending` (Altegio's backend notes). YCLIENTS documents the 13 flags of its example, without
 * `schedule`, `loyalty_card` and `self_sending`. The docs do not say what such a backend does with a
 * hidden flag: here a POST that sends one stores it, it acts on deliveries, and a POST that leaves it
 * out keeps it as it was (a backend that does not show a flag is taken not to reset it either; under
 * the other reading no client could keep it, and the trigger's rule, to send only what the GET shows
 * unless it turns a flag on, does no harm under either).
 */
const HIDDEN_FLAGS = {
	altegio: [],
	older: ['good', 'schedule', 'self_sending'],
	yclients: ['schedule', 'loyalty_card', 'self_sending'],
};
const SHAPES = Object.keys(HIDDEN_FLAGS);

/** The flag that asks for a payload `resource` (and the node-side names other modules may emit). */
const FLAG_OF_RESOURCE = {
	record: 'record',
	appointment: 'record',
	client: 'client',
	staff: 'master',
	teamMember: 'master',
	service: 'service',
	service_category: 'service_category',
	company: 'salon',
	salon: 'salon',
	location: 'salon',
	good: 'good',
	finances_operation: 'finances_operation',
	financeOperation: 'finances_operation',
	schedule: 'schedule',
	loyalty_card: 'loyalty_card',
	loyaltyCard: 'loyalty_card',
	goods_operations_sale: 'goods_operations_sale',
	goods_operations_receipt: 'goods_operations_receipt',
	goods_operations_consumable: 'goods_operations_consumable',
	goods_operations_stolen: 'goods_operations_stolen',
	goods_operations_move: 'goods_operations_move',
};
/** Names a state-changing module may use, as the payload's `resource`. */
const PAYLOAD_RESOURCE = {
	appointment: 'record',
	teamMember: 'staff',
	location: 'company',
	financeOperation: 'finances_operation',
	loyaltyCard: 'loyalty_card',
};

const DEFAULTS = Object.freeze({
	delayMs: 300,
	retryDelayMs: 1500,
	retries: 2,
	timeoutMs: 10_000,
	connectTimeoutMs: 5000,
	/** Which backend's GET answer to give: `altegio`, `older` or `yclients` (see HIDDEN_FLAGS). */
	shape: 'altegio',
});

const BODY_UNAUTHENTICATED =
	'{"success":false,"data":null,"meta":{"message":"Authentication needed."}}';
const BODY_LOCATION_NOT_FOUND = '{"success":false,"data":null,"meta":[]}';
const BODY_NOT_FOUND = '{"success":false,"data":null,"meta":{"message":"Not found"}}';

function validationError(errors) {
	return JSON.stringify({
		success: false,
		data: null,
		meta: { message: 'An error has occurred.', errors },
	});
}

function emptySettings() {
	const settings = { urls: [], active: 0 };
	for (const flag of FLAGS) settings[flag] = 0;
	return settings;
}

function isFlagValue(value) {
	return value === 0 || value === 1 || value === '0' || value === '1' || typeof value === 'boolean';
}

function isHttpUrl(text) {
	try {
		const url = new URL(text);
		return url.protocol === 'http:' || url.protocol === 'https:';
	} catch {
		return false;
	}
}

/** Checks a POST body; answers the stored settings or the validation errors. */
function parseSettings(body) {
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return {
			errors: { urls: ['The urls field is required.'], active: ['The active field is required.'] },
		};
	}
	const errors = {};
	let urls = [];
	if (!Array.isArray(body.urls) || body.urls.length === 0) {
		errors.urls = ['The urls field is required.'];
	} else {
		urls = [...new Set(body.urls.filter((url) => url !== ''))];
		if (urls.some((url) => typeof url !== 'string' || !isHttpUrl(url))) {
			errors.urls = ['The urls must be valid URLs.'];
		} else if (urls.length === 0) {
			errors.urls = ['The urls field is required.'];
		} else if (urls.length > MAX_URLS) {
			errors.urls = [`The urls may not have more than ${MAX_URLS} items.`];
		}
	}
	if (!isFlagValue(body.active)) errors.active = ['The active field is required.'];
	for (const flag of FLAGS) {
		if (body[flag] !== undefined && !isFlagValue(body[flag])) {
			errors[flag] = [`The ${flag} field must be 0 or 1.`];
		}
	}
	if (Object.keys(errors).length > 0) return { errors };
	// Replace-all: every URL left out is gone, and every flag left out is off.
	const settings = { urls, active: Number(body.active) ? 1 : 0 };
	for (const flag of FLAGS) settings[flag] = Number(body[flag] ?? 0) ? 1 : 0;
	return { settings };
}

/** Every stored field plus one `url_settings` row per URL, as the newest backends show them. */
function view(settings) {
	return {
		...settings,
		url_settings: settings.urls.map((url) => {
			const row = { url, active: settings.active };
			for (const flag of FLAGS) row[flag] = settings[flag];
			return row;
		}),
	};
}

/** What a backend of `shape` shows of the settings: only newer Altegio backends show everything. */
function shown(settings, shape) {
	if (shape === 'altegio') return view(settings);
	const answer = { ...settings };
	for (const flag of HIDDEN_FLAGS[shape]) delete answer[flag];
	return answer;
}

function create({ seed, hasUserAuth, events }) {
	const config = {
		...DEFAULTS,
		...(seed.webhooks && typeof seed.webhooks === 'object' ? seed.webhooks : {}),
	};
	if (!SHAPES.includes(config.shape)) {
		throw new TypeError(`seed.webhooks.shape must be one of ${SHAPES.join(', ')}`);
	}
	const locations = new Set();
	for (const chain of Array.isArray(seed.chains) ? seed.chains : []) {
		for (const company of chain.companies || []) locations.add(String(company.id));
	}
	/** location id (string) -> settings */
	const settingsByLocation = new Map();
	for (const [id, preset] of Object.entries(seed.hooksSettings || {})) {
		const { settings } = parseSettings(preset);
		if (settings) settingsByLocation.set(String(id), settings);
	}

	/** One entry per attempt: { at, url, body, attempt, status?, error? }. */
	const deliveries = [];
	const timers = new Set();
	const pending = new Set();
	const inFlight = new Set();
	const idleWaiters = [];
	let closed = false;
	const t0 = performance.now();

	function settingsOf(locationId) {
		return settingsByLocation.get(String(locationId)) || emptySettings();
	}

	function later(ms, fn) {
		const timer = setTimeout(() => {
			timers.delete(timer);
			fn();
		}, ms);
		timers.add(timer);
	}

	function settle(job) {
		pending.delete(job);
		if (pending.size === 0) for (const resolve of idleWaiters.splice(0)) resolve();
	}

	function post(url, bodyText, contentType) {
		return new Promise((resolve) => {
			let target;
			try {
				target = new URL(url);
			} catch {
				resolve({ error: 'EINVALIDURL' });
				return;
			}
			const client = target.protocol === 'https:' ? https : http;
			let done = false;
			const finish = (result) => {
				if (done) return;
				done = true;
				clearTimeout(total);
				inFlight.delete(request);
				resolve(result);
			};
			const request = client.request(
				target,
				{
					method: 'POST',
					headers: {
						'Content-Type': contentType,
						'Content-Length': Buffer.byteLength(bodyText),
						'User-Agent': 'Altegio-Sandbox-Webhooks/1.0',
					},
				},
				(response) => {
					const chunks = [];
					response.on('data', (chunk) => chunks.push(chunk));
					response.on('end', () =>
						finish({
							status: response.statusCode,
							response: Buffer.concat(chunks).toString('utf8'),
						}),
					);
					response.on('error', () => finish({ status: response.statusCode }));
				},
			);
			inFlight.add(request);
			const total = setTimeout(() => {
				request.destroy();
				finish({ error: 'ETIMEDOUT' });
			}, config.timeoutMs);
			request.on('socket', (socket) => {
				if (socket.connecting) {
					socket.setTimeout(config.connectTimeoutMs, () => {
						if (socket.connecting) {
							request.destroy();
							finish({ error: 'ECONNECTTIMEOUT' });
						}
					});
					socket.once('connect', () => socket.setTimeout(0));
				}
			});
			request.on('error', (error) => finish({ error: error.code || 'ERROR' }));
			request.end(bodyText);
		});
	}

	function retryable(result) {
		return result.error !== undefined || result.status === 429 || result.status >= 500;
	}

	/** Sends one delivery to one URL after the delay, with the retries of the backend notes. */
	function schedule(url, bodyText, contentType = 'application/json', delayMs = config.delayMs) {
		if (closed) return;
		const job = {};
		pending.add(job);
		const attempt = async (number) => {
			if (closed) return settle(job);
			const entry = { at: performance.now() - t0, url, body: bodyText, attempt: number };
			deliveries.push(entry);
			const result = await post(url, bodyText, contentType);
			if (result.error !== undefined) entry.error = result.error;
			else entry.status = result.status;
			if (!closed && retryable(result) && number <= config.retries) {
				later(config.retryDelayMs, () => void attempt(number + 1));
				return;
			}
			settle(job);
		};
		later(Math.max(0, delayMs), () => void attempt(1));
	}

	function envelope({ locationId, resource, resourceId, status, data }) {
		return {
			company_id: Number(locationId),
			resource: PAYLOAD_RESOURCE[resource] || resource,
			resource_id: Number(resourceId),
			status,
			data: data === undefined ? {} : data,
		};
	}

	/** The URLs of a location that ask for a resource, or none when sending is off. */
	function subscribers(locationId, resource, { ownChange }) {
		const settings = settingsOf(locationId);
		const flag = FLAG_OF_RESOURCE[resource];
		if (!settings.active || flag === undefined || !settings[flag]) return [];
		// The sandbox has one partner token, the one every settings request is made with, so each
		// change made through the API is that partner's own: Altegio sends it only with self_sending.
		if (ownChange && !settings.self_sending) return [];
		return settings.urls;
	}

	function onChange(change) {
		if (!change || change.locationId === undefined || !change.resource) return;
		const body = JSON.stringify(envelope(change));
		for (const url of subscribers(change.locationId, change.resource, {
			ownChange: change.own !== false,
		})) {
			schedule(url, body);
		}
	}
	events.on('change', onChange);

	/**
	 * A delivery on demand. `url` sends to that URL only (flags are not asked); otherwise to every
	 * subscribed URL of `locationId`. The body is `raw` as given, or `payload` as JSON, or the
	 * envelope of `locationId`, `resource`, `resourceId`, `status` and `data`. `times` sends copies.
	 */
	function deliver(spec) {
		if (!spec || typeof spec !== 'object') throw new TypeError('the body must be an object');
		const times = spec.times === undefined ? 1 : spec.times;
		if (!Number.isInteger(times) || times < 1 || times > 20) {
			throw new TypeError('`times` must be a whole number from 1 to 20');
		}
		let bodyText;
		if (typeof spec.raw === 'string') bodyText = spec.raw;
		else if (spec.payload !== undefined) bodyText = JSON.stringify(spec.payload);
		else {
			if (spec.locationId === undefined || !spec.resource || !spec.status) {
				throw new TypeError(
					'give `raw`, `payload`, or `locationId`, `resource`, `resourceId` and `status`',
				);
			}
			bodyText = JSON.stringify(envelope(spec));
		}
		let urls;
		if (typeof spec.url === 'string') urls = [spec.url];
		else if (spec.locationId !== undefined) {
			const resource = spec.resource ?? (spec.payload && spec.payload.resource);
			urls = subscribers(spec.locationId, resource, { ownChange: false });
		} else throw new TypeError('give `url` or `locationId`');
		const contentType =
			typeof spec.contentType === 'string' ? spec.contentType : 'application/json';
		const delayMs = typeof spec.delayMs === 'number' ? spec.delayMs : config.delayMs;
		for (const url of urls)
			for (let i = 0; i < times; i++) schedule(url, bodyText, contentType, delayMs);
		return urls.length * times;
	}

	function route(method, rel, entry) {
		const match = /^\/hooks_settings\/([^/]+)\/?$/.exec(rel);
		if (!match) return undefined;
		if (method !== 'GET' && method !== 'POST') return [404, BODY_NOT_FOUND];
		if (!hasUserAuth(entry.headers.authorization)) return [401, BODY_UNAUTHENTICATED];
		const locationId = match[1];
		if (!locations.has(locationId)) return [404, BODY_LOCATION_NOT_FOUND];
		if (method === 'GET') {
			const data = shown(settingsOf(locationId), config.shape);
			return [200, JSON.stringify({ success: true, data, meta: [] })];
		}
		const { settings, errors } = parseSettings(entry.body);
		if (errors) return [422, validationError(errors)];
		const before = settingsOf(locationId);
		for (const flag of HIDDEN_FLAGS[config.shape]) {
			if (entry.body[flag] === undefined) settings[flag] = before[flag];
		}
		settingsByLocation.set(locationId, settings);
		const data = shown(settings, config.shape);
		delete data.url_settings;
		return [201, JSON.stringify({ success: true, data, meta: [] })];
	}

	function control(method, name, body) {
		const settingsMatch = /^hooks-settings\/([^/]+)$/.exec(name);
		if (settingsMatch && method === 'GET') return [200, view(settingsOf(settingsMatch[1]))];
		if (name === 'deliveries' && method === 'GET') return [200, deliveries];
		if (name === 'deliveries' && method === 'DELETE') {
			deliveries.length = 0;
			return [200, { ok: true }];
		}
		if (name === 'deliver' && method === 'POST') {
			try {
				return [200, { ok: true, queued: deliver(body) }];
			} catch (error) {
				return [400, { ok: false, error: error.message }];
			}
		}
		if (name === 'change' && method === 'POST') {
			if (!body || body.locationId === undefined || !body.resource || !body.status) {
				return [
					400,
					{ ok: false, error: 'give `locationId`, `resource`, `resourceId`, `status` and `data`' },
				];
			}
			events.emit('change', body);
			return [200, { ok: true }];
		}
		if (name === 'webhooks-config' && method === 'POST') {
			for (const key of Object.keys(DEFAULTS)) {
				if (body && typeof body[key] === 'number' && body[key] >= 0) config[key] = body[key];
			}
			if (body && SHAPES.includes(body.shape)) config.shape = body.shape;
			return [200, { ...config }];
		}
		return undefined;
	}

	return {
		route,
		control,
		deliveries,
		deliver,
		config,
		settings: (locationId) => view(settingsOf(locationId)),
		/** Resolves when every scheduled delivery, retries included, has finished. */
		whenIdle: () =>
			pending.size === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve)),
		close() {
			closed = true;
			events.off('change', onChange);
			for (const timer of timers) clearTimeout(timer);
			timers.clear();
			for (const request of inFlight) request.destroy();
			inFlight.clear();
			pending.clear();
			for (const resolve of idleWaiters.splice(0)) resolve();
		},
	};
}

module.exports = { create, FLAGS, EVENT_FLAGS, MAX_URLS, HIDDEN_FLAGS };
