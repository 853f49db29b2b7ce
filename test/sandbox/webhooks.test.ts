import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

import { startSandbox } from '../../sandbox/index.js';
import type { Sandbox, SandboxWebhooks } from '../../sandbox/index.js';
import defaultSeed from '../../sandbox/seed.json';

const LOCATION = 38726;

/** A state change at the location, as the sandbox's routes announce it. */
const change = (resource: string, resourceId: number, status: string, data: object = {}) => ({
	locationId: LOCATION,
	resource,
	resourceId,
	status,
	data,
});

/** The body Altegio posts to a webhook URL for a change at the location. */
const delivery = (resource: string, resource_id: number, status: string, data: object) => ({
	company_id: LOCATION,
	resource,
	resource_id,
	status,
	data,
});

/** A receiver that answers each delivery with the next status of `statuses` (then 200). */
async function receiver(statuses: number[] = []) {
	const received: Array<{ path: string; body: string; contentType?: string }> = [];
	const server = http.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({
				path: req.url ?? '',
				body: Buffer.concat(chunks).toString('utf8'),
				contentType: req.headers['content-type'],
			});
			res.writeHead(statuses.shift() ?? 200).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return { url, received, close: async () => await new Promise((r) => server.close(r)) };
}

/** The flags an older backend shows, all off. */
const shownOff = () =>
	Object.fromEntries(
		[
			'salon',
			'service_category',
			'service',
			'master',
			'client',
			'record',
			'goods_operations_sale',
			'goods_operations_receipt',
			'goods_operations_consumable',
			'goods_operations_stolen',
			'goods_operations_move',
			'finances_operation',
			'loyalty_card',
		].map((flag) => [flag, 0]),
	);

