import * as getAll from '../../../../../nodes/Altegio/actions/financeTransaction/getAll.operation';
import { createApi } from '../../../../../nodes/Altegio/transport';
import { fakeExecuteFunctions, respond } from '../../../../helpers/fakeExecuteFunctions';

async function byAppointment(data: unknown) {
	const ctx = fakeExecuteFunctions({
		parameters: {
			resource: 'financeTransaction',
			operation: 'getAll',
			locationId: { __rl: true, mode: 'id', value: '38726' },
			returnAll: true,
			filters: { appointmentId: '61000001' },
		},
	});
	ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
		respond(200, { success: true, data, meta: [] }),
	);
	return await getAll.execute.call(ctx, 0, createApi(ctx));
}

describe('Finance Transaction → Get Many by appointment reads both readings of the answer', () => {
	test('a list of transactions', async () => {
		expect(await byAppointment([{ id: 1, record_id: 61000001 }])).toEqual([
			{ id: 1, record_id: 61000001 },
		]);
	});

	test('a single transaction as the data itself', async () => {
		expect(await byAppointment({ id: 1, record_id: 61000001 })).toEqual([
			{ id: 1, record_id: 61000001 },
		]);
	});

	test('no transactions', async () => {
		expect(await byAppointment([])).toEqual([]);
	});
});
