import { applyAppointmentFields } from '../../../../../nodes/Altegio/actions/appointment/appointment.fields';
import { caught, fakeExecuteFunctions } from '../../../../helpers/fakeExecuteFunctions';

const ctx = fakeExecuteFunctions();

describe('appointment fields → the API body', () => {
	test('IDs, start, length in seconds, the client with +, and the options', () => {
		expect(
			applyAppointmentFields.call(
				ctx,
				{ save_if_busy: false, send_sms: false },
				{
					teamMemberId: '2001',
					serviceIds: '11001, 11002',
					startAt: '2026-12-16T10:00:00-05:00',
					durationMinutes: 90,
					clientPhone: '1 426 403 76 40',
					clientName: ' Olivia Brown ',
					clientEmail: '',
					comment: 'Hi',
					attendance: -1,
					saveIfBusy: true,
					sendSms: true,
					smsReminderHours: 2,
					emailReminderHours: 0,
					externalId: 'crm-77',
				},
				0,
				undefined,
			),
		).toEqual({
			staff_id: 2001,
			services: [{ id: 11001 }, { id: 11002 }],
			datetime: '2026-12-16T10:00:00-05:00',
			seance_length: 5400,
			client: { phone: '+14264037640', name: 'Olivia Brown' },
			comment: 'Hi',
			attendance: -1,
			save_if_busy: true,
			send_sms: true,
			sms_remain_hours: 2,
			email_remain_hours: 0,
			api_id: 'crm-77',
		});
	});

	test('a new phone keeps the stored name and email of the client', () => {
		const stored = { client: { phone: '+14264037640', name: 'Olivia', email: 'o@example.com' } };
		expect(
			applyAppointmentFields.call(ctx, stored, { clientPhone: '+1 426 403 76 41' }, 0, undefined),
		).toEqual({
			client: { phone: '+14264037641', name: 'Olivia', email: 'o@example.com' },
		});
	});

	test('a national client phone is read in the Default Country and sent with +', () => {
		expect(
			applyAppointmentFields.call(ctx, {}, { clientPhone: '8 (916) 123-45-67' }, 0, 'RU'),
		).toEqual({ client: { phone: '+79161234567' } });
	});

	test.each([
		['30.5', 'The duration "30.5" is not a positive whole number of minutes [item 1]'],
		['', 'The duration "" is not a positive whole number of minutes [item 1]'],
	])('the duration %p is refused', async (durationMinutes, message) => {
		const error = await caught(
			Promise.resolve().then(() =>
				applyAppointmentFields.call(ctx, {}, { durationMinutes }, 1, undefined),
			),
		);
		expect(error.message).toBe(message);
	});
});
