import type { INodeProperties } from 'n8n-workflow';

import { locationLocator } from '../Altegio/actions/common.descriptions';
import { EVENTS, STATUSES } from './events';

const STATUS_NAMES = { create: 'Created', delete: 'Deleted', update: 'Updated' } as const;

export const properties: INodeProperties[] = [
	locationLocator,
	{
		displayName:
			'Altegio sends the chosen kinds of events to every webhook address of the location, including those of other apps, and publishing switches sending on for the location. This trigger keeps the other addresses and never switches off a setting Altegio shows it, and it filters what it receives to the events and statuses below.',
		name: 'sharedSettingsNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['appointment'],
		description: 'The kinds of records whose changes start the workflow',
		options: Object.entries(EVENTS)
			.map(([value, event]) => ({ name: event.name, value }))
			.sort((a, b) => a.name.localeCompare(b.name)),
	},
	{
		displayName: 'Statuses',
		name: 'statuses',
		type: 'multiOptions',
		default: [...STATUSES],
		description: 'Which changes start the workflow: a record created, updated or deleted',
		options: STATUSES.map((value) => ({ name: STATUS_NAMES[value], value })).sort((a, b) =>
			a.name.localeCompare(b.name),
		),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Ignore Attendance Updates',
				name: 'ignoreAttendanceUpdates',
				type: 'boolean',
				default: false,
				description:
					'Whether to skip the appointment updates Altegio sends when a visit is marked as arrived or as a no-show, and later updates of such visits',
			},
			{
				displayName: 'Include Own Changes',
				name: 'includeOwnChanges',
				type: 'boolean',
				default: false,
				description:
					"Whether to also start on changes made through the API with this credential's partner token, for example by the Altegio node. Leave it off when the workflow updates what triggered it, or it starts itself again. If another app already has this switched on for the location, the trigger leaves it on and such changes still arrive: a delivery does not say who made the change, so the trigger cannot skip them.",
			},
		],
	},
];
