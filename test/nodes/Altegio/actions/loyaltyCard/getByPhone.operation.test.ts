import * as getByPhone from '../../../../../nodes/Altegio/actions/loyaltyCard/getByPhone.operation';
import { createApi } from '../../../../../nodes/Altegio/transport';
import { caught, fakeExecuteFunctions, respond } from '../../../../helpers/fakeExecuteFunctions';
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
		['one bare card, as the documentation shows it', card, [card]],
		['a bare list of cards', [card, card], [card, card]],
		['an empty bare list', [], []],
		[
			'a list of cards in the envelope',
			{ success: true, data: [card, card], meta: [] },
			[card, card],
		],
		['one card in the envelope', { success: true, data: card, meta: [] }, [card]],
		['an empty list in the envelope', { success: true, data: [], meta: [] }, []],
	])('%s', async (_name, body, cards) => {
		const ctx = context(body);
		expect(await getByPhone.execute.call(ctx, 0, createApi(ctx))).toEqual(cards);
		expect(ctx.helpers.httpRequestWithAuthentication.mock.calls[0][1].url).toBe(
			'/loyalty/cards/%2B14264037640/509/38726',
		);
	});

	test.each([['Client not found'], ['Клиент не найден']])(
		'a 404 "%s" means no card, not an error',
		async (message) => {
			const ctx = context({ success: false, data: null, meta: { message } }, 404);
			expect(await getByPhone.execute.call(ctx, 0, createApi(ctx))).toEqual([]);
		},
	);

	test.each([
		[404, 'Location 38726 is not in chain 999.'],
		[404, 'Location not found.'],
		[404, 'Not found'],
		[403, 'Access denied.'],
	])('a %i "%s" fails the item instead of reading as no card', async (status, message) => {
		const ctx = context({ success: false, data: null, meta: { message } }, status);
		const error = await caught(getByPhone.execute.call(ctx, 0, createApi(ctx)));
		expect(error.message).toContain(message.replace(/\.$/, ''));
		expect(error.message).toContain('[item 0]');
	});
});
