'use strict';

/**
 * Per-location state of the sandbox: clients, appointments (records), services, team members,
 * loyalty cards and bookable times, read from seed-locations.json (or `seed.locations` /
 * `seed.loyaltyCards` when the main seed carries them). Clients and appointments change through
 * the API; each change is emitted as `change` on `events`, the way Altegio's webhooks report it.
 *
 * Where the documentation is silent, the choices are marked "Assumption".
 */

const fs = require('node:fs');
const path = require('node:path');
const { phoneDigits } = require('./phone');
const { zoneOf } = require('./zones');

const SEED_PATH = path.join(__dirname, 'seed-locations.json');
const CLIENT_PAGE_SIZE = { default: 25, max: 200 };
// Assumption: no maximum is documented for `count`. Altegio's own tool text says 300; the sandbox
// takes the less convenient reading that the real cap is lower, and serves a larger count as 200
// (the page number still counts pages of the size served), so a client must follow total_count.
const RECORD_PAGE_SIZE = { default: 25, max: 200 };
const VISIT_PAGE_SIZE = 25;
// `GET /transactions/{id}` documents `count` (its example asks 50) but no maximum and answers with
// `meta: []` (no total). Assumption: the sandbox takes the less convenient reading that 50 is the
// most it serves, so a client must read on until a short page.
const TRANSACTION_PAGE_SIZE = { default: 50, max: 50 };
const ACCOUNTS = [
	{ id: 90001, title: 'Cash', is_cash: true },
	{ id: 90002, title: 'Card terminal', is_cash: false },
];
const SERVICE_INCOME = { id: 5, title: 'Provision of services' };
const IMPORTANCE = ['No importance class', 'Bronze', 'Silver', 'Gold'];
const GENDER = ['Unknown', 'Male', 'Female'];

const envelope = (data, meta = []) => JSON.stringify({ success: true, data, meta });
const failure = (message, errors) =>
	JSON.stringify({
		success: false,
		data: null,
		meta: errors === undefined ? { message } : { message, errors },
	});
const UNAUTHENTICATED = [401, failure('Authentication needed.')];
const NOT_FOUND = [404, failure('Not found')];
const invalid = (errors) => [422, failure('An error has occurred.', errors)];

function digitsOf(value) {
	return String(value ?? '').replace(/\D/g, '');
}

function isPositiveId(value) {
	return /^[1-9][0-9]{0,14}$/.test(String(value));
}

/** Parses `YYYY-MM-DD[T ]HH:mm[:ss][offset]`; without an offset the time is the location's. */
function parseDateTime(text, offset) {
	const match =
		/^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(
			String(text ?? '').trim(),
		);
	if (!match) return undefined;
	const local =
		typeof offset === 'string'
			? offset
			: offset.offsetOfWall(`${match[1]}T${match[2]}:${match[3] ?? '00'}`);
	const zone = match[4] === undefined ? local : match[4] === 'Z' ? '+00:00' : match[4];
	const iso = `${match[1]}T${match[2]}:${match[3] ?? '00'}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
	const ms = Date.parse(iso);
	return Number.isNaN(ms) ? undefined : ms;
}

/** Formats a moment in the location's offset, as `2026-12-14T10:30:00-05:00`. */
function localIso(ms, zone) {
	const offset = typeof zone === 'string' ? zone : zone.offsetAt(ms);
	const sign = offset[0] === '-' ? -1 : 1;
	const minutes = sign * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
	const local = new Date(ms + minutes * 60000).toISOString().slice(0, 19);
	return `${local}${offset}`;
}

/** `last_change_date` as the client example writes it: `2026-03-01T12:00:00-0500`. */
function changeStamp(ms, offset) {
	return localIso(ms, offset).replace(/([+-]\d{2}):(\d{2})$/, '$1$2');
}

/** A phone as a user without the right to see phones gets it: `+1426*****40`. */
function masked(phone) {
	const digits = digitsOf(phone);
	return `+${digits.slice(0, 4)}${'*'.repeat(Math.max(0, digits.length - 6))}${digits.slice(-2)}`;
}

function isRealDate(text) {
	if (!/^\d{4}-\d{2}-\d{2}$/.test(String(text))) return false;
	const date = new Date(`${text}T00:00:00Z`);
	return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

function readBody(entry) {
	const body = entry.body;
	return body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {};
}

function firstOf(value) {
	return Array.isArray(value) ? value[0] : value;
}

/** A list parameter read as PHP reads it: `key[]=1&key[]=2`, `key[0]=1&key[1]=2` or `key=1`. */
function listOf(query, key) {
	const values = [];
	for (const [name, value] of Object.entries(query)) {
		if (name === key || name === `${key}[]` || new RegExp(`^${key}\\[\\d+\\]$`).test(name)) {
			values.push(...(Array.isArray(value) ? value : [value]));
		}
	}
	return values.filter((part) => part !== '');
}

// The seed's appointments are written as seen on this day.
const SEED_TODAY = '2026-12-01';
const DATED_FIELDS = ['datetime', 'create_date', 'last_change_date', 'last_visit_date'];

/**
 * Whole weeks from the seed's day to `today` (a `YYYY-MM-DD` or 'now'), so that a seed moved by
 * them keeps its weekdays and its appointments stay ahead of `today`. 0 without `today`.
 */
function weeksToToday(today) {
	if (today === undefined) return 0;
	const day = today === 'now' ? new Date().toISOString().slice(0, 10) : String(today);
	if (!isRealDate(day)) throw new TypeError(`startSandbox: \`today\` must be YYYY-MM-DD or 'now'`);
	const days = (Date.parse(day) - Date.parse(SEED_TODAY)) / 86400000;
	return Math.max(0, Math.floor(days / 7));
}

/** Moves the date at the start of `text` on by `days`, keeping the rest (time, offset). */
function shiftDate(text, days) {
	const match = /^(\d{4}-\d{2}-\d{2})(.*)$/s.exec(String(text));
	if (!match || days === 0) return text;
	const moved = new Date(Date.parse(`${match[1]}T00:00:00Z`) + days * 86400000);
	return moved.toISOString().slice(0, 10) + match[2];
}

function shiftSeed(source, days) {
	if (days === 0) return source;
	const moved = structuredClone(source);
	for (const location of Object.values(moved.locations || {})) {
		for (const row of [...(location.clients || []), ...(location.records || [])]) {
			for (const field of DATED_FIELDS) {
				if (typeof row[field] === 'string' && row[field] !== '')
					row[field] = shiftDate(row[field], days);
			}
		}
	}
	return moved;
}

