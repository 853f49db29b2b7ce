import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readId, readIdList } from './fields';

/**
 * Team members and services are picked from lists from node version 1.1 on. Version 1 saved them
 * as text ("2001", "11001, 11002"); a list picker saves another shape (a resource locator, a list),
 * so a workflow saved with version 1 keeps its text fields and version 1.1 shows the pickers.
 */
export const PICKER_VERSION = 1.1;

export const TEAM_MEMBER_EXAMPLE = 2001;
export const SERVICE_EXAMPLE = 11001;

/** `true` builds a field of version 1.1 (a picker), `false` the text field of version 1. */
export type Pickers = boolean;

const ONLY_V1 = { '@version': [1] };
const FROM_V1_1 = { '@version': [{ _cnd: { gte: PICKER_VERSION } }] };

/**
 * The fields of an operation for both node versions. `build` is called once for each; a field that
 * is the same in both is listed once, any other once per version, shown only for its version.
 */
export function byVersion(build: (pickers: Pickers) => INodeProperties[]): INodeProperties[] {
	const v1 = build(false);
	const v11 = build(true);
	if (v1.length !== v11.length) throw new Error('byVersion: both versions need the same fields');
	return v1.flatMap((field, index) => {
		const other = v11[index];
		if (JSON.stringify(field) === JSON.stringify(other)) return [field];
		return [onlyFor(field, ONLY_V1), onlyFor(other, FROM_V1_1)];
	});
}

function onlyFor(field: INodeProperties, version: IDataObject): INodeProperties {
	const show = { ...field.displayOptions?.show, ...version } as NonNullable<
		INodeProperties['displayOptions']
	>['show'];
	return { ...field, displayOptions: { ...field.displayOptions, show } };
}

interface FieldText {
	displayName?: string;
	/** What the picker of version 1.1 says. */
	description: string;
	/** What the ID field of version 1 says. */
	idDescription: string;
	required?: boolean;
}

/** The team member: a text ID in version 1; from 1.1 a list of the location's team members, or an ID. */
export function teamMemberField(
	pickers: Pickers,
	{ displayName, description, idDescription, required = false }: FieldText,
): INodeProperties {
	const common = { name: 'teamMemberId', ...(required ? { required: true } : {}) };
	if (!pickers) {
		return {
			description: idDescription,
			displayName: displayName ?? 'Team Member ID',
			...common,
			type: 'string',
			default: '',
			placeholder: `e.g. ${TEAM_MEMBER_EXAMPLE}`,
		};
	}
	return {
		displayName: displayName ?? 'Team Member',
		...common,
		description,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a team member...',
				typeOptions: { searchListMethod: 'searchTeamMembers', searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: `e.g. ${TEAM_MEMBER_EXAMPLE}`,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^\\s*[0-9]+\\s*$',
							errorMessage: 'A team member ID is a whole number',
						},
					},
				],
			},
		],
	};
}

/**
 * The services: IDs separated by commas in version 1; from 1.1 several picked from the location's
 * services (an expression can still give IDs, as a list or as "11001, 11002").
 */
export function servicesField(
	pickers: Pickers,
	{ displayName, description, idDescription, required = false }: FieldText,
): INodeProperties {
	const common = { name: 'serviceIds', ...(required ? { required: true } : {}) };
	if (!pickers) {
		return {
			description: idDescription,
			displayName: displayName ?? 'Service IDs',
			...common,
			type: 'string',
			default: '',
			placeholder: `e.g. ${SERVICE_EXAMPLE}, ${SERVICE_EXAMPLE + 1}`,
		};
	}
	return {
		displayName: displayName ?? 'Service Names or IDs',
		...common,
		description: `${description}. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
		type: 'multiOptions',
		default: [],
		typeOptions: { loadOptionsMethod: 'getServices', loadOptionsDependsOn: ['locationId.value'] },
	};
}

/** The value of a resource locator (`{ __rl, mode, value }`), or the value itself as version 1 saved it. */
export function locatorValue(value: unknown): unknown {
	if (typeof value === 'object' && value !== null && !Array.isArray(value) && '__rl' in value) {
		return (value as { value?: unknown }).value;
	}
	return value;
}

/** `true` when a field left optional holds a value: not empty text, an empty list or an empty locator. */
export function isGiven(value: unknown): boolean {
	const inner = locatorValue(value);
	if (inner === undefined || inner === null) return false;
	if (Array.isArray(inner)) return inner.length > 0;
	return String(inner).trim() !== '';
}

/** Reads a team member as either version saved it: text, a number, or a resource locator. */
export function readTeamMember(this: IExecuteFunctions, value: unknown, itemIndex: number): number {
	return readId.call(this, locatorValue(value), 'team member', itemIndex, TEAM_MEMBER_EXAMPLE);
}

/** Reads services as either version saved them: "11001, 11002", one number, or a list. */
export function readServices(this: IExecuteFunctions, value: unknown, itemIndex: number): number[] {
	return readIdList.call(this, value, 'service', itemIndex, SERVICE_EXAMPLE);
}

/** Reads the required `teamMemberId` parameter. */
export function readTeamMemberParameter(this: IExecuteFunctions, itemIndex: number): number {
	return readTeamMember.call(this, this.getNodeParameter('teamMemberId', itemIndex, ''), itemIndex);
}

/** Reads the `serviceIds` parameter; no services when it is left empty. */
export function readServicesParameter(this: IExecuteFunctions, itemIndex: number): number[] {
	const services = this.getNodeParameter('serviceIds', itemIndex, '');
	return isGiven(services) ? readServices.call(this, services, itemIndex) : [];
}
