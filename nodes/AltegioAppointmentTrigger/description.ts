import type { INodeProperties } from 'n8n-workflow';

import { locationLocator } from '../Altegio/actions/common.descriptions';
import { servicesField, teamMemberField } from '../Altegio/actions/pickers';

export const properties: INodeProperties[] = [
	locationLocator,
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		required: true,
		default: 'startsSoon',
		options: [
			{
				name: 'Appointment Cancelled',
				value: 'cancelled',
				description: 'An appointment was deleted in Altegio',
			},
			{
				name: 'Appointment Changed',
				value: 'changed',
				description: 'An appointment was updated: once for each change',
			},
			{
				name: 'Appointment Created',
				value: 'created',
				description: 'A new appointment was booked',
			},
			{
				name: 'Appointment Ended',
				value: 'ended',
				description: 'An appointment ended a set number of hours ago and was not cancelled',
			},
			{
				name: 'Appointment Starts Soon',
				value: 'startsSoon',
				description: 'An appointment starts within a set number of hours',
			},
		],
	},
	{
		displayName: 'Hours Before',
		name: 'hoursBefore',
		type: 'number',
		default: 24,
		typeOptions: { minValue: 0.25, maxValue: 720, numberPrecision: 2 },
		description:
			'Start the workflow once an appointment starts within this many hours. A moved appointment starts it again for its new time.',
		displayOptions: { show: { event: ['startsSoon'] } },
	},
	{
		displayName: 'Hours After',
		name: 'hoursAfter',
		type: 'number',
		default: 2,
		typeOptions: { minValue: 0, maxValue: 720, numberPrecision: 2 },
		description: 'Start the workflow this many hours after an appointment ends',
		displayOptions: { show: { event: ['ended'] } },
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		options: [
			{
				displayName: 'Attendance',
				name: 'attendance',
				type: 'multiOptions',
				default: [],
				description:
					'Only appointments with one of these attendance statuses. None selected means any status.',
				options: [
					{ name: 'Arrived', value: 'arrived' },
					{ name: 'Confirmed', value: 'confirmed' },
					{ name: 'No-Show', value: 'noShow' },
					{ name: 'Waiting', value: 'waiting' },
				],
			},
			// The trigger is new in version 1, so it takes the pickers of the Altegio node's version 1.1.
			servicesField(true, {
				description: 'Only appointments that include one of these services',
				idDescription: '',
			}),
			teamMemberField(true, {
				description: 'Only appointments with this team member',
				idDescription: '',
			}),
		],
	},
];
