import { searchTeamMembers } from '../../../../nodes/Altegio/methods/listSearch';
import { getServices } from '../../../../nodes/Altegio/methods/loadOptions';
import { caught } from '../../../helpers/fakeExecuteFunctions';
import { sandboxLoadOptions, useSandbox } from '../../../helpers/sandbox';

const sandbox = useSandbox();

const MANHATTAN = { __rl: true, mode: 'list', value: '38726' };

const MANHATTAN_TEAM = [
	{ name: 'Emma Wilson, Hair stylist (2001)', value: '2001' },
	{ name: 'Liam Johnson, Barber (2002)', value: '2002' },
	{ name: 'Sophia Martinez, Colorist (2003)', value: '2003' },
];

describe('listSearch.searchTeamMembers (Team Member → From List)', () => {
	test("lists the chosen location's team members, named with their specialization and ID", async () => {
		const ctx = sandboxLoadOptions(sandbox(), { locationId: MANHATTAN });

		expect(await searchTeamMembers.call(ctx)).toEqual({ results: MANHATTAN_TEAM });
		expect(sandbox().requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /api/v1/company/38726/staff',
		]);
	});

	test('reads a location given by ID, or by an expression the editor resolved to a number', async () => {
		for (const locationId of [
			{ __rl: true, mode: 'id', value: ' 38545 ' },
			{ __rl: true, mode: 'id', value: 38545 },
		]) {
			const ctx = sandboxLoadOptions(sandbox(), { locationId });
			expect(await searchTeamMembers.call(ctx)).toEqual({
				results: [{ name: 'Charlotte Lee, Massage therapist (3001)', value: '3001' }],
			});
		}
	});

	test.each([
		['emma', ['2001']],
		['  BARBER ', ['2002']],
		['son', ['2001', '2002']],
		['2003', ['2003']],
		['nobody', []],
	])('filters by name, specialization or ID: %p', async (filter, ids) => {
		const ctx = sandboxLoadOptions(sandbox(), { locationId: MANHATTAN });

		const { results } = await searchTeamMembers.call(ctx, filter);

		expect(results.map((result) => result.value)).toEqual(ids);
	});

	test('without a chosen location: a message that says to choose it, and no request', async () => {
		for (const locationId of [undefined, { __rl: true, mode: 'list', value: '' }]) {
			const ctx = sandboxLoadOptions(sandbox(), { locationId });
			const error = await caught(searchTeamMembers.call(ctx));
			expect(error.message).toBe(
				'Choose the location first: the list shows the team members or services of that location',
			);
		}
		expect(sandbox().requests).toEqual([]);
	});
});

describe('loadOptions.getServices (Services, several at a time)', () => {
	test("lists the chosen location's services, named with their ID, the ID as the value", async () => {
		const ctx = sandboxLoadOptions(sandbox(), { locationId: MANHATTAN });

		expect(await getServices.call(ctx)).toEqual([
			{ name: "Women's haircut (11001)", value: 11001 },
			{ name: "Men's haircut (11002)", value: 11002 },
			{ name: 'Hair coloring (11003)', value: 11003 },
			{ name: 'Beard trim (11004)', value: 11004 },
		]);
		expect(sandbox().requests.map((request) => `${request.method} ${request.path}`)).toEqual([
			'GET /api/v1/company/38726/services',
		]);
	});

	test('another location lists its own services', async () => {
		const ctx = sandboxLoadOptions(sandbox(), {
			locationId: { __rl: true, mode: 'id', value: '38545' },
		});

		expect((await getServices.call(ctx)).map((option) => option.value)).toEqual([21001, 21002]);
	});

	test('without a chosen location: a message that says to choose it', async () => {
		const ctx = sandboxLoadOptions(sandbox(), {
			locationId: { __rl: true, mode: 'list', value: '' },
		});

		expect((await caught(getServices.call(ctx))).message).toMatch(/^Choose the location first/);
	});
});
