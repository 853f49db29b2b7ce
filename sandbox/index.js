'use strict';

/**
 * Altegio B2B API sandbox: a small HTTP server that speaks the documented
 * endpoints (`GET /groups`, `GET /group/{id}/clients`, `POST /auth`) on loopback,
 * with a per-IP rate limiter, a request log and fault injection.
 *
 * Node 20+ built-ins only. See sandbox/README.md for the full behaviour.
 */

const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const { performance } = require('node:perf_hooks');
const { EventEmitter } = require('node:events');

/**
 * Route modules beyond /groups, /auth and /group/{id}/clients. Each exports
 * `create(context)` → `{ route(method, rel, entry), control?(method, name, body) }`; `route` answers
 * `[status, bodyText]` or `undefined` when the path is not its own, `control` likewise answers
 * `[status, value]` or `undefined` for a `/__sandbox/<name>` call. `context` holds `seed`,
 * `hasUserAuth(authorization)` and `events`, an EventEmitter on which a module that changes state
 * emits `change` with `{ locationId, resource, resourceId, status, data }`.
 */
const { phoneDigits } = require('./phone');
const ROUTE_MODULES = { locations: require('./locations'), webhooks: require('./webhooks') };
const { createClock } = require('./clock');

const API_PREFIX = '/api/v1';
const CONTROL_PREFIX = '/__sandbox/';
const DEFAULT_SEED_PATH = path.join(__dirname, 'seed.json');
const DEFAULT_RATE_LIMIT = Object.freeze({ perSecond: 5, perMinute: 200, retryAfter: true });
const FAULT_MODES = new Set([
	'status',
	'html',
	'malformedJson',
	'hugeJson',
	'hang',
	'drop',
	'delay',
	'trickle',
]);
const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_HUGE_BYTES = 20 * 1024 * 1024;
const HUGE_CHUNK_BYTES = 64 * 1024;

const JSON_TYPE = 'application/json';

const BODY_NOT_FOUND = '{"success":false,"data":null,"meta":{"message":"Not found"}}';
const BODY_UNAUTHENTICATED =
	'{"success":false,"data":null,"meta":{"message":"Authentication needed."}}';
const BODY_ACCESS_DENIED = '{"success":false,"data":null,"meta":{"message":"Access denied."}}';
const BODY_CLIENT_NOT_FOUND = '{"success":false,"data":null,"meta":{"message":"Client not found"}}';
const BODY_TOO_MANY = '{"success":false,"data":null,"meta":{"message":"Too many requests."}}';
const BODY_BAD_LOGIN =
	'{"success":false,"data":null,"meta":{"message":"Incorrect login or password."}}';
const BODY_PHONE_REQUIRED =
	'{"success":false,"data":null,"meta":{"message":"An error has occurred.","errors":{"phone":["The phone field is required."]}}}';
const BODY_PHONE_INVALID =
	'{"success":false,"data":null,"meta":{"message":"An error has occurred.","errors":{"phone":["The phone format is invalid."]}}}';

const HTML_PAGE =
	'<!DOCTYPE html>\n<html>\n<head><title>502 Bad Gateway</title></head>\n' +
	'<body>\n<center><h1>502 Bad Gateway</h1></center>\n<hr><center>nginx</center>\n</body>\n</html>\n';

// ---------------------------------------------------------------------------
// Seed

function loadSeed(seedOption) {
	let seed;
	if (seedOption === undefined || seedOption === null) {
		seed = JSON.parse(fs.readFileSync(DEFAULT_SEED_PATH, 'utf8'));
	} else if (typeof seedOption === 'string') {
		seed = JSON.parse(fs.readFileSync(seedOption, 'utf8'));
	} else if (typeof seedOption === 'object') {
		seed = structuredClone(seedOption);
	} else {
		throw new TypeError('startSandbox: `seed` must be an object or a file path');
	}
	if (typeof seed.partnerToken !== 'string' || seed.partnerToken === '') {
		throw new TypeError('startSandbox: the seed needs a non-empty `partnerToken`');
	}
	return seed;
}

