import { locationId, paired, requestsOf, resourceRunner, seeded, sent } from '../helpers/locations';
import { expectNoSecrets } from '../helpers/fakeExecuteFunctions';
import { secretsOf, useSandbox } from '../helpers/sandbox';
import lookupItems from '../fixtures/locations/olivia-lookup-items.json';

const sandbox = useSandbox({ rateLimit: false });
const run = resourceRunner('client', sandbox);

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
	test('reads the card for the name and phone the API requires, then sends the change', async () => {
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
					email: 'olivia.brown@example.com',
					comment: 'Prefers mornings',
					name: 'Olivia',
					phone: '14264037640',
				},
			}),
		]);
		expect(result.outputs[0]).toEqual([
			paired(0)({
				...seeded('38726', 'clients', 4240880),
				email: 'olivia.brown@example.com',
				comment: 'Prefers mornings',
				last_change_date: STAMP,
			}),
		]);
	});

	test('with name and phone given, one PUT is enough', async () => {
		const result = await run({
			operation: 'update',
			locationId: locationId('39287'),
			clientId: '4250002',
			updateFields: { name: 'Ivan', phone: '+7 926 403-76-41' },
		});

		expect(requestsOf(sandbox())).toEqual([
			sent('PUT', '/client/39287/4250002', { body: { name: 'Ivan', phone: '79264037641' } }),
		]);
		expect(result.outputs[0][0].json).toMatchObject({ id: 4250002, phone: '+79264037641' });
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
