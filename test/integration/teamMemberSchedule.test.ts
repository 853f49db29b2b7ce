import { locationId, paired, requestsOf, resourceRunner, sent } from '../helpers/locations';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });
const run = resourceRunner('teamMember', sandbox);
const MANHATTAN = locationId('38726');

const setSchedule = async (dates: string[], slots: Array<{ from: string; to: string }>) =>
	await fetch(`${sandbox().url}/__sandbox/schedule`, {
		method: 'POST',
		body: JSON.stringify({ locationId: 38726, teamMemberId: 2001, dates, slots }),
	});

describe('Team Member → Get Schedule in the n8n engine', () => {
	test('one GET; one paired item per day of the range, a day off (left out by the API) included', async () => {
		await setSchedule(['2026-12-15'], []);
		await setSchedule(
			['2026-12-16'],
			[
				{ from: '10:00', to: '13:00' },
				{ from: '14:00', to: '19:00' },
			],
		);

		const result = await run(
			{
				operation: 'getSchedule',
				locationId: locationId('={{ $json.company_id }}'),
				teamMemberId: '={{ $json.id }}',
				startDate: '2026-12-14',
				endDate: '2026-12-16T00:00:00',
			},
			[{ company_id: 38726, id: 2001 }],
		);

		expect(requestsOf(sandbox())).toEqual([
			sent('GET', '/schedule/38726/2001/2026-12-14/2026-12-16'),
		]);
		expect(result.outputs[0]).toEqual([
			paired(0)({ date: '2026-12-14', is_working: true, slots: [{ from: '10:00', to: '19:00' }] }),
			paired(0)({ date: '2026-12-15', is_working: false, slots: [] }),
			paired(0)({
				date: '2026-12-16',
				is_working: true,
				slots: [
					{ from: '10:00', to: '13:00' },
					{ from: '14:00', to: '19:00' },
				],
			}),
		]);
	});

	test('two input items: each gets its own days, paired with it', async () => {
		const result = await run(
			{
				operation: 'getSchedule',
				locationId: MANHATTAN,
				teamMemberId: '={{ $json.id }}',
				startDate: '={{ $json.day }}',
				endDate: '={{ $json.day }}',
			},
			[
				{ id: 2001, day: '2026-12-14' },
				{ id: 2002, day: '2026-12-20' },
			],
		);

		expect(result.outputs[0]).toEqual([
			paired(0)({ date: '2026-12-14', is_working: true, slots: [{ from: '10:00', to: '19:00' }] }),
			paired(1)({ date: '2026-12-20', is_working: true, slots: [{ from: '10:00', to: '19:00' }] }),
		]);
		expect(requestsOf(sandbox()).map((request) => request.path)).toEqual([
			'/api/v1/schedule/38726/2001/2026-12-14/2026-12-14',
			'/api/v1/schedule/38726/2002/2026-12-20/2026-12-20',
		]);
	});

	test('an unknown team member fails the item with the API message', async () => {
		const result = await run({
			operation: 'getSchedule',
			locationId: MANHATTAN,
			teamMemberId: '9999',
			startDate: '2026-12-14',
			endDate: '2026-12-14',
		});
		expect(result.error?.message).toMatch(/Team Member with ID 9999 was not found.*\[item 0\]$/);
	});

	test('an end date before the start date fails the item before any request', async () => {
		const result = await run({
			operation: 'getSchedule',
			locationId: MANHATTAN,
			teamMemberId: '2001',
			startDate: '2026-12-14',
			endDate: '2026-12-13',
		});
		expect(result.error?.message).toBe(
			'The end date 2026-12-13 is before the start date 2026-12-14 [item 0]',
		);
		expect(sandbox().requests).toEqual([]);
	});
});