/** Precomputes everything a request needs, so handlers only do lookups. */
function indexSeed(seed) {
	const chains = Array.isArray(seed.chains) ? seed.chains : [];
	const chainIds = new Set(chains.map((chain) => String(chain.id)));
	// chain id (string) -> Map(phone digits -> [{ id, company_id, name, email }])
	const clientsByChain = new Map();
	for (const chainId of chainIds) clientsByChain.set(chainId, new Map());
	const seedClients = seed.clients && typeof seed.clients === 'object' ? seed.clients : {};
	for (const chainId of Object.keys(seedClients)) {
		let byPhone = clientsByChain.get(chainId);
		if (!byPhone) {
			byPhone = new Map();
			clientsByChain.set(chainId, byPhone);
		}
		for (const client of seedClients[chainId] || []) {
			const { phone, ...rest } = client;
			const key = String(phone);
			const list = byPhone.get(key);
			if (list) list.push(rest);
			else byPhone.set(key, [rest]);
		}
	}
	return {
		chainIds,
		clientsByChain,
		emptyListPhones: new Set((seed.emptyListPhones || []).map(String)),
		users: Array.isArray(seed.users) ? seed.users : [],
		groupsBody: JSON.stringify({ success: true, data: chains, meta: [] }),
		// A realistic-looking but truncated envelope for the malformedJson fault.
		malformedBody: (() => {
			const full = JSON.stringify({
				success: true,
				data: chains.length ? chains : [{ id: 1 }],
				meta: [],
			});
			return full.slice(0, Math.max(12, Math.floor(full.length / 2)));
		})(),
	};
}

// ---------------------------------------------------------------------------
// Rate limiter: two sliding windows per client IP, each a fixed-size ring
// buffer of the timestamps of the last N accepted requests. A request is
// refused when the oldest of the last N accepted requests is still inside the
// window, i.e. accepting it would put N + 1 requests in that window.

class SlidingWindow {
	constructor(limit, windowMs) {
		this.limit = limit;
		this.windowMs = windowMs;
		this.times = new Float64Array(limit);
		this.head = 0; // index of the oldest entry when full, next write slot always
		this.count = 0;
	}

	/** Milliseconds until a slot frees (0 if one is free now). */
	waitMs(now) {
		if (this.count < this.limit) return 0;
		const oldest = this.times[this.head];
		const wait = oldest + this.windowMs - now;
		return wait > 0 ? wait : 0;
	}

	push(now) {
		this.times[this.head] = now;
		this.head = this.head + 1 === this.limit ? 0 : this.head + 1;
		if (this.count < this.limit) this.count++;
	}
}

function positiveLimit(value) {
	return typeof value === 'number' && value > 0 && Number.isFinite(value) ? Math.floor(value) : 0;
}

class RateLimiter {
	constructor(config) {
		this.perSecond = positiveLimit(config.perSecond);
		this.perMinute = positiveLimit(config.perMinute);
		this.retryAfter = config.retryAfter !== false;
		// The real limit is per IP; `shared` counts every client together, whatever its address.
		this.shared = config.shared === true;
		this.clients = new Map();
	}

	/** Returns 0 if accepted (and records it), else the wait in ms (> 0). */
	check(ip, now) {
		if (this.shared) ip = '*';
		let state = this.clients.get(ip);
		if (!state) {
			state = {
				second: this.perSecond ? new SlidingWindow(this.perSecond, 1000) : null,
				minute: this.perMinute ? new SlidingWindow(this.perMinute, 60000) : null,
			};
			this.clients.set(ip, state);
		}
		const waitSecond = state.second ? state.second.waitMs(now) : 0;
		const waitMinute = state.minute ? state.minute.waitMs(now) : 0;
		const wait = waitSecond > waitMinute ? waitSecond : waitMinute;
		if (wait > 0) return wait;
		if (state.second) state.second.push(now);
		if (state.minute) state.minute.push(now);
		return 0;
	}

	reset() {
		this.clients.clear();
	}
}

function resolveRateLimit(option) {
	if (option === false || option === null) return null;
	if (option === undefined || option === true) return new RateLimiter(DEFAULT_RATE_LIMIT);
	if (typeof option !== 'object')
		throw new TypeError('startSandbox: `rateLimit` must be an object or false');
	const limiter = new RateLimiter({ ...DEFAULT_RATE_LIMIT, ...option });
	return limiter.perSecond || limiter.perMinute ? limiter : null;
}

