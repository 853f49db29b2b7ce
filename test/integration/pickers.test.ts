import type { IDataObject, INode } from 'n8n-workflow';

import { runAltegio } from '../helpers/engine';
import { locationId, requestsOf, sent } from '../helpers/locations';
import { sandboxCredentials, useSandbox } from '../helpers/sandbox';
import v1 from '../fixtures/workflows/team-and-services-v1.json';
import v11 from '../fixtures/workflows/team-and-services-v1.1.json';

const sandbox = useSandbox({ rateLimit: false });

/**
 * `team-and-services-v1.json` is a workflow as node version 1 (the current release) saves it:
 * Team Member ID and Service IDs as text. `team-and-services-v1.1.json` holds the same nodes as
 * version 1.1 saves them: the team member picked from the list, by ID or by an expression, and the
 * services picked from the list (a list of IDs) or given by an expression.
 */
const EXPECTED: Record<string, unknown[]> = {
	Book: [
		sent('POST', '/records/38726', {
			body: {
				save_if_busy: false,
				send_sms: false,
				staff_id: 2001,
				services: [{ id: 11001 }, { id: 11002 }],
				datetime: '2026-12-16T11:00:00-05:00',
				seance_length: 5400,
				client: { phone: '+14264037640', name: 'Olivia Brown' },
			},
		}),
	],
	'Free times': [
		{
			...sent('GET', '/book_times/38726/2001/2026-12-14', { query: { 'service_ids[]': '11001' } }),
			// The online-booking endpoint is documented for the partner token alone.
			authorization: expect.stringMatching(/^Bearer [^,]+$/),
		},
	],
	"Emma's appointments": [
		sent('GET', '/records/38726', { query: { staff_id: '2001', page: '1', count: '5' } }),
	],
	"Liam's services": [sent('GET', '/company/38726/services', { query: { staff_id: '2002' } })],
	Move: [
		sent('GET', '/record/38726/61000002'),
		sent('PUT', '/record/38726/61000002', {
			body: {
				staff_id: 2002,
				services: [{ id: 11002 }],
				datetime: '2026-12-14T10:30:00-05:00',
				seance_length: 3600,
				save_if_busy: false,
				send_sms: false,
				client: { phone: '+14264037640', name: 'Olivia', email: 'olivia@example.com' },
				comment: 'Prefers the window seat',
				attendance: 2,
				api_id: '',
				custom_color: '',
			},
		}),
	],
};

/** What each node gives: how many items, and what they say about the team member. */
const ITEMS: Record<string, { count: number; staff?: number }> = {
	Book: { count: 1, staff: 2001 },
	'Free times': { count: 14 },
	"Emma's appointments": { count: 2, staff: 2001 },
	"Liam's services": { count: 2 },
	Move: { count: 1, staff: 2002 },
};

type SavedWorkflow = { nodes: unknown[] };

async function runSaved(workflow: SavedWorkflow, name: string) {
	const node = (workflow.nodes as INode[]).find((entry) => entry.name === name) as INode;
	return await runAltegio({
		parameters: node.parameters,
		typeVersion: node.typeVersion,
		credentials: sandboxCredentials(sandbox()),
	});
}

describe.each([
	['1 (saved with the current release, IDs as text)', v1 as SavedWorkflow, 1],
	['1.1 (picked from the lists, by ID and by expression)', v11 as SavedWorkflow, 1.1],
])('a workflow of node version %s', (_label, workflow, version) => {
	test('is saved with that version', () => {
		const versions = (workflow.nodes as INode[])
			.filter((node) => node.type === 'n8n-nodes-altegio.altegio')
			.map((node) => node.typeVersion);
		expect(versions).toEqual([version, version, version, version, version]);
	});

	test.each(Object.keys(EXPECTED))('"%s" sends exactly the request of version 1', async (name) => {
		const result = await runSaved(workflow, name);

		expect(result.error).toBeUndefined();
		expect(requestsOf(sandbox())).toEqual(EXPECTED[name]);
		const items = result.outputs[0];
		expect(items).toHaveLength(ITEMS[name].count);
		expect(items.every((item) => (item.pairedItem as { item: number }).item === 0)).toBe(true);
		if (ITEMS[name].staff !== undefined) {
			expect(items.map((item) => item.json.staff_id)).toEqual(items.map(() => ITEMS[name].staff));
		}
	});
});