describe('sandbox webhooks: /hooks_settings and deliveries', () => {
	let sb: Sandbox;
	let auth: string;
	let hooks: SandboxWebhooks;
	let sink: Awaited<ReturnType<typeof receiver>>;

	const getSettings = async (location: number | string = LOCATION, authorization = auth) => {
		const res = await fetch(`${sb.apiUrl}/hooks_settings/${location}`, {
			headers: { Authorization: authorization },
		});
		return { status: res.status, body: (await res.json()) as any };
	};
	const postSettings = async (body: unknown, location: number | string = LOCATION) => {
		const res = await fetch(`${sb.apiUrl}/hooks_settings/${location}`, {
			method: 'POST',
			headers: { Authorization: auth, 'Content-Type': 'application/json' },
			body: JSON.stringify(body),
		});
		return { status: res.status, body: (await res.json()) as any };
	};
	const control = async (name: string, body?: unknown, method = 'POST') => {
		const res = await fetch(`${sb.url}/__sandbox/${name}`, {
			method,
			headers: { 'Content-Type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		return { status: res.status, body: (await res.json()) as any };
	};

	/** Announces a change as a write through the API does; `extra` adds fields such as `own`. */
	const emitChange = (
		resource: string,
		resourceId: number,
		status: string,
		data: object = {},
		extra: object = {},
	) => sb.events.emit('change', { ...change(resource, resourceId, status, data), ...extra });

	beforeEach(async () => {
		sb = (await startSandbox({
			rateLimit: false,
			seed: { ...defaultSeed, webhooks: { delayMs: 20, retryDelayMs: 60 } },
		})) as Sandbox;
		auth = `Bearer ${sb.seed.partnerToken}, User ${sb.seed.userToken}`;
		hooks = sb.modules.webhooks;
		sink = await receiver();
	});
	afterEach(async () => {
		await sb.close();
		await sink.close();
	});

	test('a location starts with no URL and sending off; a foreign token gets 401, a foreign location 404', async () => {
		const { status, body } = await getSettings();
		expect(status).toBe(200);
		expect(body.data).toMatchObject({
			urls: [],
			active: 0,
			record: 0,
			client: 0,
			url_settings: [],
		});
		expect((await getSettings(LOCATION, `Bearer ${sb.seed.partnerToken}, User wrong`)).status).toBe(
			401,
		);
		expect((await getSettings(1)).status).toBe(404);
	});

	test('a POST replaces every URL and flag of the location, and GET shows one row per URL', async () => {
		await postSettings({
			urls: ['https://a.example/1', 'https://b.example/2'],
			active: 1,
			record: 1,
			client: 1,
		});
		const written = await postSettings({ urls: ['https://b.example/2'], active: 1, client: 1 });
		expect(written.status).toBe(201);
		expect(written.body.data).toMatchObject({
			urls: ['https://b.example/2'],
			active: 1,
			client: 1,
			record: 0,
		});
		const { body } = await getSettings();
		expect(body.data.urls).toEqual(['https://b.example/2']);
		expect(body.data.record).toBe(0);
		expect(body.data.url_settings).toEqual([
			expect.objectContaining({ url: 'https://b.example/2', active: 1, client: 1, record: 0 }),
		]);
	});

	test('an older backend`s GET lacks url_settings, good, schedule and self_sending; YCLIENTS` lacks url_settings, schedule, loyalty_card and self_sending', async () => {
		const all = { urls: ['https://a.example/1'], active: 1, record: 1, good: 1, schedule: 1 };
		await postSettings({ ...all, loyalty_card: 1, self_sending: 1 });
		const shown = (data: Record<string, unknown>) =>
			['url_settings', 'good', 'schedule', 'loyalty_card', 'self_sending', 'record'].filter(
				(key) => key in data,
			);

		expect(shown((await getSettings()).body.data)).toEqual([
			'url_settings',
			'good',
			'schedule',
			'loyalty_card',
			'self_sending',
			'record',
		]);
		hooks.config.shape = 'older';
		expect(shown((await getSettings()).body.data)).toEqual(['loyalty_card', 'record']);
		hooks.config.shape = 'yclients';
		expect(shown((await getSettings()).body.data)).toEqual(['good', 'record']);
		expect((await control('webhooks-config', { shape: 'older' })).body.shape).toBe('older');
	});

	test('a POST that leaves out a flag the GET hides keeps it; one it shows is switched off', async () => {
		await postSettings({
			urls: ['https://a.example/1'],
			active: 1,
			record: 1,
			good: 1,
			self_sending: 1,
		});
		hooks.config.shape = 'older';
		const written = await postSettings({ urls: ['https://a.example/1'], active: 1 });
		expect(written.status).toBe(201);
		expect(written.body.data).toEqual({ urls: ['https://a.example/1'], active: 1, ...shownOff() });
		expect(hooks.settings(LOCATION)).toMatchObject({ record: 0, good: 1, self_sending: 1 });
		await postSettings({ urls: ['https://a.example/1'], active: 1, self_sending: 0 });
		expect(hooks.settings(LOCATION)).toMatchObject({ good: 1, self_sending: 0 });
	});

	test('more than 10 URLs, no URL or no `active` is refused with 422 and changes nothing', async () => {
		const ten = Array.from({ length: 10 }, (_, i) => `https://hooks.example/${i}`);
		expect((await postSettings({ urls: ten, active: 1, record: 1 })).status).toBe(201);
		const eleven = await postSettings({ urls: [...ten, 'https://hooks.example/10'], active: 1 });
		expect(eleven.status).toBe(422);
		expect(eleven.body.meta.errors.urls).toEqual(['The urls may not have more than 10 items.']);
		expect((await postSettings({ urls: [], active: 0 })).status).toBe(422);
		expect((await postSettings({ urls: ['https://x.example'] })).status).toBe(422);
		expect((await getSettings()).body.data).toMatchObject({ urls: ten, record: 1 });
	});

	test('a change reaches, after the delay, every URL of the location whose flags ask for it', async () => {
		await postSettings({
			urls: [`${sink.url}/one?secret=s1`, `${sink.url}/two`],
			active: 1,
			record: 1,
			self_sending: 1,
		});
		await postSettings(
			{ urls: [`${sink.url}/other-location`], active: 1, client: 1, self_sending: 1 },
			39287,
		);
		const data = { id: 7, company_id: LOCATION, last_change_date: '2026-01-16T20:35:15-0500' };
		emitChange('record', 7, 'create', data);
		emitChange('client', 3, 'update');
		await hooks.whenIdle();
		const envelope = delivery('record', 7, 'create', data);
		expect(sink.received.map((r) => [r.path, JSON.parse(r.body), r.contentType]).sort()).toEqual([
			['/one?secret=s1', envelope, 'application/json'],
			['/two', envelope, 'application/json'],
		]);
		expect(hooks.deliveries.every((d) => d.at > 0 && d.attempt === 1 && d.status === 200)).toBe(
			true,
		);
	});

	test('sending off, or the API partner`s own change without self_sending, delivers nothing', async () => {
		await postSettings({ urls: [`${sink.url}/a`], active: 0, record: 1, self_sending: 1 });
		emitChange('record', 1, 'create');
		await postSettings({ urls: [`${sink.url}/a`], active: 1, record: 1, self_sending: 0 });
		emitChange('record', 2, 'create');
		await hooks.whenIdle();
		expect(sink.received).toEqual([]);
		emitChange('record', 3, 'create', {}, { own: false });
		await hooks.whenIdle();
		expect(sink.received.map((r) => JSON.parse(r.body).resource_id)).toEqual([3]);
	});

	test('a 5xx, a 429 or a lost connection is retried twice; another 4xx is not retried', async () => {
		await sink.close();
		sink = await receiver([500, 429, 500, 400]);
		await postSettings({ urls: [`${sink.url}/a`], active: 1, client: 1, self_sending: 1 });
		emitChange('client', 1, 'update');
		await hooks.whenIdle();
		expect(hooks.deliveries.map((d) => [d.attempt, d.status])).toEqual([
			[1, 500],
			[2, 429],
			[3, 500],
		]);
		expect(hooks.deliveries[1].at - hooks.deliveries[0].at).toBeGreaterThanOrEqual(55);
		hooks.deliveries.length = 0;
		emitChange('client', 2, 'update');
		await hooks.whenIdle();
		expect(hooks.deliveries.map((d) => [d.attempt, d.status])).toEqual([[1, 400]]);

		hooks.deliveries.length = 0;
		await postSettings({
			urls: ['http://127.0.0.1:1/closed'],
			active: 1,
			client: 1,
			self_sending: 1,
		});
		emitChange('client', 3, 'update');
		await hooks.whenIdle();
		expect(hooks.deliveries.map((d) => [d.attempt, d.error])).toEqual([
			[1, 'ECONNREFUSED'],
			[2, 'ECONNREFUSED'],
			[3, 'ECONNREFUSED'],
		]);
	});

	test('the control route sends duplicates, malformed bodies and deliveries to one URL', async () => {
		await postSettings({ urls: [`${sink.url}/a?secret=s`, `${sink.url}/b`], active: 1, record: 1 });
		const event = change('appointment', 9, 'update', { id: 9 });
		expect(await control('deliver', { ...event, times: 2 })).toEqual({
			status: 200,
			body: { ok: true, queued: 4 },
		});
		await control('deliver', {
			url: `${sink.url}/a`,
			raw: '{"company_id": 1, ',
			contentType: 'text/plain',
		});
		expect((await control('deliver', { times: 2 })).status).toBe(400);
		await hooks.whenIdle();
		const record = delivery('record', 9, 'update', { id: 9 });
		const seen = sink.received.map((r) => `${r.path} ${r.contentType} ${r.body}`).sort();
		expect(seen).toEqual(
			[
				`/a text/plain {"company_id": 1, `,
				`/a?secret=s application/json ${JSON.stringify(record)}`,
				`/a?secret=s application/json ${JSON.stringify(record)}`,
				`/b application/json ${JSON.stringify(record)}`,
				`/b application/json ${JSON.stringify(record)}`,
			].sort(),
		);
		expect((await control('deliveries', undefined, 'GET')).body).toHaveLength(5);
		expect((await control('hooks-settings/38726', undefined, 'GET')).body.urls).toHaveLength(2);
	});

	test('the change control route stands in for a state change made through the API', async () => {
		await postSettings({ urls: [`${sink.url}/a`], active: 1, record: 1, self_sending: 1 });
		expect((await control('change', change('record', 4, 'create', { id: 4 }))).status).toBe(200);
		await hooks.whenIdle();
		expect(sink.received.map((r) => JSON.parse(r.body))).toEqual([
			delivery('record', 4, 'create', { id: 4 }),
		]);
	});

	test('close() stops deliveries that are still waiting', async () => {
		await postSettings({ urls: [`${sink.url}/a`], active: 1, record: 1, self_sending: 1 });
		sb.modules.webhooks.deliveries.length = 0;
		await control('webhooks-config', { delayMs: 200 });
		emitChange('record', 1, 'create');
		await sb.close();
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(sink.received).toEqual([]);
	});
});
