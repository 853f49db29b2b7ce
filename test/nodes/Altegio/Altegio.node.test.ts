import type {
	INodeProperties,
	INodePropertyModeTypeOptions,
	INodePropertyOptions,
} from 'n8n-workflow';

import { Altegio } from '../../../nodes/Altegio/Altegio.node';
import { DEFAULT_POLICY } from '../../../nodes/Altegio/actions/options';
import { fakeExecuteFunctions, fixture, respond } from '../../helpers/fakeExecuteFunctions';
import { subtitleOf } from '../../helpers/subtitle';

const node = new Altegio();
const { description } = node;
const properties = description.properties;

const resourceProperty = properties.find(
	(property) => property.name === 'resource',
) as INodeProperties;
const resourceValues = (resourceProperty.options as INodePropertyOptions[]).map((option) =>
	String(option.value),
);
const operationDropdowns = properties.filter((property) => property.name === 'operation');

function dropdownOf(resource: string): INodeProperties {
	const dropdown = operationDropdowns.find((property) =>
		property.displayOptions?.show?.resource?.includes(resource),
	);
	if (dropdown === undefined)
		throw new Error(`No Operation dropdown for the resource "${resource}"`);
	return dropdown;
}

function operationOption(
	resource: string,
	operation: string,
): INodePropertyOptions & { action?: string } {
	const option = (dropdownOf(resource).options as INodePropertyOptions[]).find(
		(entry) => entry.value === operation,
	);
	if (option === undefined)
		throw new Error(`No operation "${operation}" for the resource "${resource}"`);
	return option;
}

/** The fields that belong to one operation: everything except Resource, the dropdowns and Options. */
const operationFields = properties.filter(
	(property) => !['resource', 'operation', 'options'].includes(property.name),
);