describe('version 1.1: an expression that gives no ID', () => {
	const book = (v11.nodes as INode[]).find((node) => node.name === 'Book') as INode;

	test.each([
		[
			{ serviceIds: '={{ "haircut" }}' },
			'The service ID "haircut" is not a positive whole number [item 0]',
		],
		[
			{ teamMemberId: { __rl: true, mode: 'list', value: '={{ "Emma" }}' } },
			'The team member ID "Emma" is not a positive whole number [item 0]',
		],
	])('%p fails the item before any request: %s', async (change, message) => {
		const result = await runAltegio({
			parameters: { ...book.parameters, ...change },
			typeVersion: 1.1,
			credentials: sandboxCredentials(sandbox()),
		});

		expect(result.error?.message).toBe(message);
		expect(requestsOf(sandbox())).toEqual([]);
	});
});

const picked = (value: string) => ({ __rl: true, mode: 'list', value });
const PARTNER_ONLY = 'Bearer sandbox-partner-token-3f9a';

/**
 * The operations added with Get Available Dates: each run as version 1 saves it (IDs as text) and
 * as version 1.1 saves it with the team member and services picked from the lists.
 */
const LATER_OPERATIONS: Array<{
	name: string;
	common: IDataObject;
	v1: IDataObject;
	v11: IDataObject;
	requests: unknown[];
	count: number;
}> = [
	{
		name: 'Appointment → Get Available Dates',
		common: {
			resource: 'appointment',
			operation: 'getAvailableDates',
			locationId: locationId('38726'),
			startDate: '2026-12-14',
			endDate: '2026-12-15',
		},
		v1: { teamMemberId: '2001', serviceIds: '11001, 11002' },
		v11: { teamMemberId: picked('2001'), serviceIds: [11001, 11002] },
		requests: [
			{
				...sent('GET', '/book_dates/38726', {
					query: {
						'service_ids[]': ['11001', '11002'],
						staff_id: '2001',
						date_from: '2026-12-14',
						date_to: '2026-12-15',
					},
				}),
				authorization: PARTNER_ONLY,
			},
		],
		count: 2,
	},
	{
		name: 'Appointment → Get Available Dates, any team member',
		common: {
			resource: 'appointment',
			operation: 'getAvailableDates',
			locationId: locationId('38726'),
			startDate: '2026-12-14',
			endDate: '2026-12-14',
		},
		v1: { teamMemberId: '', serviceIds: '11001' },
		v11: { teamMemberId: picked(''), serviceIds: [11001] },
		requests: [
			{
				...sent('GET', '/book_dates/38726', {
					query: {
						'service_ids[]': '11001',
						staff_id: '0',
						date_from: '2026-12-14',
						date_to: '2026-12-14',
					},
				}),
				authorization: PARTNER_ONLY,
			},
		],
		count: 1,
	},
	{
		name: 'Team Member → Get Schedule',
		common: {
			resource: 'teamMember',
			operation: 'getSchedule',
			locationId: locationId('38726'),
			startDate: '2026-12-14',
			endDate: '2026-12-16',
		},
		v1: { teamMemberId: '2002' },
		v11: { teamMemberId: picked('2002') },
		requests: [sent('GET', '/schedule/38726/2002/2026-12-14/2026-12-16')],
		count: 3,
	},
	{
		name: 'Finance Transaction → Get Many, team member filter',
		common: {
			resource: 'financeTransaction',
			operation: 'getAll',
			locationId: locationId('38726'),
			returnAll: false,
			limit: 2,
		},
		v1: { filters: { teamMemberId: '2001' } },
		v11: { filters: { teamMemberId: picked('2001') } },
		requests: [
			sent('GET', '/transactions/38726', {
				query: { page: '1', count: '2', master_id: '2001' },
			}),
		],
		count: 2,
	},
];

describe.each(LATER_OPERATIONS)('$name', ({ common, v1: text, v11: lists, requests, count }) => {
	test.each([
		['1, IDs as text', text, 1],
		['1.1, picked from the lists', lists, 1.1],
	])('version %s: exactly the same request', async (_label, values, typeVersion) => {
		const result = await runAltegio({
			parameters: { ...common, ...values },
			typeVersion,
			credentials: sandboxCredentials(sandbox()),
		});

		expect(result.error).toBeUndefined();
		expect(requestsOf(sandbox())).toEqual(requests);
		expect(result.outputs[0]).toHaveLength(count);
	});
});
