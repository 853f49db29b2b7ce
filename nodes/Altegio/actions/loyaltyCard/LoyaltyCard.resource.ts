import { defineResource } from '../defineResource';
import * as getByPhone from './getByPhone.operation';

export const loyaltyCard = defineResource(
	{ name: 'Loyalty Card', value: 'loyaltyCard' },
	{ getByPhone },
);
