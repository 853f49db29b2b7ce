import { defineResource } from '../resource';
import * as getByPhone from './getByPhone.operation';

export const chainClient = defineResource('chainClient', { getByPhone });
