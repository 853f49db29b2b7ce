import { bodyOf } from '../../../../../nodes/Altegio/actions/appointment/update.operation';
import record from '../../../../fixtures/locations/record-38726-61000002.json';

describe('appointment → Update: the stored appointment as a full body', () => {
	test('keeps what the API would otherwise drop, and writes the client phone with +', () => {
		expect(
			bodyOf({
				...record,
				client: { ...record.client, phone: '14264037640' },
				sms_remain_hours: 2,
				activity_id: 0,
				record_labels: [{ id: 7, title: 'VIP' }],
				custom_fields: { allergy: 'latex' },
			}),
		).toEqual({
			staff_id: 2001,
			services: [{ id: 11001, first_cost: 60, discount: 0, cost: 60, amount: 1 }],
			datetime: '2026-12-14T10:30:00-05:00',
			seance_length: 3600,
			save_if_busy: false,
			send_sms: false,
			client: { phone: '+14264037640', name: 'Olivia', email: 'olivia@example.com' },
			comment: 'Prefers the window seat',
			attendance: 2,
			api_id: '',
			custom_color: '',
			sms_remain_hours: 2,
			record_labels: ['7'],
			custom_fields: { allergy: 'latex' },
		});
	});

	test('keeps service amounts and the technical break', () => {
		const body = bodyOf({
			...record,
			services: [{ ...record.services[0], amount: 3 }],
			technical_break_duration: 900,
		});
		expect(body.services).toEqual([
			{ id: 11001, first_cost: 60, discount: 0, cost: 60, amount: 3 },
		]);
		expect(body.technical_break_duration).toBe(900);
	});

	test.each([['+1426*****40'], ['+7 926 ***-**-40'], ['']])(
		'a masked or missing phone "%s" is not sent: the client is named by its ID',
		(phone) => {
			expect(
				bodyOf({ ...record, client: { ...record.client, phone, email: 'o***@example.com' } })
					.client,
			).toEqual({ id: 4240880, name: 'Olivia' });
		},
	);

	test('a group event keeps its activity, and an appointment without a client has no client', () => {
		const body = bodyOf({ ...record, client: null, activity_id: 812 });
		expect(body.activity_id).toBe(812);
		expect(body).not.toHaveProperty('client');
	});
});
