import type { INodeProperties } from 'n8n-workflow';

import { resources } from '../../../../nodes/Altegio/actions';

/** The names saved workflows hold (issue 11, "Public contract"): renaming one breaks them. */
const CONTRACT: Record<string, Record<string, string[]>> = {
	client: {
		get: ['locationId', 'clientId'],
		getAll: ['locationId', 'returnAll', 'limit', 'filters'],
		create: ['locationId', 'name', 'phone', 'additionalFields'],
		update: ['locationId', 'clientId', 'updateFields'],
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
	},
	service: { getAll: ['locationId', 'filters'] },
	teamMember: { getAll: ['locationId'] },
	loyaltyCard: { getByPhone: ['chainId', 'locationId', 'phone'] },
};

const fieldsOf = (resource: string, operation: string) =>
	(resources as Record<string, { operations: Record<string, { description: INodeProperties[] }> }>)[
		resource
	].operations[operation].description;

const option = (list: INodeProperties[], field: string, name: string) =>
	(list.find((property) => property.name === field)?.options as INodeProperties[]).find(
		(entry) => entry.name === name,
	);

describe('the public contract of the new operations', () => {
	test.each(
		Object.entries(CONTRACT).flatMap(([resource, operations]) =>
			Object.entries(operations).map(([operation, names]) => [resource, operation, names] as const),
		),
	)('%s → %s has exactly the parameters %p', (resource, operation, names) => {
		expect(fieldsOf(resource, operation).map((field) => field.name)).toEqual(names);
	});

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
				const writes = ['create', 'update', 'delete'].includes(operation);
				expect(entry.description).toMatch(writes ? /This writes to Altegio/ : /Changes nothing\.$/);
			}
		}
	});
});
