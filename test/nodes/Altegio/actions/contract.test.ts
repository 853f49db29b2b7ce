import { NodeHelpers, type INode, type INodeProperties } from 'n8n-workflow';

import { Altegio } from '../../../../nodes/Altegio/Altegio.node';
import { resources } from '../../../../nodes/Altegio/actions';

/** The names saved workflows hold (issue 11, "Public contract"): renaming one breaks them. */
const CONTRACT: Record<string, Record<string, string[]>> = {
	client: {
		get: ['locationId', 'clientId'],
		getAll: ['locationId', 'returnAll', 'limit', 'filters'],
		create: ['locationId', 'name', 'phone', 'additionalFields'],
		update: ['locationId', 'clientId', 'updateFields'],
		delete: ['locationId', 'clientId'],
		getVisitHistory: ['locationId', 'clientId', 'returnAll', 'limit', 'filters'],
	},
	appointment: {
		get: ['locationId', 'appointmentId'],
		getAll: ['locationId', 'returnAll', 'limit', 'filters'],
		getAvailableTimes: ['locationId', 'teamMemberId', 'date', 'serviceIds'],
		create: [
			'locationId',
			'teamMemberId',
			'serviceIds',
			'startAt',
			'durationMinutes',
			'clientPhone',
			'clientName',
			'additionalFields',
		],
		update: ['locationId', 'appointmentId', 'updateFields'],
		delete: ['locationId', 'appointmentId'],
		setAttendance: ['locationId', 'appointmentId', 'attendance'],
		getAvailableDates: ['locationId', 'teamMemberId', 'serviceIds', 'startDate', 'endDate'],
	},
	service: { getAll: ['locationId', 'filters'] },
	teamMember: {
		getAll: ['locationId'],
		getSchedule: ['locationId', 'teamMemberId', 'startDate', 'endDate'],
	},
	loyaltyCard: { getByPhone: ['chainId', 'locationId', 'phone'] },
	financeTransaction: { getAll: ['locationId', 'returnAll', 'limit', 'filters'] },
};

/** Whether a field is shown in node version `version` (1 or 1.1), as its `@version` condition says. */
function shownIn(field: INodeProperties, version: number): boolean {
	const condition = field.displayOptions?.show?.['@version'];
	if (condition === undefined) return true;
	return condition.some((entry) =>
		typeof entry === 'object' && entry !== null && '_cnd' in entry
			? version >= Number((entry._cnd as { gte?: number }).gte)
			: entry === version,
	);
}

const fieldsOf = (resource: string, operation: string, version = 1) =>
	(resources as Record<string, { operations: Record<string, { description: INodeProperties[] }> }>)[
		resource
	].operations[operation].description.filter((field) => shownIn(field, version));

const option = (list: INodeProperties[], field: string, name: string) =>
	(list.find((property) => property.name === field)?.options as INodeProperties[]).find(
		(entry) => entry.name === name,
	);

