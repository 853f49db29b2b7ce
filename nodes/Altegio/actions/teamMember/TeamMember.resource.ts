import { defineResource } from '../defineResource';
import * as getAll from './getAll.operation';
import * as getSchedule from './getSchedule.operation';

export const teamMember = defineResource(
	{ name: 'Team Member', value: 'teamMember' },
	{ getAll, getSchedule },
);
