import { defineResource } from '../defineResource';
import * as getAll from './getAll.operation';

export const chain = defineResource({ name: 'Chain', value: 'chain' }, { getAll });
