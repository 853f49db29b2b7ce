import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { preview } from '../../helpers/utils';
import {
	idField,
	PHONE_NOTE,
	readDateTime,
	readIdParameter,
	readLocation,
	readPhone,
	readText,
} from '../fields';
import type { Pickers } from '../pickers';
import { readServices, readTeamMember, servicesField, teamMemberField } from '../pickers';

const APPOINTMENT_EXAMPLE = 61000002;

/** The appointment that Get, Update and Delete work on. */
export const appointmentIdField = idField(
	'Appointment ID',
	'appointmentId',
	APPOINTMENT_EXAMPLE,
	'ID of the appointment (record) at this location',
);

export function readAppointmentId(this: IExecuteFunctions, itemIndex: number): number {
	return readIdParameter.call(this, 'appointmentId', 'appointment', itemIndex, APPOINTMENT_EXAMPLE);
}

/**
 * The services in the documented `service_ids[]=…` form of the online-booking endpoints, to join
 * into the endpoint's query: a list in `qs` would be sent as `service_ids[0]=…`.
 */
export function serviceIdsQuery(serviceIds: number[]): string[] {
	return serviceIds.map((id) => `service_ids%5B%5D=${id}`);
}

/** Reads the location and the appointment: the appointment's ID and its `/record` endpoint. */
export function readAppointmentEndpoint(
	this: IExecuteFunctions,
	itemIndex: number,
): { id: number; endpoint: string } {
	const locationId = readLocation.call(this, itemIndex);
	const id = readAppointmentId.call(this, itemIndex);
	return { id, endpoint: `/record/${locationId}/${id}` };
}

const TEAM_MEMBER_TEXT = {
	required: true,
	description: 'The team member (staff) at this location who takes the appointment',
	idDescription: 'ID of the team member (staff) at this location, from Team Member → Get Many',
};

const SERVICES_TEXT = {
	required: true,
	description: 'The services to book at this location',
	idDescription: 'IDs of the services, separated by commas, from Service → Get Many',
};

const startAtDescription =
	'Date and time the appointment starts, best with the offset of the location, such as 2026-12-14T10:30:00-05:00. Get Available Times returns such values in its "datetime" field. Without an offset the time is read in the time zone of the location.';

const durationDescription =
	'Length of the appointment in minutes; the API requires it and stores it in seconds';

/** The fields Create shows at the top and Update offers under Update Fields. */
export const appointmentFields = (pickers: Pickers): INodeProperties[] => [
	teamMemberField(pickers, TEAM_MEMBER_TEXT),
	servicesField(pickers, SERVICES_TEXT),
	{
		displayName: 'Start At',
		name: 'startAt',
		type: 'dateTime',
		required: true,
		default: '',
		description: startAtDescription,
	},
	{
		displayName: 'Duration (Minutes)',
		name: 'durationMinutes',
		type: 'number',
		required: true,
		typeOptions: { minValue: 1 },
		default: 60,
		description: durationDescription,
	},
	{
		displayName: 'Client Phone',
		name: 'clientPhone',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. +1 (426) 403-76-40',
		description: `Phone of the client. ${PHONE_NOTE}. The API books the client of this location with that phone, or creates one.`,
	},
	{
		displayName: 'Client Name',
		name: 'clientName',
		type: 'string',
		default: '',
		placeholder: 'e.g. Olivia Brown',
		description: 'Name of the client; needed when no client of this location has the phone yet',
	},
];

/** Optional fields of an appointment, shared by Create (Additional Fields) and Update. */
export const appointmentOptions: INodeProperties[] = [
	{
		displayName: 'Attendance',
		name: 'attendance',
		type: 'options',
		options: [
			{ name: 'Arrived', value: 1 },
			{ name: 'Confirmed', value: 2 },
			{ name: 'No-Show', value: -1 },
			{ name: 'Waiting', value: 0 },
		],
		default: 0,
		description: 'Status of the visit',
	},
	{
		displayName: 'Book Even If Busy',
		name: 'saveIfBusy',
		type: 'boolean',
		default: false,
		description:
			'Whether to keep the appointment when the time is taken or outside working hours, instead of failing',
	},
	{
		displayName: 'Client Email',
		name: 'clientEmail',
		type: 'string',
		placeholder: 'name@email.com',
		default: '',
	},
	{
		displayName: 'Comment',
		name: 'comment',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
	},
	{
		displayName: 'Email Reminder (Hours Before)',
		name: 'emailReminderHours',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'How many hours before the visit to email a reminder; 0 sends none',
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		description:
			'Your own ID for the appointment (the API\'s "api_id"). It does not stop a duplicate, but lets you find the appointment later.',
	},
	{
		displayName: 'Send SMS',
		name: 'sendSms',
		type: 'boolean',
		default: false,
		description: 'Whether to send the client an SMS with the details of the appointment',
	},
	{
		displayName: 'SMS Reminder (Hours Before)',
		name: 'smsReminderHours',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 0,
		description: 'How many hours before the visit to send an SMS reminder; 0 sends none',
	},
];

