import { defineResource } from '../resource';
import * as getAll from './getAll.operation';

export const chain = defineResource('chain', { getAll });
