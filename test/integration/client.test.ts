import nock from 'nock';
import type { IDataObject } from 'n8n-workflow';

import { runAltegio } from '../helpers/engine';

import {
	ACCEPT,
	AUTHORIZATION,
	locationId,
	paired,
	requestsOf,
	resourceRunner,
	seeded,
	sent,
} from '../helpers/locations';
import { expectNoSecrets } from '../helpers/fakeExecuteFunctions';
import { sandboxCredentials, secretsOf, useSandbox } from '../helpers/sandbox';
import lookupItems from '../fixtures/locations/olivia-lookup-items.json';

const sandbox = useSandbox({ rateLimit: false });
const run = resourceRunner('client', sandbox);

/** A PUT straight to the sandbox with the sandbox credential, to set up a card. */
async function putDirectly(path: string, body: IDataObject) {
	const response = await fetch(`${sandbox().apiUrl}${path}`, {
		method: 'PUT',
		headers: { Authorization: AUTHORIZATION, Accept: ACCEPT, 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	expect(response.status).toBe(200);
}

const STAMP = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}-0500$/);

describe('Client → Get in the n8n engine', () => {
	test('reads the card with one exact request and pairs it with its item', async () => {
		const result = await run({
			operation: 'get',
			locationId: locationId('38726'),
			clientId: '4240880',
		});

		expect(result.status).toBe('success');
		expect(result.outputs[0]).toEqual([paired(0)(seeded('38726', 'clients', 4240880))]);
		expect(requestsOf(sandbox())).toEqual([sent('GET', '/client/38726/4240880')]);
	});

	test('takes id and company_id of Get Chain Client by Phone items by expression, unchanged', async () => {
		const result = await run(
			{
				operation: 'get',
				locationId: locationId('={{ $json.company_id }}'),
				clientId: '={{ $json.id }}',
			},
			lookupItems,
		);

		expect(result.outputs[0]).toEqual([
			paired(0)(seeded('38726', 'clients', 4240880)),
			paired(1)(seeded('39287', 'clients', 4243272)),
		]);
		expect(
			requestsOf(sandbox())
				.map((request) => request.path)
				.sort(),
		).toEqual(['/api/v1/client/38726/4240880', '/api/v1/client/39287/4243272']);
	});

	test('an unknown client fails its item with the API message; the error output keeps the others', async () => {
		const result = await run(
			{ operation: 'get', locationId: locationId('38726'), clientId: '={{ $json.id }}' },
			[{ id: 4240880 }, { id: 999 }, { id: 'Olivia' }],
			'continueErrorOutput',
		);

		expect(result.outputs[0]).toEqual([paired(0)(seeded('38726', 'clients', 4240880))]);
		expect(result.outputs[1].map((item) => [item.json.error, item.pairedItem])).toEqual([
			['Client not found [item 1]', { item: 1 }],
			['The client ID "Olivia" is not a positive whole number [item 2]', { item: 2 }],
		]);
		expect(requestsOf(sandbox())).toHaveLength(2);
	});

	test('a location whose licence has run out gives the API’s 402 message', async () => {
		const result = await run({ operation: 'get', locationId: locationId('38705'), clientId: '1' });

		expect(result.status).toBe('error');
		expect(result.error).toMatchObject({
			message: 'It is necessary to renew the license in the branch with id: 38705 [item 0]',
			httpCode: '402',
		});
	});
});

const searchBody = (page: number, pageSize: number, extra: object = {}) => ({
	page,
	page_size: pageSize,
	fields: [
		'id',
		'name',
		'phone',
		'email',
		'discount',
		'first_visit_date',
		'last_visit_date',
		'sold_amount',
		'visits_count',
	],
	order_by: 'id',
	order_by_direction: 'ASC',
	...extra,
});

describe('Client → Get Many in the n8n engine', () => {
	test('Search becomes quick_search, and each matching client is one paired item', async () => {
		const result = await run({
			operation: 'getAll',
			locationId: locationId('38726'),
			returnAll: true,
			filters: { search: 'olivia' },
		});

		expect(result.outputs[0]).toEqual([
			paired(0)({
				id: 4240880,
				name: 'Olivia Brown',
				phone: '+14264037640',
				email: 'olivia@example.com',
				discount: 0,
				first_visit_date: '2025-03-14',
				last_visit_date: '2026-11-20',
				sold_amount: 615,
				visits_count: 7,
			}),
		]);
		expect(requestsOf(sandbox())).toEqual([
			sent('POST', '/company/38726/clients/search', {
				body: searchBody(1, 200, {
					filters: [{ type: 'quick_search', state: { value: 'olivia' } }],
				}),
			}),
		]);
	});

	test('Return All reads 452 clients in three pages of 200, the most the API allows', async () => {
		const result = await run({
			operation: 'getAll',
			locationId: locationId('39287'),
			returnAll: true,
		});

		const ids = result.outputs[0].map((item) => item.json.id);
		expect(ids).toHaveLength(452);
		expect(new Set(ids).size).toBe(452);
		expect(
			result.outputs[0].every(
				(item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0,
			),
		).toBe(true);
		expect(requestsOf(sandbox()).map((request) => request.body)).toEqual([
			searchBody(1, 200),
			searchBody(2, 200),
			searchBody(3, 200),
		]);
	});

	test('Limit asks for no more than it needs and stops as soon as it has enough', async () => {
		const small = await run({ operation: 'getAll', locationId: locationId('39287'), limit: 5 });
		expect(small.outputs[0]).toHaveLength(5);
		expect(requestsOf(sandbox()).map((request) => request.body)).toEqual([searchBody(1, 5)]);

		sandbox().clearRequests();
		const large = await run({ operation: 'getAll', locationId: locationId('39287'), limit: 250 });
		expect(large.outputs[0]).toHaveLength(250);
		expect(requestsOf(sandbox()).map((request) => request.body)).toEqual([
			searchBody(1, 200),
			searchBody(2, 200),
		]);
	});
});

describe('Client → Create in the n8n engine', () => {
	test('sends name, the phone as digits and the added fields; the item is the created card', async () => {
		const changes: unknown[] = [];
		(sandbox() as unknown as { events: NodeJS.EventEmitter }).events.on('change', (change) =>
			changes.push(change),
		);
		const result = await run({
			operation: 'create',
			locationId: locationId('38726'),
			name: 'Zoe',
			phone: '+1 (212) 555-01-99',
			additionalFields: {
				surname: 'Clark',
				email: 'zoe@example.com',
				birthDate: '1994-02-28T00:00:00',
				gender: 2,
				importance: 1,
				excludeFromSmsMailings: true,
				customFields: '{"source": "lead form"}',
			},
		});

		expect(requestsOf(sandbox())).toEqual([
			sent('POST', '/clients/38726', {
				body: {
					name: 'Zoe',
					phone: '12125550199',
					surname: 'Clark',
					email: 'zoe@example.com',
					birth_date: '1994-02-28',
					gender_id: 2,
					sex_id: 2,
					importance_id: 1,
					sms_not: 1,
					custom_fields: { source: 'lead form' },
				},
			}),
		]);
		const created = {
			id: 4300450,
			name: 'Zoe',
			surname: 'Clark',
			patronymic: '',
			display_name: 'Zoe Clark',
			phone: '+12125550199',
			email: 'zoe@example.com',
			card: '',
			birth_date: '1994-02-28',
			comment: '',
			discount: 0,
			importance_id: 1,
			importance: 'Bronze',
			sex_id: 2,
			sex: 'Female',
			sms_check: 0,
			sms_not: 1,
			spent: 0,
			paid: 0,
			balance: 0,
			visits: 0,
			categories: [],
			first_visit_date: '',
			last_visit_date: '',
			last_change_date: STAMP,
			custom_fields: { source: 'lead form' },
		};
		expect(result.outputs[0]).toEqual([paired(0)(created)]);
		expect(changes).toEqual([
			{
				locationId: 38726,
				resource: 'client',
				resourceId: 4300450,
				status: 'create',
				data: created,
			},
		]);

		sandbox().clearRequests();
		const read = await run({
			operation: 'get',
			locationId: locationId('38726'),
			clientId: '4300450',
		});
		expect(read.outputs[0]).toEqual(result.outputs[0]);
	});

	test("a 422 shows the API's field details in the item's error", async () => {
		const result = await run(
			{
				operation: 'create',
				locationId: locationId('38726'),
				name: 'Zoe',
				phone: '12125550199',
				additionalFields: { email: 'zoe at example' },
			},
			undefined,
			'continueErrorOutput',
		);

		expect(result.outputs[1].map((item) => [item.json.error, item.pairedItem])).toEqual([
			[
				'An error has occurred. (email: The email must be a valid email address.) [item 0]',
				{ item: 0 },
			],
		]);
	});

	test('an empty name or a bad phone fails the item before any request', async () => {
		const result = await run(
			{
				operation: 'create',
				locationId: locationId('38726'),
				name: '={{ $json.name }}',
				phone: '={{ $json.phone }}',
			},
			[
				{ name: ' ', phone: '12125550199' },
				{ name: 'Zoe', phone: '555' },
			],
			'continueErrorOutput',
		);

		expect(result.outputs[1].map((item) => item.json.error)).toEqual([
			'The name is empty [item 0]',
			'The phone "555" is not a possible phone number: it has 1 digit where a number after +55 has 8, 9, 10 or 11; if it is a national number, no Default Country is set to read it by [item 1]',
		]);
		expect(sandbox().requests).toHaveLength(0);
		expectNoSecrets(result, secretsOf(sandbox()));
	});
});

describe('Client → Update in the n8n engine', () => {
	const olivia = seeded('38726', 'clients', 4240880) as IDataObject;

	test('reads the card, sends it whole with the change, and re-reads it after the empty 200', async () => {
		const result = await run({
			operation: 'update',
			locationId: locationId('38726'),
			clientId: '4240880',
			updateFields: { email: 'olivia.brown@example.com', comment: 'Prefers mornings' },
		});

		expect(requestsOf(sandbox())).toEqual([
			sent('GET', '/client/38726/4240880'),
			sent('PUT', '/client/38726/4240880', {
				body: {
					name: 'Olivia',
					surname: 'Brown',
					email: 'olivia.brown@example.com',
					card: '555001',
					comment: 'Prefers mornings',
					middle_name: '',
					birth_date: '1990-05-17',
					discount: 0,
					importance_id: 2,
					sms_check: 0,
					sms_not: 0,
					gender_id: 2,
					sex_id: 2,
					labels: [],
					categories: [],
					phone: '14264037640',
				},
			}),
			sent('GET', '/client/38726/4240880'),
		]);
		expect(sandbox().requests.map((request) => request.status)).toEqual([200, 200, 200]);
		expect(result.outputs[0]).toEqual([
			paired(0)({
				...olivia,
				email: 'olivia.brown@example.com',
				comment: 'Prefers mornings',
				last_change_date: STAMP,
			}),
		]);
	});

	test('tags, custom fields, discount and SMS flags the user did not touch survive the update', async () => {
		await putDirectly('/client/38726/4240880', {
			name: 'Olivia',
			phone: '14264037640',
			surname: 'Brown',
			middle_name: 'Rose',
			card: '555001',
			birth_date: '1990-05-17',
			discount: 10,
			importance_id: 3,
			gender_id: 2,
			sms_check: 1,
			sms_not: 1,
			labels: [101, 102],
			custom_fields: { source: 'walk-in' },
		});
		sandbox().clearRequests();

		const result = await run({
			operation: 'update',
			locationId: locationId('38726'),
			clientId: '4240880',
			updateFields: { phone: '+1 426 403 76 41' },
		});

		expect(requestsOf(sandbox())[1]).toEqual(
			sent('PUT', '/client/38726/4240880', {
				body: {
					name: 'Olivia',
					surname: 'Brown',
					email: '',
					card: '555001',
					comment: '',
					middle_name: 'Rose',
					birth_date: '1990-05-17',
					discount: 10,
					importance_id: 3,
					sms_check: 1,
					sms_not: 1,
					gender_id: 2,
					sex_id: 2,
					labels: [101, 102],
					categories: [101, 102],
					custom_fields: { source: 'walk-in' },
					phone: '14264037641',
				},
			}),
		);
		expect(result.outputs[0][0].json).toEqual({
			...olivia,
			phone: '+14264037641',
			email: '',
			patronymic: 'Rose',
			discount: 10,
			importance_id: 3,
			importance: 'Gold',
			sms_check: 1,
			sms_not: 1,
			categories: [
				{ id: 101, title: 'Category 101', color: '#2196f3' },
				{ id: 102, title: 'Category 102', color: '#2196f3' },
			],
			custom_fields: { source: 'walk-in' },
			last_change_date: STAMP,
		});
	});

	test('with name and phone given the card is still read, so nothing else is cleared', async () => {
		const result = await run({
			operation: 'update',
			locationId: locationId('39287'),
			clientId: '4250002',
			updateFields: { name: 'Ivan', phone: '+7 926 403-76-41' },
		});

		expect(requestsOf(sandbox())).toEqual([
			sent('GET', '/client/39287/4250002'),
			sent('PUT', '/client/39287/4250002', {
				body: {
					name: 'Ivan',
					surname: 'Petrov',
					email: 'ivan@example.com',
					card: '',
					comment: '',
					middle_name: '',
					discount: 0,
					importance_id: 0,
					sms_check: 0,
					sms_not: 0,
					gender_id: 0,
					sex_id: 0,
					labels: [],
					categories: [],
					phone: '79264037641',
				},
			}),
			sent('GET', '/client/39287/4250002'),
		]);
		expect(result.outputs[0][0].json).toEqual({
			...seeded('39287', 'clients', 4250002),
			phone: '+79264037641',
			last_change_date: STAMP,
		});
	});

	test('no field to update fails the item without a request', async () => {
		const result = await run({
			operation: 'update',
			locationId: locationId('38726'),
			clientId: '4240880',
			updateFields: {},
		});

		expect(result.error).toMatchObject({ message: 'No field to update is given [item 0]' });
		expect(sandbox().requests).toHaveLength(0);
	});
});

describe('Client gender on both hosts', () => {
	/** Answers api.yclients.com from the sandbox, body and headers included. */
	function yclientsHost() {
		const forward = async function (
			this: { req: { headers: Record<string, string> } },
			method: string,
			uri: string,
			body: unknown,
		) {
			const response = await fetch(`${sandbox().url}${uri}`, {
				method,
				headers: {
					authorization: this.req.headers.authorization,
					accept: this.req.headers.accept,
					'content-type': 'application/json',
				},
				body: method === 'GET' ? undefined : JSON.stringify(body),
			});
			return [response.status, await response.text(), { 'content-type': 'application/json' }];
		};
		const host = nock('https://api.yclients.com').persist();
		for (const method of ['GET', 'POST', 'PUT'] as const) {
			host.intercept(/.*/, method).reply(async function (uri, body) {
				return (await forward.call(this as never, method, uri, body)) as [number, string, object];
			});
		}
	}

	afterEach(() => nock.cleanAll());

	const create = {
		operation: 'create',
		locationId: locationId('38726'),
		name: 'Zoe',
		phone: '12125550199',
		additionalFields: { gender: 2 },
	};

	test('YCLIENTS reads sex_id: the gender of a created client is stored there', async () => {
		yclientsHost();
		const result = await runAltegio({
			parameters: { resource: 'client', ...create },
			credentials: sandboxCredentials(sandbox(), { environment: 'yclients', baseUrl: '' }),
		});

		expect(
			sandbox().requests.map(({ path, headers, body }) => [path, headers.accept, body]),
		).toEqual([
			[
				'/api/v1/clients/38726',
				'application/vnd.yclients.v2+json',
				{ name: 'Zoe', phone: '12125550199', gender_id: 2, sex_id: 2 },
			],
		]);
		expect(result.outputs[0][0].json).toMatchObject({ sex_id: 2, sex: 'Female' });
	});

	test('Altegio reads gender_id: the gender of a created client is stored there', async () => {
		const result = await run(create);

		expect(requestsOf(sandbox())[0].body).toEqual({
			name: 'Zoe',
			phone: '12125550199',
			gender_id: 2,
			sex_id: 2,
		});
		expect(result.outputs[0][0].json).toMatchObject({ sex_id: 2, sex: 'Female' });
	});

	test('YCLIENTS keeps the stored gender and surname of a client whose email alone changes', async () => {
		yclientsHost();
		const result = await runAltegio({
			parameters: {
				resource: 'client',
				operation: 'update',
				locationId: locationId('38726'),
				clientId: '4240880',
				updateFields: { email: 'olivia.brown@example.com' },
			},
			credentials: sandboxCredentials(sandbox(), { environment: 'yclients', baseUrl: '' }),
		});

		expect(sandbox().requests.map(({ method }) => method)).toEqual(['GET', 'PUT', 'GET']);
		expect(result.outputs[0][0].json).toMatchObject({
			email: 'olivia.brown@example.com',
			surname: 'Brown',
			sex_id: 2,
			sex: 'Female',
		});
	});
});
