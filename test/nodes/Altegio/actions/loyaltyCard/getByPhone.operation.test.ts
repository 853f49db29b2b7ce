import * as getByPhone from '../../../../../nodes/Altegio/actions/loyaltyCard/getByPhone.operation';
import { createApi } from '../../../../../nodes/Altegio/transport';
import { fakeExecuteFunctions, respond } from '../../../../helpers/fakeExecuteFunctions';
import locations from '../../../../../sandbox/seed-locations.json';

const card = locations.loyaltyCards[0].card;

function context(body: unknown, status = 200) {
	const ctx = fakeExecuteFunctions({
		parameters: {
			chainId: { __rl: true, mode: 'id', value: '509' },
			locationId: { __rl: true, mode: 'list', value: '38726' },
			phone: '+1 (426) 403-76-40',
		},
	});
	ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(respond(status, body));
	return ctx;
}

describe('loyaltyCard → Get by Phone: the answers the API is known to give', () => {
	test.each([
		[
			'a list of cards in the envelope',
			{ success: true, data: [card, card], meta: [] },
			[card, card],
		],
		['one card in the envelope', { success: true, data: card, meta: [] }, [card]],
		['an empty list', { success: true, data: [], meta: [] }, []],
	])('%s', async (_name, body, cards) => {
		const ctx = context(body);
		expect(await getByPhone.execute.call(ctx, 0, createApi(ctx))).toEqual(cards);
		expect(ctx.helpers.httpRequestWithAuthentication.mock.calls[0][1].url).toBe(
			'/loyalty/cards/%2B14264037640/509/38726',
		);
	});

	test('a 404 means no card, not an error', async () => {
		const ctx = context({ success: false, data: null, meta: { message: 'Not found' } }, 404);
		expect(await getByPhone.execute.call(ctx, 0, createApi(ctx))).toEqual([]);
	});
});