describe('the public contract of the new operations', () => {
	test.each(
		[1, 1.1].flatMap((version) =>
			Object.entries(CONTRACT).flatMap(([resource, operations]) =>
				Object.entries(operations).map(
					([operation, names]) => [version, resource, operation, names] as const,
				),
			),
		),
	)('version %s: %s → %s has exactly the parameters %p', (version, resource, operation, names) => {
		expect(fieldsOf(resource, operation, version).map((field) => field.name)).toEqual(names);
	});

	test.each([
		['appointment', 'create', 'teamMemberId', 'serviceIds'],
		['appointment', 'getAvailableTimes', 'teamMemberId', 'serviceIds'],
		['appointment', 'getAvailableDates', 'teamMemberId', 'serviceIds'],
		['teamMember', 'getSchedule', 'teamMemberId', undefined],
		['financeTransaction', 'getAll', 'filters.teamMemberId', undefined],
		['service', 'getAll', 'filters.teamMemberId', undefined],
		['appointment', 'getAll', 'filters.teamMemberId', undefined],
	])(
		'%s → %s: version 1 keeps the text fields, version 1.1 picks the team member (and services) from lists',
		(resource, operation, member, services) => {
			const find = (version: number, path: string) => {
				const [first, second] = path.split('.');
				const field = fieldsOf(resource, operation, version).find((entry) => entry.name === first);
				return second === undefined ? field : option([field as INodeProperties], first, second);
			};
			expect(find(1, member)?.type).toBe('string');
			expect(find(1.1, member)?.type).toBe('resourceLocator');
			expect(find(1.1, member)?.modes?.[0].typeOptions?.searchListMethod).toBe('searchTeamMembers');
			if (services !== undefined) {
				expect(find(1, services)?.type).toBe('string');
				expect(find(1.1, services)?.type).toBe('multiOptions');
				expect(find(1.1, services)?.typeOptions?.loadOptionsMethod).toBe('getServices');
			}
		},
	);

	test('locationId is a resource locator with a searchable list and an ID mode', () => {
		for (const [resource, operations] of Object.entries(CONTRACT)) {
			for (const operation of Object.keys(operations)) {
				const field = fieldsOf(resource, operation).find((entry) => entry.name === 'locationId');
				expect(field?.type).toBe('resourceLocator');
				expect(field?.modes?.map((mode) => mode.name)).toEqual(['list', 'id']);
				expect(field?.modes?.[0].typeOptions?.searchListMethod).toBe('searchLocations');
			}
		}
	});

	test('the collections hold at least the documented options', () => {
		expect(option(fieldsOf('client', 'getAll'), 'filters', 'search')).toBeDefined();
		for (const name of [
			'clientId',
			'teamMemberId',
			'startDate',
			'endDate',
			'changedAfter',
			'changedBefore',
		]) {
			expect(option(fieldsOf('appointment', 'getAll'), 'filters', name)).toBeDefined();
		}
		for (const name of ['startDate', 'endDate', 'clientId', 'teamMemberId', 'appointmentId']) {
			expect(option(fieldsOf('financeTransaction', 'getAll'), 'filters', name)).toBeDefined();
		}
		for (const name of ['clientEmail', 'comment', 'sendSms']) {
			expect(option(fieldsOf('appointment', 'create'), 'additionalFields', name)).toBeDefined();
		}
	});

	test('every operation that writes says so to a model, and every read says it changes nothing', () => {
		for (const [resource, operations] of Object.entries(CONTRACT)) {
			for (const operation of Object.keys(operations)) {
				const { option: entry } = (
					resources as unknown as Record<
						string,
						{ operations: Record<string, { option: { description: string } }> }
					>
				)[resource].operations[operation];
				const writes = WRITES.includes(`${resource}.${operation}`);
				expect(entry.description).toMatch(writes ? /This writes to Altegio/ : /Changes nothing\.$/);
			}
		}
	});
});

/**
 * What a model reads about each tool in n8n's default tool mode ("Set Automatically"): n8n builds
 * it from the operation's `action` and the node's default name only ("<action> in Altegio"); the
 * option descriptions never reach the model (issue 18).
 */
const TOOL_DESCRIPTIONS: Record<string, Record<string, string>> = {
	appointment: {
		get: 'Get an appointment (read-only) in Altegio',
		getAll: 'Get many appointments (read-only) in Altegio',
		getAvailableTimes: 'Get available times for an appointment (read-only) in Altegio',
		create: 'Create an appointment (writes; may text the client) in Altegio',
		update: 'Update an appointment (writes; may notify the client) in Altegio',
		delete: 'Delete an appointment (no undo; frees slot, may notify) in Altegio',
		getAvailableDates: 'Get available dates for an appointment (read-only) in Altegio',
		setAttendance: 'Set appointment attendance (writes; may notify client) in Altegio',
	},
	chain: { getAll: 'Get many chains (read-only) in Altegio' },
	chainClient: { getByPhone: 'Get a chain client by phone (read-only) in Altegio' },
	client: {
		get: 'Get a client (read-only) in Altegio',
		getAll: 'Get many clients (read-only) in Altegio',
		create: 'Create a client (writes; allows a duplicate phone) in Altegio',
		update: 'Update a client (writes; no undo of changed fields) in Altegio',
		delete: 'Delete a client (no undo; erases the client card) in Altegio',
		getVisitHistory: "Get a client's visit history (read-only) in Altegio",
	},
	loyaltyCard: { getByPhone: 'Get loyalty cards by phone (read-only) in Altegio' },
	financeTransaction: { getAll: 'Get many finance transactions (read-only) in Altegio' },
	service: { getAll: 'Get many services (read-only) in Altegio' },
	teamMember: {
		getAll: 'Get many team members (read-only) in Altegio',
		getSchedule: "Get a team member's schedule (read-only) in Altegio",
	},
};

