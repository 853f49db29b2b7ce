import { cardBody, clientBody } from '../../../../../nodes/Altegio/actions/client/client.fields';
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
			sex_id: 2,
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

describe('cardBody: the stored card as an update body', () => {
	test('every editable field of the card, tags as IDs under both keys, gender under both keys', () => {
		expect(
			cardBody({
				id: 16,
				name: 'James',
				surname: 'Smith',
				patronymic: 'Lee',
				phone: '+13155550178',
				email: 'j@example.com',
				card: '777',
				birth_date: '1990-01-02',
				comment: 'VIP',
				discount: '15',
				importance_id: 1,
				sex_id: 1,
				sms_check: 1,
				sms_not: 0,
				spent: 100,
				balance: 5,
				visits: 3,
				categories: [{ id: 101, title: 'A', color: '#fff' }, 102],
				custom_fields: { source: 'web' },
			}),
		).toEqual({
			name: 'James',
			surname: 'Smith',
			middle_name: 'Lee',
			email: 'j@example.com',
			card: '777',
			birth_date: '1990-01-02',
			comment: 'VIP',
			discount: 15,
			importance_id: 1,
			gender_id: 1,
			sex_id: 1,
			sms_check: 1,
			sms_not: 0,
			labels: [101, 102],
			categories: [101, 102],
			custom_fields: { source: 'web' },
		});
	});

	test("Altegio's documented example: gender by name, null birth date, custom fields as a list", () => {
		expect(
			cardBody({
				id: 16,
				name: 'James',
				surname: 'Smith',
				middle_name: 'James',
				phone: 13155550178,
				email: '',
				categories: [],
				gender: 'unknown',
				discount: 0,
				importance: 'No importance class',
				card: '',
				birth_date: null,
				comment: '',
				sms_check: 0,
				sms_not: 0,
				custom_fields: [],
			}),
		).toEqual({
			name: 'James',
			surname: 'Smith',
			middle_name: 'James',
			email: '',
			card: '',
			comment: '',
			discount: 0,
			sms_check: 0,
			sms_not: 0,
			gender_id: 0,
			sex_id: 0,
			labels: [],
			categories: [],
		});
	});
});