// ---------------------------------------------------------------------------
// Faults

function normalizeFault(input) {
	if (!input || typeof input !== 'object') throw new TypeError('fault must be an object');
	const mode = input.mode;
	if (!FAULT_MODES.has(mode)) {
		throw new TypeError(
			`unknown fault mode ${JSON.stringify(mode)}; use one of ${[...FAULT_MODES].join(', ')}`,
		);
	}
	let times = input.times === undefined ? 1 : input.times;
	if (times !== Infinity && (!Number.isInteger(times) || times < 1)) {
		throw new TypeError('fault `times` must be a positive integer or Infinity');
	}
	if (
		input.status !== undefined &&
		(!Number.isInteger(input.status) || input.status < 200 || input.status > 599)
	) {
		throw new TypeError('fault `status` must be an integer from 200 to 599');
	}
	if (
		input.headers !== undefined &&
		(input.headers === null || typeof input.headers !== 'object')
	) {
		throw new TypeError('fault `headers` must be an object');
	}
	const match = input.match || {};
	let pathMatch;
	if (match.path instanceof RegExp) pathMatch = match.path;
	else if (typeof match.path === 'string') pathMatch = match.path;
	else if (typeof match.pathRegExp === 'string') pathMatch = new RegExp(match.pathRegExp);
	else if (match.path !== undefined)
		throw new TypeError('fault `match.path` must be a string or a RegExp');
	return {
		mode,
		times,
		method: typeof match.method === 'string' ? match.method.toUpperCase() : undefined,
		path: pathMatch,
		status: input.status,
		headers: input.headers,
		body: input.body,
		bytes: input.bytes,
		delayMs: typeof input.delayMs === 'number' && input.delayMs > 0 ? input.delayMs : 0,
	};
}

/** `path` is the full request path, `rel` the path below /api/v1; a matcher may target either. */
function faultMatches(fault, method, fullPath, rel) {
	if (fault.method !== undefined && fault.method !== method) return false;
	const p = fault.path;
	if (p === undefined) return true;
	if (typeof p === 'string') return fullPath.startsWith(p) || rel.startsWith(p);
	p.lastIndex = 0;
	if (p.test(fullPath)) return true;
	p.lastIndex = 0;
	return p.test(rel);
}

function describeFault(fault) {
	let matchPath;
	if (fault.path instanceof RegExp) matchPath = String(fault.path);
	else matchPath = fault.path;
	return {
		mode: fault.mode,
		times: fault.times === Infinity ? 'Infinity' : fault.times,
		match: { method: fault.method, path: matchPath },
		status: fault.status,
	};
}

// ---------------------------------------------------------------------------
// Helpers

function parseQuery(rawQuery) {
	const query = {};
	if (rawQuery === '') return query;
	for (const [key, value] of new URLSearchParams(rawQuery)) {
		const prev = query[key];
		if (prev === undefined) query[key] = value;
		else if (Array.isArray(prev)) prev.push(value);
		else query[key] = [prev, value];
	}
	return query;
}

function isJsonContentType(contentType) {
	return typeof contentType === 'string' && /[/+]json\b/i.test(contentType);
}

function parseLoggedBody(text) {
	if (text === '') return undefined;
	try {
		return JSON.parse(text);
	} catch {
		return text;
	}
}

function isDigits(s) {
	if (s.length === 0) return false;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c < 48 || c > 57) return false;
	}
	return true;
}

function validationError(errors) {
	return JSON.stringify({
		success: false,
		data: null,
		meta: { message: 'An error has occurred.', errors },
	});
}

// ---------------------------------------------------------------------------
// Sandbox

