import { defineResource } from '../defineResource';
import * as getAll from './getAll.operation';

export const service = defineResource({ name: 'Service', value: 'service' }, { getAll });
