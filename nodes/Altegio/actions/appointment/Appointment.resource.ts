import { defineResource } from '../defineResource';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getAvailableDates from './getAvailableDates.operation';
import * as getAvailableTimes from './getAvailableTimes.operation';
import * as setAttendance from './setAttendance.operation';
import * as update from './update.operation';

export const appointment = defineResource(
	{ name: 'Appointment', value: 'appointment' },
	{ get, getAll, getAvailableTimes, getAvailableDates, create, update, setAttendance, delete: del },
);
