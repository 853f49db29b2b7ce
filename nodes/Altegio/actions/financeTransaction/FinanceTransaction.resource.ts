import { defineResource } from '../defineResource';
import * as getAll from './getAll.operation';

export const financeTransaction = defineResource(
	{ name: 'Finance Transaction', value: 'financeTransaction' },
	{ getAll },
);
