import { defineResource } from '../defineResource';
import * as getByPhone from './getByPhone.operation';

export const chainClient = defineResource(
	{ name: 'Chain Client', value: 'chainClient' },
	{ getByPhone },
);