function create({ seed, hasUserAuth, events, today, clock: sandboxClock }) {
	const shiftDays = 7 * weeksToToday(today);
	const source = shiftSeed(
		seed && seed.locations ? seed : JSON.parse(fs.readFileSync(SEED_PATH, 'utf8')),
		shiftDays,
	);
	const partnerHeader = `Bearer ${seed.partnerToken}`;
	const locations = new Map();
	let nextClientId = 4300000;
	let nextRecordId = 63000000;
	let clock = Date.parse(`${shiftDate(SEED_TODAY, shiftDays)}T12:00:00Z`);
	// `last_change_date` has whole seconds: two changes within one second share it, as the API's would
	// (the less convenient reading; the documentation does not say it orders changes).
	const tick = () => (clock = Math.max(clock, sandboxClock ? sandboxClock.now() : Date.now()));

	for (const [id, raw] of Object.entries(source.locations || {})) {
		const location = {
			id: Number(id),
			chainId: Number(raw.chainId),
			title: raw.title,
			// A location with `timezone` (IANA) follows daylight saving; one with `offset` does not.
			offset: raw.timezone ? zoneOf(raw.timezone) : raw.offset || '+00:00',
			licenseExpired: raw.licenseExpired === true,
			workingHours: raw.workingHours || ['10:00', '19:00'],
			slotMinutes: raw.slotMinutes || 30,
			staff: structuredClone(raw.staff || []),
			services: structuredClone(raw.services || []),
			clients: new Map(),
			records: new Map(),
		};
		for (const client of raw.clients || [])
			location.clients.set(client.id, structuredClone(client));
		for (let i = 0; i < (raw.generatedClients || 0); i++) {
			const client = newClient(location, {
				name: `Client ${i + 1}`,
				surname: 'Generated',
				phone: `1555${String(location.id).slice(-3)}${String(i).padStart(4, '0')}`,
				email: `client${i + 1}.${location.id}@example.com`,
			});
			client.last_change_date = changeStamp(clock, location.offset);
		}
		for (const record of raw.records || []) addRecord(location, record);
		const staff = location.staff.find((member) => !member.fired) || location.staff[0];
		const service = location.services.find((item) =>
			(item.staff || []).some((link) => link.id === staff?.id),
		);
		const day = Date.parse(`${shiftDate('2027-01-04', shiftDays)}T09:00:00Z`);
		for (let i = 0; i < (raw.generatedRecords || 0) && staff && service; i++) {
			addRecord(location, {
				id: nextRecordId++,
				staff_id: staff.id,
				client_id: null,
				services: [service.id],
				datetime: localIso(day + i * 86400000, location.offset),
				seance_length: 3600,
				comment: `Generated appointment ${i + 1}`,
				attendance: 0,
				create_date: changeStamp(clock, location.offset),
				last_change_date: changeStamp(clock, location.offset),
			});
		}
		locations.set(id, location);
	}
	const loyaltyCards = structuredClone(source.loyaltyCards || []);
	let deleteWithFuture = 'refuse';
	let nextVisitId = 60000001;
	let nextTransactionId = 70000001;
	for (const location of locations.values()) seedTransactions(location);

	function newClient(location, fields, yclients = false) {
		const id = nextClientId++;
		const client = {
			id,
			name: '',
			display_name: '',
			phone: '',
			...clearedClientFields(),
			spent: 0,
			paid: 0,
			balance: 0,
			visits: 0,
			first_visit_date: '',
			last_visit_date: '',
			last_change_date: '',
		};
		applyClientFields(client, fields, { yclients });
		location.clients.set(id, client);
		return client;
	}

	/**
	 * The client card a PUT leaves when it is sent none of the editable fields.
	 * Assumption: the documentation does not say whether PUT replaces the card; the sandbox takes
	 * the less convenient reading that it does, so every editable field not sent is cleared. The
	 * totals the location keeps (spent, paid, balance, visits) are not editable this way and stay.
	 */
	function clearedClientFields() {
		return {
			surname: '',
			patronymic: '',
			email: '',
			card: '',
			birth_date: '',
			comment: '',
			discount: 0,
			importance_id: 0,
			importance: IMPORTANCE[0],
			sex_id: 0,
			sex: GENDER[0],
			sms_check: 0,
			sms_not: 0,
			categories: [],
			custom_fields: {},
		};
	}

	/**
	 * Applies a create or update body. Each host reads the gender under its own key (`gender_id` on
	 * Altegio, `sex_id` on YCLIENTS) and ignores the other; so do tags (`labels` on an Altegio
	 * update, `categories` on an Altegio create and on YCLIENTS).
	 */
	function applyClientFields(client, body, { yclients = false, update = false } = {}) {
		for (const key of ['name', 'surname', 'email', 'card', 'comment', 'birth_date']) {
			if (body[key] !== undefined) client[key] = String(body[key]);
		}
		if (body.middle_name !== undefined) client.patronymic = String(body.middle_name);
		if (body.phone !== undefined)
			client.phone = `+${phoneDigits(body.phone) ?? digitsOf(body.phone)}`;
		for (const key of ['discount', 'spent', 'balance', 'sms_check', 'sms_not']) {
			if (body[key] !== undefined) client[key] = Number(body[key]);
		}
		if (body.importance_id !== undefined) {
			client.importance_id = Number(body.importance_id);
			client.importance = IMPORTANCE[client.importance_id] ?? IMPORTANCE[0];
		}
		const gender = yclients ? body.sex_id : body.gender_id;
		if (gender !== undefined) {
			client.sex_id = Number(gender);
			client.sex = GENDER[client.sex_id] ?? GENDER[0];
		}
		const tags = update && !yclients ? body.labels : body.categories;
		if (Array.isArray(tags)) {
			client.categories = tags.map((id) => ({
				id: Number(id),
				title: `Category ${id}`,
				color: '#2196f3',
			}));
		}
		if (body.custom_fields !== undefined) client.custom_fields = body.custom_fields;
		client.display_name = [client.name, client.surname].filter(Boolean).join(' ');
	}

	/** The documented checks of a client body; Laravel-style `field → messages` errors. */
	function clientErrors(body, yclients) {
		const errors = {};
		for (const field of ['name', 'phone']) {
			if (body[field] === undefined || body[field] === null || String(body[field]).trim() === '') {
				errors[field] = [`The ${field} field is required.`];
			}
		}
		if (errors.phone === undefined && phoneDigits(body.phone) === undefined) {
			errors.phone = ['The phone format is invalid.'];
		}
		if (body.email && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(String(body.email))) {
			errors.email = ['The email must be a valid email address.'];
		}
		if (body.birth_date && !isRealDate(body.birth_date)) {
			errors.birth_date = ['The birth date does not match the format Y-m-d.'];
		}
		for (const [field, max] of [
			[yclients ? 'sex_id' : 'gender_id', 2],
			['importance_id', 3],
		]) {
			const value = body[field];
			if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value <= max)) {
				errors[field] = [`The ${field.replace('_id', '')} is invalid.`];
			}
		}
		if (
			body.custom_fields !== undefined &&
			(typeof body.custom_fields !== 'object' || body.custom_fields === null)
		) {
			errors.custom_fields = ['The custom fields must be an object.'];
		}
		return errors;
	}

	function emit(location, resource, status, data) {
		events.emit('change', {
			locationId: location.id,
			resource,
			resourceId: data.id,
			status,
			data: structuredClone(data),
		});
	}

	// --- appointments ----------------------------------------------------------

	function addRecord(location, raw) {
		const ms = parseDateTime(raw.datetime, location.offset);
		const record = {
			id: raw.id,
			company_id: location.id,
			staff_id: raw.staff_id,
			client_id: raw.client_id,
			service_ids: raw.services,
			amounts: {},
			technical_break_duration: raw.technical_break_duration ?? null,
			start: ms,
			seance_length: raw.seance_length,
			comment: raw.comment ?? '',
			attendance: raw.attendance ?? 0,
			api_id: raw.api_id ?? '',
			custom_color: raw.custom_color ?? '',
			sms_remain_hours: raw.sms_remain_hours ?? null,
			email_remain_hours: raw.email_remain_hours ?? null,
			create_date: raw.create_date,
			last_change_date: raw.last_change_date,
			changed: parseDateTime(raw.last_change_date, location.offset) ?? clock,
			deleted: false,
		};
		location.records.set(record.id, record);
		return record;
	}

	/** The appointment as the API returns it (get, list, create, update and the webhook). */
	function recordView(location, record) {
		const staff = location.staff.find((member) => member.id === record.staff_id);
		const client = record.client_id ? location.clients.get(record.client_id) : undefined;
		const datetime = localIso(record.start, location.offset);
		return {
			id: record.id,
			company_id: location.id,
			staff_id: record.staff_id,
			services: record.service_ids.map((id) => {
				const service = location.services.find((item) => item.id === id) || { id, title: '' };
				const cost = Number(service.price_min ?? 0);
				return {
					id,
					title: service.title,
					cost,
					cost_to_pay: cost,
					manual_cost: cost,
					cost_per_unit: cost,
					discount: 0,
					first_cost: cost,
					amount: record.amounts[id] ?? 1,
				};
			}),
			goods_transactions: [],
			staff: staff
				? {
						id: staff.id,
						api_id: null,
						name: staff.name,
						specialization: staff.specialization,
						position: staff.position,
						avatar: staff.avatar,
						avatar_big: staff.avatar_big,
						rating: 0,
						votes_count: 0,
					}
				: null,
			client: client
				? {
						id: client.id,
						name: client.name,
						surname: client.surname,
						patronymic: client.patronymic,
						display_name: client.display_name,
						phone: location.maskPhones ? masked(client.phone) : client.phone,
						email: client.email,
						card: client.card,
						comment: client.comment,
						discount: client.discount,
						success_visits_count: client.visits,
						fail_visits_count: 0,
						is_new: client.visits === 0,
						custom_fields: [],
					}
				: null,
			clients_count: client ? 1 : 0,
			date: datetime.slice(0, 19).replace('T', ' '),
			datetime,
			create_date: record.create_date,
			comment: record.comment,
			online: false,
			visit_attendance: record.attendance,
			attendance: record.attendance,
			confirmed: record.attendance === 2 ? 1 : 0,
			seance_length: record.seance_length,
			length: record.seance_length,
			technical_break_duration: record.technical_break_duration,
			sms_before: 0,
			sms_now: 0,
			sms_now_text: '',
			email_now: 0,
			notified: 0,
			master_request: 0,
			api_id: record.api_id,
			from_url: '',
			review_requested: 0,
			visit_id: record.id + 100000000,
			created_user_id: 123456,
			deleted: record.deleted,
			paid_full: 0,
			prepaid: false,
			prepaid_confirmed: false,
			is_update_blocked: false,
			is_sale_bill_printed: false,
			activity_id: 0,
			bookform_id: 0,
			record_from: '',
			is_mobile: 0,
			custom_color: record.custom_color,
			custom_font_color: '',
			record_labels: [],
			custom_fields: [],
			documents: [],
			sms_remain_hours: record.sms_remain_hours,
			email_remain_hours: record.email_remain_hours,
			last_change_date: record.last_change_date,
		};
	}

	/** Checks a create or full-update body; returns `{ errors }` or the values to store. */
	function readRecordBody(location, body, currentId) {
		const errors = {};
		const staffId = Number(body.staff_id);
		const staff = location.staff.find((member) => member.id === staffId && !member.fired);
		if (body.staff_id === undefined || body.staff_id === null) {
			errors.staff_id = ['The staff id field is required.'];
		} else if (!staff) {
			errors.staff_id = [
				`Team Member with ID ${body.staff_id} was not found in branch ${location.id}.`,
			];
		}
		const services = Array.isArray(body.services) ? body.services : undefined;
		if (!services || services.length === 0) {
			errors.services = ['The services field is required.'];
		} else {
			const unknown = services
				.map((service) => Number(service && service.id))
				.filter((id) => !location.services.some((item) => item.id === id));
			if (unknown.length > 0) errors.services = [`Service not found: ${unknown.join(', ')}.`];
		}
		const client = body.client;
		// Assumption: an existing client can be named by `client.id` (the ID the appointment shows)
		// instead of a phone, as an update must when the user may not see the phone.
		const known = client && client.id !== undefined ? findClient(location, client.id) : undefined;
		if (client === null || typeof client !== 'object' || Array.isArray(client)) {
			errors.client = ['The client field is required.'];
		} else if (client.id !== undefined && !known) {
			errors['client.id'] = [`Client with ID ${client.id} was not found in branch ${location.id}.`];
		} else if (known && client.phone === undefined) {
			// named by its ID alone
		} else if (/[*•xX…]/.test(String(client.phone ?? ''))) {
			errors['client.phone'] = ['The client phone format is invalid.'];
		} else if (!client.phone) {
			errors['client.phone'] = ['The client phone field is required.'];
		} else if (phoneDigits(client.phone) === undefined) {
			errors['client.phone'] = ['The client phone format is invalid.'];
		}
		const start = parseDateTime(body.datetime, location.offset);
		if (body.datetime === undefined) errors.datetime = ['The datetime field is required.'];
		else if (start === undefined) errors.datetime = ['The datetime is not a valid date.'];
		const length = body.seance_length;
		if (length === undefined) errors.seance_length = ['The seance length field is required.'];
		else if (!(Number.isInteger(length) && length > 0)) {
			errors.seance_length = ['The seance length must be a positive whole number of seconds.'];
		}
		if (Object.keys(errors).length > 0) return { errors };

		const phone = known ? undefined : phoneDigits(client.phone);
		const existing =
			known ?? [...location.clients.values()].find((item) => digitsOf(item.phone) === phone);
		if (!existing && !String(client.name ?? '').trim()) {
			return { errors: { 'client.name': ['The client name is required for a new client.'] } };
		}
		const technicalBreak = body.technical_break_duration ?? null;
		if (
			technicalBreak !== null &&
			!(Number.isInteger(technicalBreak) && technicalBreak % 300 === 0 && technicalBreak <= 3600)
		) {
			return {
				errors: {
					technical_break_duration: [
						'The technical break duration must be a multiple of 300 of at most 3600.',
					],
				},
			};
		}
		if (body.save_if_busy !== true) {
			const end = start + length * 1000;
			const busy = [...location.records.values()].some(
				(record) =>
					!record.deleted &&
					record.id !== currentId &&
					record.staff_id === staffId &&
					record.start < end &&
					start < record.start + record.seance_length * 1000,
			);
			if (busy) return { busy: true };
			// Off unless switched on (control `working-hours`): the seed's own bookings were made
			// without it. The API refuses a non-working time like a busy one.
			if (location.checkWorkingHours && outsideWorkingHours(location, start, end)) {
				return { busy: true };
			}
		}
		return {
			values: {
				staff_id: staffId,
				service_ids: services.map((service) => Number(service.id)),
				// The body replaces the appointment: a service sent without its amount counts once.
				amounts: Object.fromEntries(
					services.map((service) => [Number(service.id), Number(service.amount ?? 1)]),
				),
				technical_break_duration: technicalBreak,
				start,
				seance_length: length,
				phone,
				client,
				existing,
			},
		};
	}

	/** Stores a checked body on a record; creates the client when the phone is new. */
	function applyRecord(location, record, values, body) {
		let client = values.existing;
		if (!client) {
			client = newClient(location, {
				name: values.client.name,
				phone: values.phone,
				email: values.client.email,
			});
			client.last_change_date = changeStamp(tick(), location.offset);
			emit(location, 'client', 'create', client);
		}
		record.staff_id = values.staff_id;
		record.service_ids = values.service_ids;
		record.amounts = values.amounts;
		record.technical_break_duration = values.technical_break_duration;
		record.start = values.start;
		record.seance_length = values.seance_length;
		record.client_id = client.id;
		for (const key of [
			'comment',
			'api_id',
			'custom_color',
			'sms_remain_hours',
			'email_remain_hours',
		]) {
			if (body[key] !== undefined) record[key] = body[key];
		}
		if (body.attendance !== undefined) record.attendance = Number(body.attendance);
		record.changed = tick();
		record.last_change_date = changeStamp(record.changed, location.offset);
	}

	// --- routes ----------------------------------------------------------------

	function route(method, rel, entry) {
		const parts = rel.split('/').filter(Boolean);
		const match = matchRoute(method, parts);
		if (match === undefined) return undefined;
		const authorization = entry.headers.authorization;
		if (match.partnerOnly === true) {
			// Assumption: the online-booking API is documented for the partner token alone; the sandbox
			// takes the less convenient reading that it refuses a request that also carries a user token.
			if (authorization !== partnerHeader) return UNAUTHENTICATED;
		} else if (match.partnerOnly === 'either') {
			if (authorization !== partnerHeader && !hasUserAuth(authorization)) return UNAUTHENTICATED;
		} else if (!hasUserAuth(authorization)) {
			return UNAUTHENTICATED;
		}
		const location = locations.get(match.locationId);
		if (!location) {
			return [404, failure('Location not found.', ['Location not found.'])];
		}
		if (location.licenseExpired) {
			return [
				402,
				failure(`It is necessary to renew the license in the branch with id: ${location.id}`),
			];
		}
		return match.handle(location, entry, match.args);
	}

	/** Which handler a path belongs to; `undefined` leaves the path to other modules. */
	function matchRoute(method, parts) {
		const [first, second, third, fourth, fifth] = parts;
		const at = (locationId, handle, args = [], partnerOnly = false) =>
			isPositiveId(locationId)
				? { locationId, handle, args, partnerOnly }
				: { locationId: '', handle };
		if (first === 'client' && parts.length === 3) {
			if (method === 'GET') return at(second, getClient, [third]);
			if (method === 'PUT') return at(second, updateClient, [third]);
			if (method === 'DELETE') return at(second, deleteClient, [third]);
		}
		if (first === 'clients' && parts.length === 2 && method === 'POST')
			return at(second, createClient);
		if (first === 'company' && third === 'clients' && fourth === 'search' && parts.length === 4) {
			if (method === 'POST') return at(second, searchClients);
		}
		if (
			first === 'company' &&
			third === 'clients' &&
			fourth === 'visits' &&
			fifth === 'search' &&
			parts.length === 5 &&
			method === 'POST'
		) {
			return at(second, searchVisits);
		}
		if (first === 'record' && parts.length === 3) {
			if (method === 'GET') return at(second, getRecord, [third]);
			if (method === 'PUT') return at(second, updateRecord, [third]);
			if (method === 'DELETE') return at(second, deleteRecord, [third]);
		}
		if (first === 'records' && parts.length === 2) {
			if (method === 'GET') return at(second, listRecords);
			if (method === 'POST') return at(second, createRecord);
		}
		if (first === 'company' && (third === 'services' || third === 'staff') && method === 'GET') {
			if (parts.length === 3 || parts.length === 4) {
				return at(second, third === 'services' ? listServices : listStaff, [fourth]);
			}
		}
		if (first === 'company' && parts.length === 2 && method === 'GET') {
			return at(second, getCompany, [], 'either');
		}
		if (first === 'loyalty' && second === 'cards' && parts.length === 5 && method === 'GET') {
			return at(fifth, loyaltyCardsByPhone, [third, fourth]);
		}
		if (first === 'transactions' && parts.length === 2 && method === 'GET') {
			return at(second, listTransactions);
		}
		if (
			first === 'timetable' &&
			second === 'transactions' &&
			parts.length === 3 &&
			method === 'GET'
		) {
			return at(third, transactionsOfRecord);
		}
		if (first === 'schedule' && parts.length === 5 && method === 'GET') {
			return at(second, teamMemberSchedule, [third, fourth, fifth]);
		}
		if (first === 'book_dates' && parts.length === 2 && method === 'GET') {
			return at(second, bookDates, [], true);
		}
		if (first === 'book_times' && parts.length === 4 && method === 'GET') {
			return at(second, bookTimes, [third, fourth], true);
		}
		return undefined;
	}

	/** The host the request was meant for, as its Accept header tells: YCLIENTS or Altegio. */
	function isYclients(entry) {
		return String(entry.headers.accept ?? '').includes('vnd.yclients.');
	}

	function findClient(location, id) {
		return isPositiveId(id) ? location.clients.get(Number(id)) : undefined;
	}

	function getClient(location, entry, [id]) {
		const client = findClient(location, id);
		if (!client) return [404, failure('Client not found')];
		return [200, envelope(client)];
	}

	function createClient(location, entry) {
		const body = readBody(entry);
		const yclients = isYclients(entry);
		const errors = clientErrors(body, yclients);
		if (Object.keys(errors).length > 0) return invalid(errors);
		const client = newClient(location, body, yclients);
		client.last_change_date = changeStamp(tick(), location.offset);
		emit(location, 'client', 'create', client);
		return [201, envelope(client)];
	}

	// PUT requires name and phone (as documented) and replaces the card (see clearedClientFields).
	// Assumption: the update_client page shows an empty 200 answer, the YCLIENTS blueprint the
	// client; the sandbox answers the less convenient empty body.
	function updateClient(location, entry, [id]) {
		const client = findClient(location, id);
		if (!client) return [404, failure('Client not found')];
		const body = readBody(entry);
		const yclients = isYclients(entry);
		const errors = clientErrors(body, yclients);
		if (Object.keys(errors).length > 0) return invalid(errors);
		Object.assign(client, clearedClientFields());
		applyClientFields(client, body, { yclients, update: true });
		client.last_change_date = changeStamp(tick(), location.offset);
		emit(location, 'client', 'update', client);
		return [200, ''];
	}

	// Assumption: the documentation (204, no body) is silent on a client with future appointments.
	// The sandbox takes the less convenient reading by default and refuses such a delete with a 422;
	// the control `client-delete` with `{ "future": "delete" }` switches to the other reading, in
	// which the client is deleted and the appointments stay, without a client.
	function deleteClient(location, entry, [id]) {
		const client = findClient(location, id);
		if (!client) return [404, failure('Client not found')];
		const future = [...location.records.values()].filter(
			(record) => !record.deleted && record.client_id === client.id && record.start > clock,
		);
		if (future.length > 0 && deleteWithFuture !== 'delete') {
			return invalid([
				`The client has ${future.length} upcoming appointment(s). Cancel them before deleting the client.`,
			]);
		}
		for (const record of future) record.client_id = null;
		location.clients.delete(client.id);
		emit(location, 'client', 'delete', client);
		return [204, ''];
	}

	const SEARCH_FIELDS = {
		id: (client) => client.id,
		name: (client) => client.display_name || client.name,
		surname: (client) => client.surname,
		patronymic: (client) => client.patronymic,
		phone: (client) => client.phone,
		email: (client) => client.email,
		discount: (client) => client.discount,
		first_visit_date: (client) => client.first_visit_date,
		last_visit_date: (client) => client.last_visit_date,
		sold_amount: (client) => client.spent,
		visits_count: (client) => client.visits,
		tips_count: () => 0,
		deposit_balance: (client) => client.balance,
		reserved_deposit_balance: () => 0,
	};

	function searchClients(location, entry) {
		const body = readBody(entry);
		const errors = {};
		const page = body.page === undefined ? 1 : body.page;
		const size = body.page_size === undefined ? CLIENT_PAGE_SIZE.default : body.page_size;
		if (!Number.isInteger(page) || page < 1) errors.page = ['The page must be at least 1.'];
		if (!Number.isInteger(size) || size < 1 || size > CLIENT_PAGE_SIZE.max) {
			errors.page_size = [`The page size must be between 1 and ${CLIENT_PAGE_SIZE.max}.`];
		}
		const fields = body.fields === undefined ? ['id'] : body.fields;
		if (!Array.isArray(fields) || fields.some((field) => !(field in SEARCH_FIELDS))) {
			errors.fields = ['The selected fields are invalid.'];
		}
		const filters = body.filters === undefined ? [] : body.filters;
		if (
			!Array.isArray(filters) ||
			filters.some((filter) => !filter || filter.type !== 'quick_search' || !filter.state)
		) {
			// Assumption: only quick_search is modelled; any other filter is refused like a bad value.
			return [
				400,
				failure('Invalid filter value', { filters: ['Only quick_search is supported here.'] }),
			];
		}
		if (Object.keys(errors).length > 0) return invalid(errors);

		let clients = [...location.clients.values()];
		for (const filter of filters) {
			const needle = String(filter.state.value ?? '')
				.trim()
				.toLowerCase();
			const digits = digitsOf(needle);
			clients = clients.filter(
				(client) =>
					`${client.name} ${client.surname}`.toLowerCase().includes(needle) ||
					client.email.toLowerCase().includes(needle) ||
					(digits.length > 0 &&
						digits === needle.replace(/[\s()+-]/g, '') &&
						digitsOf(client.phone).includes(digits)),
			);
		}
		const key = body.order_by in SEARCH_FIELDS ? body.order_by : 'id';
		const direction = body.order_by_direction === 'DESC' ? -1 : 1;
		clients.sort((a, b) => {
			const x = SEARCH_FIELDS[key](a);
			const y = SEARCH_FIELDS[key](b);
			return (x < y ? -1 : x > y ? 1 : a.id - b.id) * direction;
		});
		const rows = clients
			.slice((page - 1) * size, page * size)
			.map((client) =>
				Object.fromEntries(
					[...new Set(['id', ...fields])].map((field) => [field, SEARCH_FIELDS[field](client)]),
				),
			);
		return [200, envelope(rows, { total_count: clients.length })];
	}

	function findRecord(location, id) {
		const record = isPositiveId(id) ? location.records.get(Number(id)) : undefined;
		return record && !record.deleted ? record : undefined;
	}

	const RECORD_NOT_FOUND = [404, failure('Appointment not found', [])];

	function getRecord(location, entry, [id]) {
		const record = findRecord(location, id);
		if (!record) return RECORD_NOT_FOUND;
		return [200, envelope(recordView(location, record))];
	}

	function busyAnswer() {
		return invalid(['The selected time is busy or non-working. Choose another time.']);
	}

	function createRecord(location, entry) {
		const body = readBody(entry);
		const checked = readRecordBody(location, body);
		if (checked.errors) return invalid(checked.errors);
		if (checked.busy) return busyAnswer();
		const record = addRecord(location, {
			id: nextRecordId++,
			services: [],
			datetime: localIso(checked.values.start, location.offset),
			create_date: changeStamp(clock, location.offset),
			last_change_date: changeStamp(clock, location.offset),
		});
		applyRecord(location, record, checked.values, body);
		record.create_date = record.last_change_date;
		const view = recordView(location, record);
		emit(location, 'record', 'create', view);
		return [201, envelope([view])];
	}

	function updateRecord(location, entry, [id]) {
		const record = findRecord(location, id);
		if (!record) return RECORD_NOT_FOUND;
		const body = readBody(entry);
		const checked = readRecordBody(location, body, record.id);
		if (checked.errors) return invalid(checked.errors);
		if (checked.busy) return busyAnswer();
		applyRecord(location, record, checked.values, body);
		const view = recordView(location, record);
		emit(location, 'record', 'update', view);
		return [201, envelope(view)];
	}

	function deleteRecord(location, entry, [id]) {
		const record = findRecord(location, id);
		if (!record) return RECORD_NOT_FOUND;
		record.deleted = true;
		record.changed = tick();
		record.last_change_date = changeStamp(record.changed, location.offset);
		emit(location, 'record', 'delete', recordView(location, record));
		return [204, ''];
	}

	function listRecords(location, entry) {
		const query = entry.query;
		const errors = {};
		const number = (key, fallback) => {
			const value = firstOf(query[key]);
			if (value === undefined || value === '') return fallback;
			if (!/^[0-9]+$/.test(value)) {
				errors[key] = [`The ${key} must be a number.`];
				return fallback;
			}
			return Number(value);
		};
		const page = Math.max(1, number('page', 1));
		const count = Math.min(
			RECORD_PAGE_SIZE.max,
			Math.max(1, number('count', RECORD_PAGE_SIZE.default)),
		);
		const staffId = number('staff_id', undefined) ?? number('team_member_id', undefined);
		const clientId = number('client_id', undefined);
		const dates = {};
		for (const key of ['start_date', 'end_date', 'c_start_date', 'c_end_date']) {
			const value = firstOf(query[key]);
			if (value === undefined || value === '') continue;
			if (!isRealDate(value)) errors[key] = [`The ${key} is not a valid date.`];
			else dates[key] = value;
		}
		const changed = {};
		// Assumption: the documented example is the location's wall time without an offset
		// (`2026-01-21T23:00:00`); the sandbox takes the less convenient reading that an offset is
		// ignored, so the time is read as the location's whatever offset came with it.
		for (const key of ['changed_after', 'changed_before']) {
			const value = firstOf(query[key]);
			if (value === undefined || value === '') continue;
			const wallTime = String(value).replace(/(Z|[+-]\d{2}:?\d{2})$/i, '');
			const ms = parseDateTime(wallTime, location.offset);
			if (ms === undefined) errors[key] = [`The ${key} is not a valid date and time.`];
			else changed[key] = ms;
		}
		if (Object.keys(errors).length > 0) return invalid(errors);
		const withDeleted = ['1', 'true'].includes(String(firstOf(query.with_deleted)));

		const records = [...location.records.values()]
			.filter((record) => withDeleted || !record.deleted)
			.filter((record) => staffId === undefined || record.staff_id === staffId)
			.filter((record) => clientId === undefined || record.client_id === clientId)
			.filter((record) => {
				const day = localIso(record.start, location.offset).slice(0, 10);
				const created = String(record.create_date).slice(0, 10);
				return (
					(!dates.start_date || day >= dates.start_date) &&
					(!dates.end_date || day <= dates.end_date) &&
					(!dates.c_start_date || created >= dates.c_start_date) &&
					(!dates.c_end_date || created <= dates.c_end_date) &&
					(changed.changed_after === undefined || record.changed >= changed.changed_after) &&
					(changed.changed_before === undefined || record.changed <= changed.changed_before)
				);
			})
			.sort((a, b) => a.start - b.start || a.id - b.id);
		const rows = records
			.slice((page - 1) * count, page * count)
			.map((record) => recordView(location, record));
		return [200, envelope(rows, { page, total_count: records.length })];
	}

	// The visit history (`POST /company/{id}/clients/visits/search`): the client's appointments,
	// newest first, 25 a page, with the other visits of the last page's date on that page too; the
	// next page is asked for with `meta.from` / `meta.to`. Past visits come from the seed (one a
	// week up to the client's last visit, as many as its `visits`) and the control `add-visits`.
	// Assumption: every body field is documented as required (null allowed) and is refused when
	// missing. The answer's `data` is not shown in the documentation: the sandbox takes the less
	// convenient reading of an object `{ records, goods_transactions }`, and a last page that still
	// carries a cursor, so that only an empty page ends the list.
	function searchVisits(location, entry) {
		const body = readBody(entry);
		const errors = {};
		for (const key of [
			'client_id',
			'client_phone',
			'from',
			'to',
			'payment_statuses',
			'attendance',
		]) {
			if (!(key in body)) errors[key] = [`The ${key} field is required.`];
		}
		if ('payment_statuses' in body && !Array.isArray(body.payment_statuses)) {
			errors.payment_statuses = ['The payment statuses must be an array.'];
		}
		for (const key of ['from', 'to']) {
			if (body[key] !== null && body[key] !== undefined && !isRealDate(body[key]))
				errors[key] = [`The ${key} is not a valid date.`];
		}
		if (
			body.attendance !== null &&
			body.attendance !== undefined &&
			![-1, 0, 1, 2].includes(body.attendance)
		) {
			errors.attendance = ['The selected attendance is invalid.'];
		}
		if (body.client_id === null && body.client_phone === null) {
			errors.client_id = ['The client id or the client phone is required.'];
		}
		if (Object.keys(errors).length > 0) return invalid(errors);
		const client =
			body.client_id !== null
				? findClient(location, body.client_id)
				: [...location.clients.values()].find(
						(item) => digitsOf(item.phone) === digitsOf(body.client_phone),
					);
		if (!client) return [404, failure('Client not found')];

		const dayOf = (record) => localIso(record.start, location.offset).slice(0, 10);
		const visits = [...visitHistory(location, client.id), ...location.records.values()]
			.filter((record) => !record.deleted && record.client_id === client.id)
			.filter((record) => body.attendance === null || record.attendance === body.attendance)
			.filter(
				(record) =>
					(body.from === null || dayOf(record) >= body.from) &&
					(body.to === null || dayOf(record) <= body.to),
			)
			.sort((a, b) => b.start - a.start || b.id - a.id);
		let size = Math.min(VISIT_PAGE_SIZE, visits.length);
		while (size > 0 && size < visits.length && dayOf(visits[size]) === dayOf(visits[size - 1]))
			size++;
		const page = visits.slice(0, size);
		const last = page[page.length - 1];
		const before = last
			? new Date(Date.parse(`${dayOf(last)}T00:00:00Z`) - 86400000).toISOString().slice(0, 10)
			: null;
		return [
			200,
			envelope(
				{ records: page.map((record) => recordView(location, record)), goods_transactions: [] },
				last ? { from: body.from, to: before } : { from: null, to: null },
			),
		];
	}

	/** The seeded past visits of a client, made once. */
	function visitHistory(location, clientId) {
		location.visits ??= new Map();
		if (!location.visits.has(clientId)) {
			const client = location.clients.get(clientId);
			const list = [];
			const staff = location.staff.find((member) => !member.fired);
			const service = location.services[0];
			const lastVisit =
				client && client.last_visit_date
					? Date.parse(`${client.last_visit_date}T15:00:00Z`)
					: undefined;
			const known = [...location.records.values()].filter(
				(record) => record.client_id === clientId,
			).length;
			for (let i = 1; lastVisit && staff && service && i <= (client.visits || 0) - known; i++) {
				list.push(
					pastVisit(location, clientId, lastVisit - i * 7 * 86400000, i % 5 === 0 ? -1 : 1),
				);
			}
			location.visits.set(clientId, list);
		}
		return location.visits.get(clientId);
	}

	function pastVisit(location, clientId, start, attendance) {
		const staff = location.staff.find((member) => !member.fired);
		const stamp = changeStamp(start, location.offset);
		return {
			id: nextVisitId++,
			company_id: location.id,
			staff_id: staff.id,
			client_id: clientId,
			service_ids: [location.services[0].id],
			amounts: {},
			technical_break_duration: null,
			start,
			seance_length: 3600,
			comment: '',
			attendance,
			api_id: '',
			custom_color: '',
			sms_remain_hours: null,
			email_remain_hours: null,
			create_date: stamp,
			last_change_date: stamp,
			changed: start,
			deleted: false,
		};
	}

	function listServices(location, entry, [id]) {
		const staffId = firstOf(entry.query.staff_id);
		const categoryId = firstOf(entry.query.category_id);
		if (id !== undefined) {
			const service = location.services.find((item) => String(item.id) === id);
			if (!service) return [404, failure('Service not found', [])];
			return [200, envelope(service)];
		}
		const services = location.services.filter(
			(service) =>
				(!staffId || (service.staff || []).some((link) => String(link.id) === staffId)) &&
				(!categoryId || String(service.category_id) === categoryId),
		);
		return [200, envelope(services, { total_count: services.length })];
	}

	function listStaff(location, entry, [id]) {
		if (id !== undefined) {
			const member = location.staff.find((item) => String(item.id) === id);
			if (!member) {
				return [
					404,
					failure('Not found', [
						`Team Member with ID ${id} was not found in branch ${location.id}.`,
					]),
				];
			}
			return [200, envelope(member)];
		}
		return [200, envelope(location.staff, { total_count: location.staff.length })];
	}

	/** The location as `GET /company/{id}` describes it: its time zone among other things. */
	function getCompany(location) {
		// A location with an IANA zone gives it by name and its offset now; one with a fixed offset
		// gives the IANA zone Etc/GMT±h that keeps it all year (its sign inverted).
		const offset =
			typeof location.offset === 'string'
				? location.offset
				: location.offset.offsetAt(sandboxClock ? sandboxClock.now() : Date.now());
		const hours =
			(Number(offset.slice(1, 3)) + Number(offset.slice(4)) / 60) * (offset[0] === '-' ? -1 : 1);
		const name =
			typeof location.offset === 'string'
				? hours === 0
					? 'Etc/UTC'
					: `Etc/GMT${hours > 0 ? '-' : '+'}${Math.abs(hours)}`
				: location.offset.name;
		return [
			200,
			envelope({
				id: location.id,
				title: location.title,
				public_title: location.title,
				business_group_id: location.chainId,
				timezone: hours,
				timezone_name: name,
				active: 1,
			}),
		];
	}

	// The documented response is a bare card object without the envelope (one card: the object;
	// several: assumption, a bare list of them).
	// Assumption: for a phone with no card the API's answer is not documented; the sandbox takes the
	// less convenient reading of a 404 "Client not found", not an empty list.
	function loyaltyCardsByPhone(location, entry, [rawPhone, chainId]) {
		let phone;
		try {
			phone = decodeURIComponent(rawPhone);
		} catch {
			phone = rawPhone;
		}
		if (phoneDigits(phone) === undefined) {
			return invalid({ phone: ['The phone format is invalid.'] });
		}
		if (String(location.chainId) !== chainId) {
			return [404, failure(`Location ${location.id} is not in chain ${chainId}.`, [])];
		}
		const cards = loyaltyCards
			.filter(
				(entry) =>
					entry.phone === digitsOf(phone) &&
					entry.chainId === location.chainId &&
					entry.locationIds.includes(location.id),
			)
			.map((entry) => entry.card);
		if (cards.length === 0) return [404, failure('Client not found')];
		return [200, JSON.stringify(cards.length === 1 ? cards[0] : cards)];
	}

	// Assumption: a team member works the location's hours every day, and online booking offers
	// every start on the location's slot grid where the services fit before closing and overlap no
	// appointment of that member.
	function bookTimes(location, entry, [staffId, date]) {
		if (!isRealDate(date)) return [404, failure('Not found', [])];
		const wanted = listOf(entry.query, 'service_ids').map(Number);
		const members =
			staffId === '0'
				? location.staff.filter((member) => !member.fired && !member.hidden)
				: location.staff.filter((member) => String(member.id) === staffId && !member.fired);
		if (members.length === 0) {
			return [
				404,
				failure(`Team Member with ID ${staffId} was not found in branch ${location.id}.`, []),
			];
		}
		const unknown = wanted.filter((id) => !location.services.some((service) => service.id === id));
		if (unknown.length > 0) return [404, failure(`Service not found: ${unknown.join(', ')}.`, [])];

		const [open, close] = location.workingHours.map((time) =>
			parseDateTime(`${date}T${time}`, location.offset),
		);
		const slots = new Map();
		for (const member of members) {
			const lengths = wanted.map(
				(id) =>
					(location.services.find((service) => service.id === id).staff || []).find(
						(link) => link.id === member.id,
					)?.seance_length,
			);
			if (lengths.some((length) => length === undefined)) continue;
			const length = lengths.reduce((sum, value) => sum + value, 0) || location.slotMinutes * 60;
			for (
				let start = open;
				start + length * 1000 <= close;
				start += location.slotMinutes * 60000
			) {
				const busy = [...location.records.values()].some(
					(record) =>
						!record.deleted &&
						record.staff_id === member.id &&
						record.start < start + length * 1000 &&
						start < record.start + record.seance_length * 1000,
				);
				if (busy || slots.has(start)) continue;
				const datetime = localIso(start, location.offset);
				slots.set(start, {
					time: datetime.slice(11, 16),
					seance_length: length,
					sum_length: length,
					datetime,
				});
			}
		}
		const data = [...slots.entries()].sort(([a], [b]) => a - b).map(([, slot]) => slot);
		return [200, envelope(data)];
	}

	// `GET /schedule/{id}/{team_member_id}/{start_date}/{end_date}`: a team member's working hours
	// per day. A team member works the location's hours every day (as `book_times` assumes) unless
	// the control `schedule` has set other hours or a day off for a date.
	// Assumption: the documentation does not show the answer. The sandbox takes the shape public
	// integrations show, `[{ date, is_working, slots: [{ from, to }] }]`, in its less convenient
	// reading: `is_working` is 0/1 and a day off is left out of the list, not given with no slots.
	function teamMemberSchedule(location, entry, [staffId, from, to]) {
		const member = location.staff.find((item) => String(item.id) === staffId);
		if (!member) {
			return [
				404,
				failure(`Team Member with ID ${staffId} was not found in branch ${location.id}.`, []),
			];
		}
		if (!isRealDate(from) || !isRealDate(to) || to < from) {
			return invalid({
				start_date: ['The start date and end date must be dates as YYYY-MM-DD, start first.'],
			});
		}
		location.schedules ??= new Map();
		const days = [];
		for (
			let day = Date.parse(`${from}T00:00:00Z`);
			day <= Date.parse(`${to}T00:00:00Z`);
			day += 86400000
		) {
			const date = new Date(day).toISOString().slice(0, 10);
			const slots = location.schedules.get(`${member.id}/${date}`) ?? [
				{ from: location.workingHours[0], to: location.workingHours[1] },
			];
			if (slots.length > 0) days.push({ date, is_working: 1, slots });
		}
		return [200, envelope(days)];
	}

	// Finance transactions: one payment for each past appointment the client came to (linked by
	// `record_id`), and the takings of each day from two weeks before the seed's today to two weeks after
	// it (three payments a day from the seed clients, by card and in cash), so that "yesterday" has
	// takings whatever day the sandbox starts on.
	function seedTransactions(location) {
		location.transactions = [];
		const staff = location.staff.find((member) => !member.fired);
		const clients = [...location.clients.values()].slice(0, 3);
		if (!staff || location.services.length === 0 || clients.length === 0) return;
		const priceOf = (ids) =>
			ids.reduce(
				(sum, id) => sum + (location.services.find((item) => item.id === id)?.price_min ?? 0),
				0,
			);
		for (const record of location.records.values()) {
			if (record.start >= clock || record.attendance !== 1 || !record.client_id) continue;
			addTransaction(location, {
				date: localIso(record.start + record.seance_length * 1000, location.offset),
				account: ACCOUNTS[1],
				amount: priceOf(record.service_ids),
				client_id: record.client_id,
				master_id: record.staff_id,
				record_id: record.id,
			});
		}
		const today = Date.parse(`${localIso(clock, location.offset).slice(0, 10)}T00:00:00Z`);
		for (let day = -14; day <= 14; day++) {
			clients.forEach((client, i) => {
				const service = location.services[i % location.services.length];
				addTransaction(location, {
					date: `${new Date(today + day * 86400000).toISOString().slice(0, 10)}T${11 + 2 * i}:00:00`,
					account: ACCOUNTS[i % 2 === 0 ? 1 : 0],
					amount: service.price_min,
					client_id: client.id,
					master_id: staff.id,
					record_id: 0,
				});
			});
		}
	}

	function addTransaction(location, { date, account, amount, client_id, master_id, record_id }) {
		const client = location.clients.get(client_id);
		const master = location.staff.find((member) => member.id === master_id);
		location.transactions.push({
			id: nextTransactionId++,
			document_id: 0,
			date: date.slice(0, 19).replace('T', ' '),
			type_id: 0,
			expense_id: SERVICE_INCOME.id,
			account_id: account.id,
			amount,
			client_id,
			master_id,
			supplier_id: 0,
			comment: '',
			item_id: 0,
			target_type_id: 0,
			record_id,
			goods_transaction_id: 0,
			expense: { ...SERVICE_INCOME },
			account: { ...account },
			client: client ? { id: client.id, name: client.name, phone: client.phone } : [],
			master: master ? { id: master.id, name: master.name } : [],
			supplier: [],
		});
	}

	// `GET /transactions/{id}?page&count&account_id&client_id&master_id&start_date&end_date…`: the
	// location's transactions, newest first, `meta: []`. The dates are documented as `YYYY-MM-DD`
	// (one example writes `20251201`); any other form is refused, the less convenient reading.
	function listTransactions(location, entry) {
		const query = entry.query;
		const errors = {};
		for (const key of ['start_date', 'end_date']) {
			const value = firstOf(query[key]);
			if (value !== undefined && value !== '' && !isRealDate(value))
				errors[key] = [`The ${key.replace('_', ' ')} does not match the format Y-m-d.`];
		}
		for (const key of ['page', 'count', 'client_id', 'master_id', 'account_id']) {
			const value = firstOf(query[key]);
			if (value !== undefined && value !== '' && !/^\d+$/.test(String(value)))
				errors[key] = [`The ${key.replace('_', ' ')} must be an integer.`];
		}
		if (Object.keys(errors).length > 0) return invalid(errors);
		const number = (key) => {
			const value = firstOf(query[key]);
			return value === undefined || value === '' ? undefined : Number(value);
		};
		const from = firstOf(query.start_date);
		const to = firstOf(query.end_date);
		const rows = location.transactions
			.filter((row) => !number('client_id') || row.client_id === number('client_id'))
			.filter((row) => !number('master_id') || row.master_id === number('master_id'))
			.filter((row) => !number('account_id') || row.account_id === number('account_id'))
			.filter((row) => !from || row.date.slice(0, 10) >= from)
			.filter((row) => !to || row.date.slice(0, 10) <= to)
			.sort((a, b) => b.date.localeCompare(a.date) || b.id - a.id);
		const page = Math.max(1, number('page') ?? 1);
		const count = Math.min(
			Math.max(1, number('count') ?? TRANSACTION_PAGE_SIZE.default),
			TRANSACTION_PAGE_SIZE.max,
		);
		return [200, envelope(rows.slice((page - 1) * count, page * count))];
	}

	// `GET /timetable/transactions/{id}?record_id=&visit_id=`: the transactions of one appointment
	// (record) or visit. Assumption: one of the two is required.
	function transactionsOfRecord(location, entry) {
		const recordId = firstOf(entry.query.record_id);
		const visitId = firstOf(entry.query.visit_id);
		if (!isPositiveId(recordId) && !isPositiveId(visitId)) {
			return invalid({ record_id: ['The record id or the visit id is required.'] });
		}
		const rows = location.transactions.filter(
			(row) => isPositiveId(recordId) && row.record_id === Number(recordId),
		);
		return [200, envelope(rows)];
	}

	function outsideWorkingHours(location, start, end) {
		const day = localIso(start, location.offset).slice(0, 10);
		const [open, close] = location.workingHours.map((time) =>
			parseDateTime(`${day}T${time}`, location.offset),
		);
		return start < open || end > close;
	}

	// `GET /book_dates/{id}?service_ids[]=&staff_id=&date_from=&date_to=`: the days in the range with
	// at least one start `book_times` would offer. Assumption: `date_from` without `date_to` (or the
	// other way round) is refused, and `date` (a month) is not modelled.
	function bookDates(location, entry) {
		const from = firstOf(entry.query.date_from);
		const to = firstOf(entry.query.date_to);
		if (!isRealDate(from) || !isRealDate(to) || to < from) {
			return invalid({ date_from: ['The date from and date to must be dates, from before to.'] });
		}
		const staffId = String(firstOf(entry.query.staff_id) ?? '0');
		const bookingDates = [];
		const workingDates = [];
		for (
			let day = Date.parse(`${from}T00:00:00Z`);
			day <= Date.parse(`${to}T00:00:00Z`);
			day += 86400000
		) {
			const date = new Date(day).toISOString().slice(0, 10);
			const [status, text] = bookTimes(location, entry, [staffId, date]);
			if (status !== 200) return [status, text];
			workingDates.push(date);
			if (JSON.parse(text).data.length > 0) bookingDates.push(date);
		}
		const days = (dates) => {
			const byMonth = {};
			for (const date of dates)
				(byMonth[Number(date.slice(5, 7))] ??= []).push(Number(date.slice(8)));
			return byMonth;
		};
		return [
			200,
			envelope({
				booking_days: days(bookingDates),
				booking_dates: bookingDates,
				working_days: days(workingDates),
				working_dates: workingDates,
			}),
		];
	}

	function control(method, name, body) {
		// Adds past visits to a client's history: `{ locationId, clientId, dates: ['2026-10-01', …],
		// attendance? }`, each at 15:00 UTC.
		if (name === 'add-visits' && method === 'POST') {
			const location = locations.get(String(body && body.locationId));
			if (!location || !location.clients.has(Number(body.clientId)))
				return [404, { ok: false, error: 'unknown location or client' }];
			const list = visitHistory(location, Number(body.clientId));
			for (const date of body.dates || []) {
				list.push(
					pastVisit(
						location,
						Number(body.clientId),
						Date.parse(`${date}T15:00:00Z`),
						body.attendance ?? 1,
					),
				);
			}
			return [200, { ok: true }];
		}
		// Sets a team member's hours on dates: `{ locationId, teamMemberId, dates: [...], slots:
		// [{ from, to }] }`; no slots makes the dates days off.
		if (name === 'schedule' && method === 'POST') {
			const location = locations.get(String(body && body.locationId));
			if (!location || !location.staff.some((item) => item.id === Number(body.teamMemberId)))
				return [404, { ok: false, error: 'unknown location or team member' }];
			location.schedules ??= new Map();
			for (const date of body.dates || []) {
				location.schedules.set(
					`${Number(body.teamMemberId)}/${date}`,
					structuredClone(body.slots || []),
				);
			}
			return [200, { ok: true }];
		}
		if (name === 'client-delete' && method === 'POST') {
			deleteWithFuture = body && body.future === 'delete' ? 'delete' : 'refuse';
			return [200, { ok: true }];
		}
		// Refuses appointments outside the location's working hours unless `save_if_busy` is on.
		if (name === 'working-hours' && method === 'POST') {
			const location = locations.get(String(body && body.locationId));
			if (!location) return [404, { ok: false, error: 'unknown location' }];
			location.checkWorkingHours = body.check !== false;
			return [200, { ok: true }];
		}
		// Serves the location's appointments as a user without the right to see client phones.
		if (name === 'mask-phones' && method === 'POST') {
			const location = locations.get(String(body && body.locationId));
			if (!location) return [404, { ok: false, error: 'unknown location' }];
			location.maskPhones = body.masked !== false;
			return [200, { ok: true }];
		}
		if (name === 'locations' && method === 'GET') {
			return [
				200,
				Object.fromEntries(
					[...locations.values()].map((location) => [
						location.id,
						{
							clients: [...location.clients.values()].length,
							records: [...location.records.values()].filter((record) => !record.deleted).length,
						},
					]),
				),
			];
		}
		return undefined;
	}

	// The seed's dates as this sandbox serves them (moved to `today`'s week).
	const seedDate = (text) => shiftDate(text, shiftDays);
	return { route, control, seedDate };
}

module.exports = {
	create,
	SEED_TODAY,
	seedDate: (text, today) => shiftDate(text, 7 * weeksToToday(today)),
};