async function startSandbox(options = {}) {
	const host = options.host || '127.0.0.1';
	const port = options.port === undefined ? 0 : options.port;
	const latencyMs =
		typeof options.latencyMs === 'number' && options.latencyMs > 0 ? options.latencyMs : 0;
	// The API counts a request when it arrives; the time it takes to answer varies by up to this
	// share of the latency either way (0.5: from half to one and a half times the latency).
	const latencyJitter =
		typeof options.latencyJitter === 'number' && options.latencyJitter > 0
			? Math.min(1, options.latencyJitter)
			: 0;
	const random = typeof options.random === 'function' ? options.random : Math.random;
	const answerDelay = () =>
		latencyJitter === 0
			? latencyMs
			: latencyMs * (1 - latencyJitter + 2 * latencyJitter * random());
	const onRequest = typeof options.onRequest === 'function' ? options.onRequest : null;
	const seed = loadSeed(options.seed);
	const idx = indexSeed(seed);
	const limiter = resolveRateLimit(options.rateLimit);

	const partnerHeader = `Bearer ${seed.partnerToken}`;
	const userHeaderPrefix = `Bearer ${seed.partnerToken}, User `;
	let staticUserToken =
		typeof seed.userToken === 'string' && seed.userToken !== '' ? seed.userToken : null;
	const issuedTokens = new Set();

	const requests = [];
	let faults = [];
	const byStatus = {};
	let total = 0;
	let inFlight = 0;
	let maxConcurrent = 0;
	const timers = new Set();
	const sockets = new Set();
	let closing = null;
	const t0 = performance.now();
	const events = new EventEmitter();
	const extraModules = Array.isArray(options.routeModules) ? options.routeModules : [];
	const clock = createClock();
	const byName = Object.fromEntries(
		Object.entries(ROUTE_MODULES).map(([name, module]) => [
			name,
			module.create({ seed, hasUserAuth, events, today: options.today, clock }),
		]),
	);
	const modules = [
		clock,
		...Object.values(byName),
		...extraModules.map((module) => module.create({ seed, hasUserAuth, events })),
	];

	function isValidUserToken(token) {
		return (staticUserToken !== null && token === staticUserToken) || issuedTokens.has(token);
	}

	function hasUserAuth(authorization) {
		return (
			typeof authorization === 'string' &&
			authorization.startsWith(userHeaderPrefix) &&
			isValidUserToken(authorization.slice(userHeaderPrefix.length))
		);
	}

	function later(ms, fn) {
		if (ms <= 0) {
			fn();
			return;
		}
		const timer = setTimeout(() => {
			timers.delete(timer);
			fn();
		}, ms);
		timers.add(timer);
	}

	function finalize(entry, status) {
		entry.status = status;
		byStatus[status] = (byStatus[status] || 0) + 1;
		if (onRequest !== null) {
			try {
				onRequest(entry);
			} catch {
				// a broken observer must not break the server
			}
		}
	}

	function send(res, entry, status, body, headers) {
		finalize(entry, status);
		if (res.destroyed) return;
		const out = headers || { 'Content-Type': JSON_TYPE };
		out['Content-Length'] = Buffer.byteLength(body);
		try {
			res.writeHead(status, out);
		} catch {
			// e.g. an invalid header value in an injected fault: fail this request, not the server
			res.destroy();
			return;
		}
		res.end(body);
	}

	function takeFault(method, fullPath, rel) {
		for (let i = 0; i < faults.length; i++) {
			const fault = faults[i];
			if (!faultMatches(fault, method, fullPath, rel)) continue;
			if (fault.times !== Infinity) {
				fault.times -= 1;
				if (fault.times === 0) faults.splice(i, 1);
			}
			return fault;
		}
		return null;
	}

	// --- routes ------------------------------------------------------------

	/** Returns [status, body]. */
	function route(method, rel, entry, req) {
		const authorization = entry.headers.authorization;
		if (rel === '/groups') {
			if (method !== 'GET') return [404, BODY_NOT_FOUND];
			if (!hasUserAuth(authorization)) return [401, BODY_UNAUTHENTICATED];
			return [200, idx.groupsBody];
		}
		if (rel === '/auth') {
			if (method !== 'POST') return [404, BODY_NOT_FOUND];
			if (authorization !== partnerHeader) return [401, BODY_UNAUTHENTICATED];
			return auth(req, entry);
		}
		if (rel.startsWith('/group/')) {
			// /group/{id}/clients or /group/{id}/clients/
			const rest = rel.slice(7);
			const slash = rest.indexOf('/');
			if (slash <= 0) return [404, BODY_NOT_FOUND];
			const tail = rest.slice(slash);
			if (tail !== '/clients' && tail !== '/clients/') return [404, BODY_NOT_FOUND];
			const id = rest.slice(0, slash);
			if (!isDigits(id) || method !== 'GET') return [404, BODY_NOT_FOUND];
			if (!hasUserAuth(authorization)) return [401, BODY_UNAUTHENTICATED];
			if (!idx.chainIds.has(id)) return [403, BODY_ACCESS_DENIED];
			let phone = entry.query.phone;
			if (Array.isArray(phone)) phone = phone[0];
			if (phone === undefined || phone === '') return [422, BODY_PHONE_REQUIRED];
			// Assumption (sandbox/phone.js): digits that cannot be a phone number are refused rather
			// than not found. Anything but digits is matched as it is, and so found by no one.
			if (/^[0-9]+$/.test(phone) && phoneDigits(phone) === undefined) {
				return [422, BODY_PHONE_INVALID];
			}
			const byPhone = idx.clientsByChain.get(id);
			let clients = byPhone && byPhone.get(phone);
			if (!clients) {
				if (!idx.emptyListPhones.has(phone)) return [404, BODY_CLIENT_NOT_FOUND];
				clients = [];
			}
			return [
				200,
				JSON.stringify({
					success: true,
					data: { salon_group_id: Number(id), phone: `+${phone}`, clients },
					meta: [],
				}),
			];
		}
		for (const module of modules) {
			const answer = module.route(method, rel, entry, req);
			if (answer !== undefined) return answer;
		}
		return [404, BODY_NOT_FOUND];
	}

	function auth(req, entry) {
		const contentType = req.headers['content-type'];
		let input = {};
		if (isJsonContentType(contentType)) {
			if (entry.body !== null && typeof entry.body === 'object' && !Array.isArray(entry.body))
				input = entry.body;
		} else if (
			typeof contentType === 'string' &&
			/application\/x-www-form-urlencoded/i.test(contentType)
		) {
			if (typeof entry.body === 'string')
				input = Object.fromEntries(new URLSearchParams(entry.body));
		}
		const errors = {};
		for (const field of ['login', 'password']) {
			const value = input[field];
			if (value === undefined || value === null || value === '') {
				errors[field] = [`The ${field} field is required.`];
			}
		}
		if (Object.keys(errors).length > 0) return [422, validationError(errors)];
		const user = idx.users.find((u) => u.login === input.login && u.password === input.password);
		if (!user) return [401, BODY_BAD_LOGIN];
		if (user.twoFactor) {
			return [
				200,
				JSON.stringify({ success: true, data: { uuid: crypto.randomUUID() }, meta: [] }),
			];
		}
		const token = `sandbox-session-${crypto.randomBytes(16).toString('hex')}`;
		issuedTokens.add(token);
		return [
			201,
			JSON.stringify({
				success: true,
				data: { ...(user.user || {}), user_token: token },
				meta: [],
			}),
		];
	}

	// --- faults --------------------------------------------------------------

	function sendFault(fault, req, res, entry, rel) {
		switch (fault.mode) {
			case 'status': {
				const status = fault.status || 500;
				const headers = { ...(fault.headers || {}) };
				const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
				if (!hasType) headers['Content-Type'] = JSON_TYPE;
				let body = '';
				if (typeof fault.body === 'string') body = fault.body;
				else if (fault.body !== undefined) body = JSON.stringify(fault.body);
				send(res, entry, status, body, headers);
				return;
			}
			case 'html': {
				const body = typeof fault.body === 'string' ? fault.body : HTML_PAGE;
				send(res, entry, fault.status || 502, body, {
					'Content-Type': 'text/html',
					...(fault.headers || {}),
				});
				return;
			}
			case 'malformedJson': {
				send(res, entry, fault.status || 200, idx.malformedBody, {
					'Content-Type': JSON_TYPE,
					...(fault.headers || {}),
				});
				return;
			}
			case 'hugeJson':
				streamHuge(res, entry, fault, rel);
				return;
			case 'drop':
				finalize(entry, 'drop');
				req.socket.destroy();
				return;
			default:
				throw new Error(`unhandled fault mode ${fault.mode}`);
		}
	}

	function streamHuge(res, entry, fault, rel) {
		const target =
			typeof fault.bytes === 'number' && fault.bytes > 0 ? fault.bytes : DEFAULT_HUGE_BYTES;
		const status = fault.status || 200;
		const clientsMatch = /^\/group\/(\d+)\/clients\/?$/.exec(rel);
		let head;
		let tail;
		let item;
		if (clientsMatch) {
			head = `{"success":true,"data":{"salon_group_id":${clientsMatch[1]},"phone":"+10000000000","clients":[`;
			tail = ']},"meta":[]}';
			item = (i) =>
				`{"id":${1000000 + i},"company_id":${10000 + (i % 1000)},"name":"Generated client ${i}","email":"client${i}@example.com"}`;
		} else {
			head = '{"success":true,"data":[';
			tail = '],"meta":[]}';
			item = (i) =>
				`{"id":${100000 + i},"title":"Generated chain ${i}","companies":[{"id":${200000 + 2 * i},"title":"Generated location ${2 * i}"},{"id":${200001 + 2 * i},"title":"Generated location ${2 * i + 1}"}],"access":{"settings_access":1,"clients_access":1,"users_access":0,"loyalty_access":1}}`;
		}
		finalize(entry, status);
		if (res.destroyed) return;
		try {
			res.writeHead(status, { 'Content-Type': JSON_TYPE, ...(fault.headers || {}) });
		} catch {
			res.destroy();
			return;
		}
		res.write(head);
		let written = head.length;
		let i = 0;
		const pump = () => {
			while (written + tail.length < target) {
				if (res.destroyed) return;
				let chunk = '';
				while (chunk.length < HUGE_CHUNK_BYTES && written + chunk.length + tail.length < target) {
					chunk += (i === 0 ? '' : ',') + item(i);
					i++;
				}
				written += chunk.length;
				if (!res.write(chunk)) {
					res.once('drain', pump);
					return;
				}
			}
			res.end(tail);
		};
		pump();
	}

	// --- request handling -------------------------------------------------------

	function handleApi(req, res, method, fullPath, rawQuery) {
		const now = performance.now();
		const rel = fullPath.length === API_PREFIX.length ? '' : fullPath.slice(API_PREFIX.length);
		const h = req.headers;
		const entry = {
			at: now - t0,
			method,
			path: fullPath,
			query: parseQuery(rawQuery),
			rawQuery,
			headers: {
				authorization: h.authorization,
				accept: h.accept,
				'content-type': h['content-type'],
				'user-agent': h['user-agent'],
			},
			body: undefined,
			status: undefined,
			fault: undefined,
		};
		requests.push(entry);
		total++;
		inFlight++;
		if (inFlight > maxConcurrent) maxConcurrent = inFlight;
		res.once('close', () => {
			inFlight--;
		});

		const fault = faults.length > 0 ? takeFault(method, fullPath, rel) : null;
		let refusedWait = 0;
		if (fault !== null) entry.fault = fault.mode;
		else if (limiter !== null) refusedWait = limiter.check(req.socket.remoteAddress || '', now);

		const proceed = () => {
			if (fault !== null) {
				if (fault.mode === 'hang') {
					finalize(entry, 'hang');
					return; // answered never; close() destroys the socket
				}
				const wait = fault.delayMs + answerDelay();
				if (fault.mode === 'delay')
					later(wait, () => respondNormally(req, res, method, rel, entry));
				else if (fault.mode === 'trickle') later(wait, () => trickle(req, res, method, rel, entry));
				else later(wait, () => sendFault(fault, req, res, entry, rel));
				return;
			}
			if (refusedWait > 0) {
				const headers = { 'Content-Type': JSON_TYPE };
				if (limiter.retryAfter)
					headers['Retry-After'] = String(Math.max(1, Math.ceil(refusedWait / 1000)));
				later(answerDelay(), () => send(res, entry, 429, BODY_TOO_MANY, headers));
				return;
			}
			later(answerDelay(), () => respondNormally(req, res, method, rel, entry));
		};

		if (h['content-length'] === undefined && h['transfer-encoding'] === undefined) {
			req.resume();
			proceed();
			return;
		}
		const chunks = [];
		let size = 0;
		req.on('data', (chunk) => {
			size += chunk.length;
			if (size <= MAX_BODY_BYTES) chunks.push(chunk);
		});
		req.on('end', () => {
			if (size > 0) {
				const text = Buffer.concat(chunks).toString('utf8');
				if (method !== 'GET' && method !== 'HEAD') entry.body = parseLoggedBody(text);
			}
			proceed();
		});
		req.on('error', () => {});
	}

	/** The normal answer, one byte every 100 ms: an answer that keeps a connection busy without end. */
	function trickle(req, res, method, rel, entry) {
		const [status, body] = route(method, rel, entry, req);
		finalize(entry, status);
		if (res.destroyed) return;
		res.writeHead(status, { 'Content-Type': JSON_TYPE, 'Content-Length': Buffer.byteLength(body) });
		const bytes = Buffer.from(body);
		let sent = 0;
		const next = () => {
			if (res.destroyed) return;
			res.write(bytes.subarray(sent, sent + 1));
			sent++;
			if (sent < bytes.length) later(100, next);
			else res.end();
		};
		next();
	}

	function respondNormally(req, res, method, rel, entry) {
		const [status, body] = route(method, rel, entry, req);
		send(res, entry, status, body);
	}

	function handleControl(req, res, method, fullPath) {
		const reply = (status, value) => {
			if (res.destroyed) return;
			const body = value === undefined ? '' : JSON.stringify(value);
			res.writeHead(status, {
				'Content-Type': JSON_TYPE,
				'Content-Length': Buffer.byteLength(body),
			});
			res.end(body);
		};
		const name = fullPath.slice(CONTROL_PREFIX.length).replace(/\/$/, '');
		const withBody = (fn) => {
			const chunks = [];
			req.on('data', (c) => chunks.push(c));
			req.on('end', () => {
				const text = Buffer.concat(chunks).toString('utf8');
				let value;
				try {
					value = text === '' ? undefined : JSON.parse(text);
				} catch {
					reply(400, { ok: false, error: 'body must be JSON' });
					return;
				}
				fn(value);
			});
			req.on('error', () => {});
		};
		if (name === 'requests' && method === 'GET') return reply(200, requests.map(redacted));
		if (name === 'requests' && method === 'DELETE') {
			api.clearRequests();
			return reply(200, { ok: true });
		}
		if (name === 'stats' && method === 'GET') return reply(200, api.stats());
		if (name === 'faults' && method === 'GET') return reply(200, faults.map(describeFault));
		if (name === 'faults' && method === 'DELETE') {
			api.clearFaults();
			return reply(200, { ok: true });
		}
		if (name === 'faults' && method === 'POST') {
			return withBody((value) => {
				try {
					const queued = api.injectFaults(value);
					reply(200, { ok: true, queued });
				} catch (error) {
					reply(400, { ok: false, error: error.message });
				}
			});
		}
		if (name === 'invalidate-user-tokens' && method === 'POST') {
			api.invalidateUserTokens();
			return reply(200, { ok: true });
		}
		if (name === 'user-token' && method === 'POST') {
			return withBody((value) => {
				if (!value || typeof value.token !== 'string' || value.token === '') {
					reply(400, { ok: false, error: 'body must be {"token":"..."}' });
					return;
				}
				api.setUserToken(value.token);
				reply(200, { ok: true });
			});
		}
		if (name === 'reset-rate-limit' && method === 'POST') {
			api.resetRateLimit();
			return reply(200, { ok: true });
		}
		const own = modules.filter((module) => typeof module.control === 'function');
		if (own.length > 0) {
			return withBody((value) => {
				for (const module of own) {
					const answer = module.control(method, name, value);
					if (answer !== undefined) return reply(answer[0], answer[1]);
				}
				reply(404, { ok: false, error: 'unknown control route' });
			});
		}
		reply(404, { ok: false, error: 'unknown control route' });
	}

	/**
	 * A log entry as the control route hands it out: whoever can reach the sandbox learns which
	 * kind of token a request carried, never the token or the password itself.
	 */
	function redacted(entry) {
		const copy = { ...entry, headers: { ...entry.headers } };
		const authorization = entry.headers.authorization;
		if (typeof authorization === 'string') {
			copy.headers.authorization = authorization.replace(
				/^Bearer (\S*?)(, User (.*))?$/,
				(_, partner, userPart, user) => {
					const partnerLabel = partner === seed.partnerToken ? '[partner token]' : '[other token]';
					if (userPart === undefined) return `Bearer ${partnerLabel}`;
					const userLabel =
						staticUserToken !== null && user === staticUserToken
							? '[user token]'
							: issuedTokens.has(user)
								? '[session token]'
								: '[other token]';
					return `Bearer ${partnerLabel}, User ${userLabel}`;
				},
			);
			if (copy.headers.authorization === authorization) copy.headers.authorization = '[redacted]';
		}
		if (entry.body !== null && typeof entry.body === 'object' && 'password' in entry.body) {
			copy.body = { ...entry.body, password: '[redacted]' };
		} else if (typeof entry.body === 'string' && /password/i.test(entry.body)) {
			copy.body = '[redacted]';
		}
		return copy;
	}

	const server = http.createServer((req, res) => {
		const url = req.url || '/';
		const q = url.indexOf('?');
		const fullPath = q === -1 ? url : url.slice(0, q);
		const method = req.method || 'GET';
		if (
			fullPath.startsWith(API_PREFIX) &&
			(fullPath.length === API_PREFIX.length || fullPath[API_PREFIX.length] === '/')
		) {
			handleApi(req, res, method, fullPath, q === -1 ? '' : url.slice(q + 1));
			return;
		}
		if (fullPath.startsWith(CONTROL_PREFIX)) {
			handleControl(req, res, method, fullPath);
			return;
		}
		req.resume();
		res.writeHead(404, { 'Content-Type': JSON_TYPE, 'Content-Length': BODY_NOT_FOUND.length });
		res.end(BODY_NOT_FOUND);
	});
	server.keepAliveTimeout = 5000;
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.once('close', () => sockets.delete(socket));
	});
	server.on('clientError', (error, socket) => {
		if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
		else socket.destroy();
	});

	await new Promise((resolve, reject) => {
		const onError = (error) => reject(error);
		server.once('error', onError);
		server.listen(port, host, () => {
			server.off('error', onError);
			resolve();
		});
	});

	const address = server.address();
	const urlHost =
		address.family === 'IPv6' || address.family === 6 ? `[${address.address}]` : address.address;
	const url = `http://${urlHost}:${address.port}`;

	const api = {
		url,
		apiUrl: url + API_PREFIX,
		port: address.port,
		seed,
		events,
		clock,
		modules: byName,
		requests,
		clearRequests() {
			requests.length = 0;
		},
		injectFaults(faultOrArray) {
			const list = (Array.isArray(faultOrArray) ? faultOrArray : [faultOrArray]).map(
				normalizeFault,
			);
			faults.push(...list);
			return list.length;
		},
		clearFaults() {
			faults = [];
		},
		pendingFaults() {
			return faults.map(describeFault);
		},
		invalidateUserTokens() {
			issuedTokens.clear();
			staticUserToken = null;
		},
		setUserToken(token) {
			staticUserToken = typeof token === 'string' && token !== '' ? token : null;
		},
		resetRateLimit() {
			if (limiter !== null) limiter.reset();
		},
		stats() {
			return { total, byStatus: { ...byStatus }, maxConcurrent };
		},
		close() {
			if (closing) return closing;
			closing = new Promise((resolve) => {
				for (const timer of timers) clearTimeout(timer);
				timers.clear();
				for (const module of modules) if (typeof module.close === 'function') module.close();
				faults = [];
				server.close(() => resolve());
				if (typeof server.closeAllConnections === 'function') server.closeAllConnections();
				for (const socket of sockets) socket.destroy();
				sockets.clear();
			});
			return closing;
		},
	};
	return api;
}

module.exports = { startSandbox };