/** The operations that change data in Altegio; every other one must say that it only reads. */
const WRITES = [
	'appointment.create',
	'appointment.update',
	'appointment.delete',
	'appointment.setAttendance',
	'client.create',
	'client.update',
	'client.delete',
];

/** The description of the tool variant as n8n builds it: a copy whose name ends in "Tool". */
const toolVariant = {
	...new Altegio().description,
	name: 'altegioTool',
	outputs: ['ai_tool'],
} as never;

const toolDescription = (resource: string, operation: string) => {
	const node: INode = {
		id: 'tool',
		name: 'Altegio tool',
		type: 'n8n-nodes-altegio.altegioTool',
		typeVersion: 1,
		position: [0, 0],
		parameters: { descriptionType: 'auto', toolDescription: '', resource, operation },
	};
	return NodeHelpers.getToolDescriptionForNode(node, new Altegio());
};

describe('what a model reads about each Altegio tool in the default tool mode', () => {
	const all = Object.entries(resources).flatMap(([resource, { operations }]) =>
		Object.keys(operations).map((operation) => [resource, operation] as const),
	);

	test('the table covers every operation the node has', () => {
		expect(all.map(([r, o]) => `${r}.${o}`).sort()).toEqual(
			Object.entries(TOOL_DESCRIPTIONS)
				.flatMap(([r, ops]) => Object.keys(ops).map((o) => `${r}.${o}`))
				.sort(),
		);
	});

	test.each(all)('%s → %s', (resource, operation) => {
		expect(toolDescription(resource, operation)).toBe(TOOL_DESCRIPTIONS[resource][operation]);
	});

	test.each(all)(
		'%s → %s says whether it writes, and a write says what it cannot undo',
		(resource, operation) => {
			const text = toolDescription(resource, operation);
			if (WRITES.includes(`${resource}.${operation}`)) {
				expect(text).toMatch(/^[A-Z][a-z]+ [^()]+ \((writes|no undo); [^()]+\) in Altegio$/);
			} else {
				expect(text).toMatch(/^Get [^()]+ \(read-only\) in Altegio$/);
			}
		},
	);

	// A new tool node is named after the same text, and the node name becomes the tool name: n8n
	// 1.x sends it whole (only runs of other characters become "_"), and OpenAI and Anthropic
	// refuse tool names longer than 64 characters.
	test.each(all)(
		'%s → %s gives a default tool name of at most 64 characters',
		(resource, operation) => {
			const name = NodeHelpers.makeNodeName({ resource, operation }, toolVariant);
			expect(name).toBe(TOOL_DESCRIPTIONS[resource][operation]);
			expect(name.replace(/[^a-zA-Z0-9_-]+/g, '_').length).toBeLessThanOrEqual(64);
		},
	);

	test('a manual description left blank falls back to the same text', () => {
		const node: INode = {
			id: 'tool',
			name: 'Altegio tool',
			type: 'n8n-nodes-altegio.altegioTool',
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				descriptionType: 'manual',
				toolDescription: ' ',
				resource: 'appointment',
				operation: 'delete',
			},
		};
		expect(NodeHelpers.getToolDescriptionForNode(node, new Altegio())).toBe(
			TOOL_DESCRIPTIONS.appointment.delete,
		);
	});
});

describe('the attendance options', () => {
	test('Set Attendance offers the four named values, each saying what it means', () => {
		const field = fieldsOf('appointment', 'setAttendance').find(
			(entry) => entry.name === 'attendance',
		);
		expect(field?.type).toBe('options');
		expect((field?.options as Array<{ value: string }>).map((entry) => entry.value).sort()).toEqual(
			['arrived', 'confirmed', 'noShow', 'waiting'],
		);
		expect(field?.description).toMatch(/may notify the client/);
	});
});
