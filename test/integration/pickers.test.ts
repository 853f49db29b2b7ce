import type { INode } from 'n8n-workflow';

import { runAltegio } from '../helpers/engine';
import { requestsOf, sent } from '../helpers/locations';
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
