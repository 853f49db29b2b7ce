import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import type { AltegioApi } from '../../transport';
import { locationLocator } from '../common.descriptions';
import { readAndResend } from '../resend';
import {
	appointmentIdField,
	attendanceOptions,
	readAppointmentEndpoint,
	readAttendance,
} from './appointment.fields';
import { bodyOf } from './update.operation';

export const option = {
	name: 'Set Attendance',
	value: 'setAttendance',
	description:
		'Mark an appointment as confirmed (the client said yes), arrived (the client is here), waiting (not confirmed yet) or no-show (the client did not come). This writes to Altegio and changes nothing else; if the location is set up to notify clients, the client may get a message.',
	action: 'Set appointment attendance (writes; may notify client)',
};

export const writes = true;

export const description: INodeProperties[] = [
	locationLocator,
	appointmentIdField,
	{
		displayName: 'Attendance',
		name: 'attendance',
		type: 'options',
		required: true,
		options: attendanceOptions,
		default: 'confirmed',
		description:
			'What happened with the visit. Only this changes; time, team member, services and client stay as they are. The location may notify the client if it is set up to.',
	},
];

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	api: AltegioApi,
): Promise<IDataObject> {
	const { endpoint } = readAppointmentEndpoint.call(this, itemIndex);
	const attendance = readAttendance.call(
		this,
		this.getNodeParameter('attendance', itemIndex, ''),
		itemIndex,
	);
	// `attendance` is documented only as a field of the appointment's update body (PUT /record),
	// which replaces the whole appointment: the stored one is read and resent with the attendance
	// alone changed. The visit endpoint (PUT /visits/{visit_id}/{record_id}) also requires a
	// comment, services and goods, so it would resend as much with less documented answers.
	return (await readAndResend(api, endpoint, itemIndex, (stored) => ({
		...bodyOf(stored),
		attendance,
		// The time, length and team member are unchanged, so the appointment holds its slot already:
		// an overbooked one, or one outside working hours, must not be refused for them.
		save_if_busy: true,
		send_sms: false,
	}))) as IDataObject;
}
