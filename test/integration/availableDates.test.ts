import { locationId, paired, requestsOf, resourceRunner, sent } from '../helpers/locations';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });
const run = resourceRunner('appointment', sandbox);
const MANHATTAN = locationId('38726');
const PARTNER_ONLY = 'Bearer sandbox-partner-token-3f9a';

describe('Appointment → Get Available Dates in the n8n engine', () => {
	test('one item { date } per bookable date, with the partner token alone; a fully booked day is left out', async () => {
		await run({
			operation: 'create',
			locationId: MANHATTAN,
			teamMemberId: '2001',
			serviceIds: '11001',
			startAt: '2026-12-15T10:00:00-05:00',
			durationMinutes: 540,
			clientPhone: '+14264037640',
			additionalFields: { saveIfBusy: true },
		});
		sandbox().clearRequests();

		const result = await run(
			{
				operation: 'getAvailableDates',
				locationId: locationId('={{ $json.company_id }}'),
				teamMemberId: '={{ $json.staff_id }}',
				serviceIds: '11001',
				startDate: '2026-12-14',
				endDate: '2026-12-16T00:00:00',
			},
			[{ company_id: 38726, staff_id: 2001 }],
		);

		expect(result.outputs[0]).toEqual([
			paired(0)({ date: '2026-12-14' }),
			paired(0)({ date: '2026-12-16' }),
		]);
		expect(requestsOf(sandbox())).toEqual([
			{
				...sent('GET', '/book_dates/38726', {
					query: {
						'service_ids[]': '11001',
						staff_id: '2001',
						date_from: '2026-12-14',
						date_to: '2026-12-16',
					},
				}),
				authorization: PARTNER_ONLY,
			},
		]);
	});

	test('without a team member any team member counts (staff_id 0)', async () => {
		const result = await run({
			operation: 'getAvailableDates',
			locationId: MANHATTAN,
			serviceIds: '11001',
			startDate: '2026-12-14',
			endDate: '2026-12-14',
		});
		expect(result.outputs[0]).toEqual([paired(0)({ date: '2026-12-14' })]);
		expect(requestsOf(sandbox())[0].query).toMatchObject({ staff_id: '0' });
	});

	test('an end date before the start date fails the item before any request', async () => {
		const result = await run({
			operation: 'getAvailableDates',
			locationId: MANHATTAN,
			startDate: '2026-12-14',
			endDate: '2026-12-10',
		});
		expect(result.error?.message).toBe(
			'The end date 2026-12-10 is before the start date 2026-12-14 [item 0]',
		);
		expect(sandbox().requests).toEqual([]);
	});
});
