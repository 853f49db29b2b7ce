import { locationId, paired, requestsOf, resourceRunner, sent } from '../helpers/locations';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });
const run = resourceRunner('financeTransaction', sandbox);
const MANHATTAN = locationId('38726');

describe('Finance Transaction → Get Many in the n8n engine', () => {
	test('a day of takings: one GET with the dates, one paired item per transaction as the API returns it', async () => {
		const result = await run(
			{
				operation: 'getAll',
				locationId: locationId('={{ $json.company_id }}'),
				returnAll: true,
				filters: { startDate: '2026-11-30', endDate: '2026-11-30T00:00:00' },
			},
			[{ company_id: 38726 }],
		);

		expect(requestsOf(sandbox())).toEqual([
			sent('GET', '/transactions/38726', {
				query: { page: '1', count: '50', start_date: '2026-11-30', end_date: '2026-11-30' },
			}),
		]);
		const items = result.outputs[0];
		expect(items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 0 }, { item: 0 }]);
		expect(items[0].json).toEqual({
			id: 70000101,
			document_id: 0,
			date: '2026-11-30 15:00:00',
			type_id: 0,
			expense_id: 5,
			account_id: 90002,
			amount: 120,
			client_id: 4250101,
			master_id: 2001,
			supplier_id: 0,
			comment: '',
			item_id: 0,
			target_type_id: 0,
			record_id: 0,
			goods_transaction_id: 0,
			expense: { id: 5, title: 'Provision of services' },
			account: { id: 90002, title: 'Card terminal', is_cash: false },
			client: { id: 4250101, name: 'Ava', phone: '+12125550101' },
			master: { id: 2001, name: 'Emma Wilson' },
			supplier: [],
		});
		const byAccount: Record<string, number> = {};
		for (const { json } of items) {
			const title = (json.account as { title: string }).title;
			byAccount[title] = (byAccount[title] ?? 0) + (json.amount as number);
		}
		expect(byAccount).toEqual({ 'Card terminal': 180, Cash: 35 });
	});

	test('Return All reads on past a full page (the API gives no total), until a short page', async () => {
		const result = await run({ operation: 'getAll', locationId: MANHATTAN, returnAll: true });

		expect(result.outputs[0]).toHaveLength(88);
		expect(new Set(result.outputs[0].map((item) => item.json.id)).size).toBe(88);
		expect(requestsOf(sandbox()).map((request) => request.query)).toEqual([
			{ page: '1', count: '50' },
			{ page: '2', count: '50' },
		]);
	});

	test('client and team member filters become client_id and master_id; a limit asks a page of that size', async () => {
		const result = await run(
			{
				operation: 'getAll',
				locationId: MANHATTAN,
				returnAll: false,
				limit: 2,
				filters: { clientId: '={{ $json.id }}', teamMemberId: '2001' },
			},
			[{ id: 4250001 }, { id: 4250101 }],
		);

		expect(requestsOf(sandbox()).map((request) => request.query)).toEqual([
			{ page: '1', count: '2', client_id: '4250001', master_id: '2001' },
			{ page: '1', count: '2', client_id: '4250101', master_id: '2001' },
		]);
		expect(result.outputs[0].map((item) => [item.json.client_id, item.pairedItem])).toEqual([
			[4250001, { item: 0 }],
			[4250001, { item: 0 }],
			[4250101, { item: 1 }],
			[4250101, { item: 1 }],
		]);
	});

	test('an appointment: its transactions from GET /timetable/transactions?record_id=', async () => {
		const result = await run({
			operation: 'getAll',
			locationId: MANHATTAN,
			returnAll: true,
			filters: { appointmentId: '61000001' },
		});

		expect(requestsOf(sandbox())).toEqual([
			sent('GET', '/timetable/transactions/38726', { query: { record_id: '61000001' } }),
		]);
		expect(result.outputs[0]).toEqual([
			paired(0)(
				expect.objectContaining({
					record_id: 61000001,
					amount: 60,
					client_id: 4240880,
					date: '2026-11-20 12:00:00',
				}),
			),
		]);
	});

	test('an appointment with dates that exclude its payment gives no items', async () => {
		const result = await run({
			operation: 'getAll',
			locationId: MANHATTAN,
			returnAll: true,
			filters: { appointmentId: '61000001', startDate: '2026-11-21' },
		});
		expect(result.outputs[0]).toEqual([]);
	});

	test('a date that is not a real date fails the item before any request', async () => {
		const result = await run({
			operation: 'getAll',
			locationId: MANHATTAN,
			returnAll: true,
			filters: { startDate: '2026-13-01' },
		});
		expect(result.error?.message).toBe('The start date "2026-13-01" is not a real date [item 0]');
		expect(sandbox().requests).toEqual([]);
	});
});
