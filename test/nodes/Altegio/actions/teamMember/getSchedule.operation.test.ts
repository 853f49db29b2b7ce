import * as getSchedule from '../../../../../nodes/Altegio/actions/teamMember/getSchedule.operation';
import { createApi } from '../../../../../nodes/Altegio/transport';
import { caught, fakeExecuteFunctions, respond } from '../../../../helpers/fakeExecuteFunctions';

const PARAMETERS = {
	resource: 'teamMember',
	operation: 'getSchedule',
	locationId: { __rl: true, mode: 'id', value: '38726' },
	teamMemberId: '2001',
	startDate: '2026-12-14',
	endDate: '2026-12-15',
};

async function read(data: unknown) {
	const ctx = fakeExecuteFunctions({ parameters: PARAMETERS });
	ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
		respond(200, { success: true, data, meta: [] }),
	);
	return await getSchedule.execute.call(ctx, 0, createApi(ctx));
}

describe('Team Member → Get Schedule reads both readings of the undocumented answer', () => {
	test('a day off listed with is_working false (or 0) and no slots', async () => {
		expect(
			await read([
				{ date: '2026-12-14', is_working: true, slots: [{ from: '10:00', to: '19:00' }] },
				{ date: '2026-12-15', is_working: 0, slots: [] },
			]),
		).toEqual([
			{ date: '2026-12-14', is_working: true, slots: [{ from: '10:00', to: '19:00' }] },
			{ date: '2026-12-15', is_working: false, slots: [] },
		]);
	});

	test('a day off left out, is_working as 1, other fields kept', async () => {
		expect(
			await read([
				{
					staff_id: 2001,
					date: '2026-12-15',
					is_working: 1,
					slots: [{ from: '12:00', to: '16:00' }],
				},
			]),
		).toEqual([
			{ date: '2026-12-14', is_working: false, slots: [] },
			{
				staff_id: 2001,
				date: '2026-12-15',
				is_working: true,
				slots: [{ from: '12:00', to: '16:00' }],
			},
		]);
	});

	test('an answer that is not a list of days fails the item', async () => {
		const error = await caught(read({ days: [] }));
		expect(error.message).toBe(
			'The Altegio API returned the schedule days in an unexpected shape [item 0]',
		);
	});
});