/**
 * Writes the fields the user gave over `body`, the API's create/update body. `client` is merged so
 * that a new phone keeps the stored name and email.
 */
export function applyAppointmentFields(
	this: IExecuteFunctions,
	body: IDataObject,
	fields: IDataObject,
	itemIndex: number,
	country: string | undefined,
): IDataObject {
	const client = { ...((body.client as IDataObject | undefined) ?? {}) };
	for (const [name, value] of Object.entries(fields)) {
		if (name === 'teamMemberId') {
			body.staff_id = readTeamMember.call(this, value, itemIndex);
		} else if (name === 'serviceIds') {
			body.services = readServices.call(this, value, itemIndex).map((id) => ({ id }));
		} else if (name === 'startAt') {
			body.datetime = readDateTime.call(this, value, 'start', itemIndex);
		} else if (name === 'durationMinutes') {
			body.seance_length = readMinutes.call(this, value, itemIndex) * 60;
		} else if (name === 'clientPhone') {
			client.phone = readPhone.call(
				this,
				value,
				'client phone',
				'international',
				country,
				itemIndex,
			);
		} else if (name === 'clientName') {
			const text = String(value ?? '').trim();
			if (text !== '') client.name = text;
		} else if (name === 'clientEmail') {
			const text = String(value ?? '').trim();
			if (text !== '') client.email = text;
		} else if (name === 'comment') body.comment = String(value);
		else if (name === 'attendance') body.attendance = Number(value);
		else if (name === 'saveIfBusy') body.save_if_busy = value === true;
		else if (name === 'sendSms') body.send_sms = value === true;
		else if (name === 'smsReminderHours') body.sms_remain_hours = Number(value);
		else if (name === 'emailReminderHours') body.email_remain_hours = Number(value);
		else if (name === 'externalId')
			body.api_id = readText.call(this, value, 'external ID', itemIndex, '777');
	}
	if (Object.keys(client).length > 0) body.client = client;
	return body;
}

function readMinutes(this: IExecuteFunctions, value: unknown, itemIndex: number): number {
	const minutes = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1) {
		throw new NodeOperationError(
			this.getNode(),
			`The duration "${String(value)}" is not a positive whole number of minutes [item ${itemIndex}]`,
			{ itemIndex, description: 'Enter how long the appointment takes in minutes, such as 60' },
		);
	}
	return minutes;
}

/**
 * The attendance of an appointment by name. The API's numbers (2, 1, 0, −1) are easy to get
 * backwards, so the node's options name them; the names are saved in workflows.
 */
export const ATTENDANCE = { confirmed: 2, arrived: 1, waiting: 0, noShow: -1 } as const;

export type AttendanceName = keyof typeof ATTENDANCE;

/** The attendance values as options, each saying what it means. */
export const attendanceOptions = [
	{
		name: 'Arrived',
		value: 'arrived',
		description: "The client has come in (the API's 1)",
	},
	{
		name: 'Confirmed',
		value: 'confirmed',
		description: "The client has confirmed they will come (the API's 2)",
	},
	{
		name: 'No-Show',
		value: 'noShow',
		description: "The client did not come (the API's −1)",
	},
	{
		name: 'Waiting',
		value: 'waiting',
		description: "The client is expected and has not confirmed yet; the default (the API's 0)",
	},
];

/** Reads an attendance name (or, from an expression, the API's number) as the API's number. */
export function readAttendance(this: IExecuteFunctions, value: unknown, itemIndex: number): number {
	if (typeof value === 'string' && value in ATTENDANCE) return ATTENDANCE[value as AttendanceName];
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	if (typeof number === 'number' && [2, 1, 0, -1].includes(number)) return number;
	throw new NodeOperationError(
		this.getNode(),
		`The attendance "${preview(String(value))}" is not one of confirmed, arrived, waiting or noShow [item ${itemIndex}]`,
		{
			itemIndex,
			description:
				'Choose Confirmed, Arrived, Waiting or No-Show, or give one of the names confirmed, arrived, waiting, noShow',
		},
	);
}
