import {
	AUTHORIZATION,
	locationId,
	paired,
	requestsOf,
	resourceRunner,
	sent,
} from '../helpers/locations';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });
const run = resourceRunner('client', sandbox);
const MANHATTAN = locationId('38726');
const SEARCH = '/company/38726/clients/visits/search';

const body = (extra: object = {}) => ({
	client_id: 4240880,
	client_phone: null,
	from: null,
	to: null,
	payment_statuses: [],
	attendance: null,
	...extra,
});

/** 30 more past visits of Olivia, a day apart from 2026-09-30 back; the 18th and 19th on one day. */
const addVisits = async () => {
	const day = (offset: number) =>
		new Date(Date.parse('2026-09-30T00:00:00Z') - offset * 86400000).toISOString().slice(0, 10);
	const dates = Array.from({ length: 30 }, (_, i) => day(i === 18 ? 17 : i));
	await fetch(`${sandbox().url}/__sandbox/add-visits`, {
		method: 'POST',
		body: JSON.stringify({ locationId: 38726, clientId: 4240880, dates }),
	});
	return dates;
};

describe('Client → Get Visit History in the n8n engine', () => {
	test('one item per visit, newest first, paired, from the documented request', async () => {
		const result = await run(
			{
				operation: 'getVisitHistory',
				locationId: locationId('={{ $json.company_id }}'),
				clientId: '={{ $json.id }}',
				returnAll: true,
			},
			[{ company_id: 38726, id: 4240880 }],
		);

		const visits = result.outputs[0];
		expect(visits).toHaveLength(7);
		expect(visits.slice(0, 2)).toEqual([
			paired(0)(expect.objectContaining({ id: 61000002, datetime: '2026-12-14T10:30:00-05:00' })),
			paired(0)(expect.objectContaining({ id: 61000001, datetime: '2026-11-20T11:00:00-05:00' })),
		]);
		expect(visits.map((item) => item.json.client)).toEqual(
			Array(7).fill(expect.objectContaining({ id: 4240880 })),
		);
		expect(requestsOf(sandbox())).toEqual([
			sent('POST', SEARCH, { body: body() }),
			sent('POST', SEARCH, { body: body({ to: '2026-10-15' }) }),
		]);
	});

	test('Return All follows the cursor in meta.from / meta.to across pages of 25 to the empty page', async () => {
		await addVisits();
		const result = await run({
			operation: 'getVisitHistory',
			locationId: MANHATTAN,
			clientId: '4240880',
			returnAll: true,
		});

		const ids = result.outputs[0].map((item) => item.json.id);
		expect(ids).toHaveLength(37);
		expect(new Set(ids).size).toBe(37);
		expect(new Set(result.outputs[0].map((item) => JSON.stringify(item.pairedItem)))).toEqual(
			new Set(['{"item":0}']),
		);
		// Page 1 holds 26: the 26th visit shares its day with the 25th.
		expect(requestsOf(sandbox()).map((request) => request.body)).toEqual([
			body(),
			body({ to: '2026-09-12' }),
			body({ to: '2026-08-31' }),
		]);
		const answers = await Promise.all(
			[body(), body({ to: '2026-09-12' }), body({ to: '2026-08-31' })].map(async (page) => {
				const response = await fetch(`${sandbox().url}/api/v1${SEARCH}`, {
					method: 'POST',
					headers: { authorization: AUTHORIZATION, 'content-type': 'application/json' },
					body: JSON.stringify(page),
				});
				const answer = (await response.json()) as { data: { records: unknown[] }; meta: object };
				return [answer.data.records.length, answer.meta];
			}),
		);
		expect(answers).toEqual([
			[26, { from: null, to: '2026-09-12' }],
			[11, { from: null, to: '2026-08-31' }],
			[0, { from: null, to: null }],
		]);
	});

	test('Limit stops after enough visits; the filters become from, to and the attendance number', async () => {
		await addVisits();
		const result = await run({
			operation: 'getVisitHistory',
			locationId: MANHATTAN,
			clientId: '4240880',
			limit: 3,
			filters: { startDate: '2026-01-01T00:00:00', endDate: '2026-11-30', attendance: 'arrived' },
		});

		expect(result.outputs[0].map((item) => item.json.attendance)).toEqual([1, 1, 1]);
		expect(result.outputs[0][0].json.id).toBe(61000001);
		expect(requestsOf(sandbox())).toEqual([
			sent('POST', SEARCH, {
				body: body({ from: '2026-01-01', to: '2026-11-30', attendance: 1 }),
			}),
		]);
	});

	test('no-shows only', async () => {
		const result = await run({
			operation: 'getVisitHistory',
			locationId: MANHATTAN,
			clientId: '4240880',
			returnAll: true,
			filters: { attendance: 'noShow' },
		});
		expect(result.outputs[0].map((item) => item.json.attendance)).toEqual([-1]);
		expect(requestsOf(sandbox())[0].body).toEqual(body({ attendance: -1 }));
	});
});
