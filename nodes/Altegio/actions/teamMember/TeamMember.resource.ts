import { defineResource } from '../defineResource';
import * as getAll from './getAll.operation';

export const teamMember = defineResource({ name: 'Team Member', value: 'teamMember' }, { getAll });
