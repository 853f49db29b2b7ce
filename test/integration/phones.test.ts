import type { IDataObject } from 'n8n-workflow';

import seed from '../../sandbox/seed.json';
import { runAltegio } from '../helpers/engine';
import { locationId } from '../helpers/locations';
import { byPhone, sandboxCredentials, useSandbox } from '../helpers/sandbox';

// A client of chain 509 whose phone the API stores as YCLIENTS documents it: country code, no
// trunk prefix.
const ANNA = { id: 4250003, company_id: 38726, name: 'Anna Smirnova', email: 'anna@example.com' };
const sandbox = useSandbox({
	rateLimit: false,
	seed: {
		...seed,
		clients: {
			...seed.clients,
			'509': [...seed.clients['509'], { phone: '79161234567', ...ANNA }],
		},
	},
});

const run = async (parameters: IDataObject, items: object[], defaultCountry?: string) =>
	await runAltegio({
		parameters,
		items: items as never,
		onError: 'continueErrorOutput',
		credentials: sandboxCredentials(sandbox(), defaultCountry ? { defaultCountry } : {}),
	});

const sentQueries = () => sandbox().requests.map((request) => request.rawQuery);
const sentBodies = () => sandbox().requests.map((request) => request.body);

describe('phones in the n8n engine', () => {
	test('a Russian caller ID with the trunk prefix 8 finds the client, with Default Country RU', async () => {
		const result = await run(byPhone('509'), [{ phone: '8 (916) 123-45-67' }], 'RU');

		expect(result.outputs[0].map((item) => item.json)).toEqual([
			{ ...ANNA, salon_group_id: 509, phone: '+79161234567' },
		]);
		expect(sentQueries()).toEqual(['phone=79161234567']);
	});

	test('the same caller ID without a Default Country fails its item before any request', async () => {
		const result = await run(byPhone('509'), [{ phone: '8 (916) 123-45-67' }]);

		expect(result.outputs[0]).toEqual([]);
		expect(result.outputs[1]).toEqual([
			{
				json: {
					phone: '8 (916) 123-45-67',
					error:
						'The phone "8 (916) 123-45-67" does not begin with a country code: none of +8, +89, +891 is one; if it is a national number, no Default Country is set to read it by [item 0]',
					message:
						'Set Default Country in the Altegio API credential to the country of such national numbers, or enter the number with + and its country code, such as +7 916 123 45 67',
				},
				pairedItem: { item: 0 },
			},
		]);
		expect(sandbox().requests).toEqual([]);
	});

	test('a UK number as typed with (0) is sent without it', async () => {
		const result = await run(byPhone('509'), [{ phone: '+44 (0) 20 7946 0958' }]);

		expect(result.outputs[0]).toEqual([]);
		expect(result.outputs[1]).toEqual([]);
		expect(sentQueries()).toEqual(['phone=442079460958']);
	});

	test('a WhatsApp ID finds its client', async () => {
		const result = await run(byPhone('509'), [{ phone: '14264037640@c.us' }]);

		expect(result.outputs[0].map((item) => item.json.id)).toEqual([4240880, 4243272]);
		expect(sentQueries()).toEqual(['phone=14264037640']);
	});

	test('Appointment → Create books the client as +7916…, with Default Country RU', async () => {
		const result = await run(
			{
				resource: 'appointment',
				operation: 'create',
				locationId: locationId('38726'),
				teamMemberId: '2001',
				serviceIds: '11001',
				startAt: '2026-12-16T11:00:00-05:00',
				durationMinutes: 60,
				clientPhone: '={{ $json.phone }}',
				clientName: 'Anna Smirnova',
			},
			[{ phone: '8 (916) 123-45-67' }],
			'RU',
		);

		expect(result.outputs[1]).toEqual([]);
		expect(sentBodies()).toEqual([
			expect.objectContaining({ client: { phone: '+79161234567', name: 'Anna Smirnova' } }),
		]);
		expect(result.outputs[0][0].json.client).toMatchObject({ phone: '+79161234567' });
	});

	test('Client → Create sends 7916…, with Default Country RU', async () => {
		const result = await run(
			{
				resource: 'client',
				operation: 'create',
				locationId: locationId('38726'),
				name: 'Anna Smirnova',
				phone: '={{ $json.phone }}',
			},
			[{ phone: '8 (916) 123-45-67' }],
			'RU',
		);

		expect(result.outputs[1]).toEqual([]);
		expect(sentBodies()).toEqual([{ name: 'Anna Smirnova', phone: '79161234567' }]);
		expect(result.outputs[0][0].json).toMatchObject({ phone: '+79161234567' });
	});

	test('a national number of the Default Country in the chain lookup; the others keep theirs', async () => {
		const result = await run(
			byPhone('509'),
			[{ phone: '07700 900123' }, { phone: '+7 926 403-76-40' }, { phone: '+44 7700 9001234' }],
			'GB',
		);

		expect(sentQueries().sort()).toEqual(['phone=447700900123', 'phone=79264037640']);
		expect(result.outputs[0].map((item) => [item.json.id, item.pairedItem])).toEqual([
			[4250002, { item: 1 }],
		]);
		expect(result.outputs[1].map((item) => item.json.error)).toEqual([
			'The phone "+44 7700 9001234" is not a possible phone number: it has 11 digits where a number after +44 has 7, 9 or 10 [item 2]',
		]);
	});

	test('a Default Country that is no country is a credential error, before any request', async () => {
		const result = await run(byPhone('509'), [{ phone: '+7 926 403-76-40' }], 'SU');

		expect(result.outputs[1].map((item) => item.json.error)).toEqual([
			'The Default Country "SU" in the Altegio API credential is not a country that phone numbers can be read in [item 0]',
		]);
		expect(sandbox().requests).toEqual([]);
	});
});