describe('Altegio node description', () => {
	test('identity: name, display name, version, group, defaults', () => {
		expect(description.name).toBe('altegio');
		expect(description.displayName).toBe('Altegio');
		// Version 1.1 shows the team member and service pickers; workflows saved with 1 keep their fields.
		expect(description.version).toEqual([1, 1.1]);
		expect(description.defaultVersion).toBe(1.1);
		expect(description.defaults).toEqual({ name: 'Altegio' });
		expect(description.description).toBe(
			'Look up clients and book appointments in Altegio or YCLIENTS',
		);
	});

	test('usable as an AI tool, one main input and output, the Altegio API credential', () => {
		expect(description.usableAsTool).toBe(true);
		expect(description.inputs).toEqual(['main']);
		expect(description.outputs).toEqual(['main']);
		expect(description.credentials).toEqual([{ name: 'altegioApi', required: true }]);
	});

	test('icons for light and dark themes', () => {
		expect(description.icon).toEqual({ light: 'file:altegio.svg', dark: 'file:altegio.dark.svg' });
	});

	test.each([
		['chainClient', 'getByPhone', 'Get by Phone: Chain Client'],
		['appointment', 'getAvailableTimes', 'Get Available Times: Appointment'],
		['appointment', 'create', 'Create: Appointment'],
		['teamMember', 'getAll', 'Get Many: Team Member'],
		['loyaltyCard', 'getByPhone', 'Get by Phone: Loyalty Card'],
	])('the subtitle of %s → %s reads "%s"', (resource, operation, expected) => {
		expect(subtitleOf(node, { resource, operation })).toBe(expected);
	});

	test('the subtitle names every operation of every resource', () => {
		for (const resource of resourceValues) {
			const resourceName = (resourceProperty.options as INodePropertyOptions[]).find(
				(entry) => entry.value === resource,
			)?.name;
			for (const entry of dropdownOf(resource).options as INodePropertyOptions[]) {
				expect(subtitleOf(node, { resource, operation: String(entry.value) })).toBe(
					`${entry.name}: ${resourceName}`,
				);
			}
		}
	});

	test('Resource is a fixed dropdown of every resource, sorted by name, Chain the default', () => {
		expect(resourceProperty).toMatchObject({
			type: 'options',
			noDataExpression: true,
			default: 'chain',
		});
		expect(resourceProperty.options).toEqual([
			{ name: 'Appointment', value: 'appointment' },
			{ name: 'Chain', value: 'chain' },
			{ name: 'Chain Client', value: 'chainClient' },
			{ name: 'Client', value: 'client' },
			{ name: 'Finance Transaction', value: 'financeTransaction' },
			{ name: 'Loyalty Card', value: 'loyaltyCard' },
			{ name: 'Service', value: 'service' },
			{ name: 'Team Member', value: 'teamMember' },
		]);
	});

	test('every resource has exactly one Operation dropdown, shown only for it, defaulting to one of its options', () => {
		expect(operationDropdowns).toHaveLength(resourceValues.length);
		for (const resource of resourceValues) {
			const dropdown = dropdownOf(resource);
			expect(dropdown.type).toBe('options');
			expect(dropdown.noDataExpression).toBe(true);
			expect(dropdown.displayOptions).toEqual({ show: { resource: [resource] } });
			const values = (dropdown.options as INodePropertyOptions[]).map((option) => option.value);
			expect(values).toContain(dropdown.default);
		}
	});

	test('every operation option has a camelCase value, a name, an action and a description', () => {
		for (const dropdown of operationDropdowns) {
			for (const option of dropdown.options as Array<INodePropertyOptions & { action?: string }>) {
				expect(option.value).toMatch(/^[a-z][a-zA-Z0-9]*$/);
				for (const text of [option.name, option.action, option.description]) {
					expect(typeof text).toBe('string');
					expect((text as string).trim()).not.toBe('');
				}
			}
		}
	});

	test('Chain → Get Many, "Get many chains (read-only)"', () => {
		expect(operationOption('chain', 'getAll')).toMatchObject({
			name: 'Get Many',
			action: 'Get many chains (read-only)',
		});
		expect(
			(dropdownOf('chain').options as INodePropertyOptions[]).map((option) => option.value),
		).toEqual(['getAll']);
	});

	test('Chain Client → Get by Phone, "Get a chain client by phone (read-only)"', () => {
		expect(operationOption('chainClient', 'getByPhone')).toMatchObject({
			name: 'Get by Phone',
			action: 'Get a chain client by phone (read-only)',
		});
		expect(
			(dropdownOf('chainClient').options as INodePropertyOptions[]).map((option) => option.value),
		).toEqual(['getByPhone']);
	});

	test('every operation field is shown only for its resource and operation', () => {
		expect(
			operationFields
				.filter((field) => field.displayOptions?.show?.resource?.[0] === 'chainClient')
				.map((field) => field.name),
		).toEqual(['chainId', 'phone']);
		for (const field of operationFields) {
			const show = field.displayOptions?.show ?? {};
			// Limit is also shown only while Return All is off.
			expect(
				Object.keys(show)
					.filter((key) => field.name !== 'limit' || key !== 'returnAll')
					.filter((key) => key !== '@version')
					.sort(),
			).toEqual(['operation', 'resource']);
			expect(show.resource).toHaveLength(1);
			expect(show.operation).toHaveLength(1);
			const resource = String(show.resource?.[0]);
			const operation = String(show.operation?.[0]);
			expect(() => operationOption(resource, operation)).not.toThrow();
		}
		for (const name of ['chainId', 'phone']) {
			expect(operationFields.find((field) => field.name === name)?.displayOptions).toEqual({
				show: { resource: ['chainClient'], operation: ['getByPhone'] },
			});
		}
	});

	test('Chain is a required resource locator: From List (searchChains, searchable) and By ID', () => {
		const chainId = operationFields.find((field) => field.name === 'chainId') as INodeProperties;

		expect(chainId).toMatchObject({
			displayName: 'Chain',
			type: 'resourceLocator',
			required: true,
			default: { mode: 'list', value: '' },
		});
		expect(chainId.modes?.map((mode) => [mode.name, mode.type])).toEqual([
			['list', 'list'],
			['id', 'string'],
		]);
		const list = chainId.modes?.[0].typeOptions as INodePropertyModeTypeOptions;
		expect(list.searchListMethod).toBe('searchChains');
		expect(list.searchable).toBe(true);
	});

	test('the By ID mode accepts whole numbers (spaces around allowed) and nothing else', () => {
		const chainId = operationFields.find((field) => field.name === 'chainId') as INodeProperties;
		const validation = chainId.modes?.[1].validation?.[0] as {
			type: string;
			properties: { regex: string };
		};
		expect(validation.type).toBe('regex');
		const regex = new RegExp(validation.properties.regex);

		for (const ok of ['509', ' 509 ', '1509']) expect(regex.test(ok)).toBe(true);
		for (const bad of ['abc', '509/../777', '-1', '', '5 09', '1e3'])
			expect(regex.test(bad)).toBe(false);
	});

	test('Phone is a required text field', () => {
		expect(operationFields.find((field) => field.name === 'phone')).toMatchObject({
			displayName: 'Phone',
			type: 'string',
			required: true,
			default: '',
		});
	});

	test('Options: Max Retries (default 3, 0–10) and Timeout (default 30000 ms)', () => {
		const options = properties.find((property) => property.name === 'options') as INodeProperties;

		expect(options.type).toBe('collection');
		expect(options.default).toEqual({});
		const fields = options.options as INodeProperties[];
		expect(fields.map((field) => [field.name, field.type, field.default])).toEqual([
			['maxRetries', 'number', 3],
			['timeout', 'number', 30_000],
		]);
		expect(fields[0].typeOptions).toEqual({ minValue: 0, maxValue: 10, numberPrecision: 0 });
		expect(fields[1].typeOptions).toEqual({ minValue: 1, maxValue: 300_000 });
		expect(fields.map((field) => field.default)).toEqual([
			DEFAULT_POLICY.maxRetries,
			DEFAULT_POLICY.timeout,
		]);
	});

	test('property names are unique per resource and operation', () => {
		const seen = new Set<string>();
		for (const property of properties) {
			const key = `${property.name} ${JSON.stringify(property.displayOptions ?? {})}`;
			expect(seen.has(key)).toBe(false);
			seen.add(key);
		}
	});

	test('methods.listSearch.searchChains is there for the locator', () => {
		expect(typeof node.methods.listSearch.searchChains).toBe('function');
	});
});

describe('Altegio node execute', () => {
	test('runs the chosen operation for the input items', async () => {
		const ctx = fakeExecuteFunctions({ parameters: { resource: 'chain', operation: 'getAll' } });
		ctx.helpers.httpRequestWithAuthentication.mockResolvedValue(
			respond(200, fixture('groups.json')),
		);

		const output = await node.execute.call(ctx);

		expect(output).toHaveLength(1);
		expect(output[0].map((item) => [item.json.id, item.pairedItem])).toEqual([
			[509, { item: 0 }],
			[508, { item: 0 }],
			[1509, { item: 0 }],
		]);
	});
});
