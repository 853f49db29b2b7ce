import { clientBody } from '../../../../../nodes/Altegio/actions/client/client.fields';
import { caught, fakeExecuteFunctions } from '../../../../helpers/fakeExecuteFunctions';

const ctx = fakeExecuteFunctions();

describe('client fields → the API body', () => {
	test('each field goes to its documented key, flags as 0/1, the date as YYYY-MM-DD', () => {
		expect(
			clientBody.call(
				ctx,
				{
					name: 'Zoe',
					phone: '+1 (212) 555-01-99',
					surname: 'Clark',
					middleName: 'Ann',
					email: 'zoe@example.com',
					gender: 2,
					importance: 3,
					discount: 10,
					card: '555',
					birthDate: '1994-02-28T00:00:00',
					comment: 'VIP',
					birthdaySms: true,
					excludeFromSmsMailings: false,
					customFields: { source: 'web' },
				},
				0,
				undefined,
			),
		).toEqual({
			name: 'Zoe',
			phone: '12125550199',
			surname: 'Clark',
			middle_name: 'Ann',
			email: 'zoe@example.com',
			gender_id: 2,
			importance_id: 3,
			discount: 10,
			card: '555',
			birth_date: '1994-02-28',
			comment: 'VIP',
			sms_check: 1,
			sms_not: 0,
			custom_fields: { source: 'web' },
		});
	});

	test('fields that were not added are not sent', () => {
		expect(clientBody.call(ctx, { email: 'a@b.co' }, 0, undefined)).toEqual({ email: 'a@b.co' });
	});

	test('a national phone is read in the Default Country and sent as digits with the country code', () => {
		expect(clientBody.call(ctx, { phone: '07700 900123' }, 0, 'GB')).toEqual({
			phone: '447700900123',
		});
	});

	test('a birth date that is not real names the field and the item', async () => {
		const error = await caught(
			Promise.resolve().then(() => clientBody.call(ctx, { birthDate: '1994-02-30' }, 5, undefined)),
		);
		expect(error.message).toBe('The birth date "1994-02-30" is not a real date [item 5]');
	});
});
