import { defineResource } from '../defineResource';
import * as create from './create.operation';
import * as del from './delete.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as getVisitHistory from './getVisitHistory.operation';
import * as update from './update.operation';

export const client = defineResource(
	{ name: 'Client', value: 'client' },
	{ get, getAll, getVisitHistory, create, update, delete: del },
);
