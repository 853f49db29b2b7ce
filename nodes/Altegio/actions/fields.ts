import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { normalizePhone } from '../helpers/phone';
import type { PhoneFormat } from '../helpers/phoneFormat';
import { formatPhone } from '../helpers/phoneFormat';
import { preview } from '../helpers/utils';
import { readLocationId } from './common.descriptions';

/** `returnAll` and `limit` as n8n's Get Many operations show them. */
export function pageFields(maxLimit?: number): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			displayOptions: { show: { returnAll: [false] } },
			typeOptions: { minValue: 1, ...(maxLimit ? { maxValue: maxLimit } : {}) },
			default: 50,
			description: 'Max number of results to return',
		},
	];
}

/** The limit of a Get Many operation, or `undefined` when Return All is on. */
export function readLimit(this: IExecuteFunctions, itemIndex: number): number | undefined {
	if (this.getNodeParameter('returnAll', itemIndex, false) === true) return undefined;
	const limit = Number(this.getNodeParameter('limit', itemIndex, 50));
	if (!Number.isInteger(limit) || limit < 1) {
		throw problem.call(
			this,
			`The limit "${preview(String(limit))}" is not a positive whole number`,
			'Enter how many records to return, such as 50, or turn on Return All',
			itemIndex,
		);
	}
	return limit;
}

/** The Filters collection of a Get Many operation. */
export function filtersField(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options,
	};
}

/** The Update Fields collection of an Update operation, its fields sorted by name. */
export function updateFieldsField(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		options: [...options].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

/** The fields under Update Fields; at least one must be given. */
export function readUpdateFields(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const fields = this.getNodeParameter('updateFields', itemIndex, {}) as IDataObject;
	if (Object.keys(fields).length === 0) {
		throw problem.call(
			this,
			'No field to update is given',
			'Add at least one field under Update Fields',
			itemIndex,
		);
	}
	return fields;
}

/** An ID field that takes a number or the number as text, for example from an expression. */
export function idField(
	displayName: string,
	name: string,
	example: number,
	description: string,
): INodeProperties {
	return {
		displayName,
		name,
		type: 'string',
		required: true,
		default: '',
		placeholder: `e.g. ${example}`,
		description,
	};
}

/** Reads an ID that the user gave as a number or as text; `undefined` when optional and empty. */
export function readId(
	this: IExecuteFunctions,
	value: unknown,
	noun: string,
	itemIndex: number,
	example: number,
): number {
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^[0-9]{1,15}$/.test(text) || Number(text) === 0) {
		const shown = text ? ` "${preview(text)}"` : '';
		throw problem.call(
			this,
			`The ${noun} ID${shown} is not a positive whole number`,
			`Enter the numeric ID of the ${noun}, such as ${example}`,
			itemIndex,
		);
	}
	return Number(text);
}

/** Reads a required ID parameter such as `clientId`. */
export function readIdParameter(
	this: IExecuteFunctions,
	parameter: string,
	noun: string,
	itemIndex: number,
	example: number,
): number {
	return readId.call(
		this,
		this.getNodeParameter(parameter, itemIndex, ''),
		noun,
		itemIndex,
		example,
	);
}

/** Reads the location, from the list or by ID, as a number. */
export function readLocation(this: IExecuteFunctions, itemIndex: number): number {
	return Number(readLocationId.call(this, itemIndex));
}

/** Reads a list of IDs given as `331, 332`, as one number, or as a list from an expression. */
export function readIdList(
	this: IExecuteFunctions,
	value: unknown,
	noun: string,
	itemIndex: number,
	example: number,
): number[] {
	const parts = Array.isArray(value)
		? value
		: typeof value === 'number'
			? [value]
			: typeof value === 'string'
				? value.split(',').filter((part) => part.trim() !== '')
				: [];
	if (parts.length === 0) {
		throw problem.call(
			this,
			`No ${noun} ID is given`,
			`Enter one or more numeric ${noun} IDs separated by commas, such as ${example}, ${example + 1}`,
			itemIndex,
		);
	}
	return parts.map((part: unknown) => readId.call(this, part, noun, itemIndex, example));
}

/** How a phone field says what it takes. */
export const PHONE_NOTE =
	"With its country code, or as a national number of the credential's Default Country";

/**
 * Reads a phone as people type it and writes it in the format the endpoint documents. `country` is
 * the credential's Default Country (`api.defaultCountry()`), the country whose national format a
 * number without a country code is read in; `undefined` for a phone the API stored, which has its
 * country code.
 */
export function readPhone(
	this: IExecuteFunctions,
	value: unknown,
	label: string,
	format: PhoneFormat,
	country: string | undefined,
	itemIndex: number,
): string {
	const check = normalizePhone(value, country);
	if ('problem' in check) {
		throw problem.call(this, `The ${label} ${check.problem}`, check.hint, itemIndex);
	}
	return formatPhone(check.phone, format);
}

const DATE_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

interface DateParts {
	date: string;
	time?: string;
	offset?: string;
}

/** Splits a date or a date and time into checked parts; `undefined` when it is not a real one. */
function dateParts(value: unknown): DateParts | undefined {
	let text: string | undefined;
	if (typeof value === 'string') text = value.trim();
	else if (value instanceof Date && !Number.isNaN(value.getTime())) text = value.toISOString();
	else if (isDateTimeLike(value)) text = value.toISO();
	const match = text === undefined ? null : DATE_TIME.exec(text);
	if (match === null) return undefined;
	const [, year, month, day, hour, minute, second, zone] = match;
	const calendar = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
	if (
		calendar.getUTCFullYear() !== Number(year) ||
		calendar.getUTCMonth() !== Number(month) - 1 ||
		calendar.getUTCDate() !== Number(day)
	) {
		return undefined;
	}
	const date = `${year}-${month}-${day}`;
	if (hour === undefined) return { date };
	if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) return undefined;
	const time = `${hour}:${minute}:${second ?? '00'}`;
	if (zone === undefined) return { date, time };
	if (zone.toUpperCase() === 'Z') return { date, time, offset: '+00:00' };
	const digits = zone.replace(':', '');
	if (Number(digits.slice(1, 3)) > 14 || Number(digits.slice(3)) > 59) return undefined;
	return { date, time, offset: `${digits.slice(0, 3)}:${digits.slice(3)}` };
}

function isDateTimeLike(value: unknown): value is { toISO(): string } {
	return (
		typeof value === 'object' &&
		value !== null &&
		typeof (value as { toISO?: unknown }).toISO === 'function'
	);
}

/** Reads a calendar date as `YYYY-MM-DD`; a date and time gives its date as written. */
export function readDate(
	this: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
): string {
	const parts = dateParts(value);
	if (parts === undefined) {
		throw problem.call(
			this,
			`The ${label} "${preview(String(value))}" is not a real date`,
			'Enter a date as YYYY-MM-DD, such as 2026-12-14',
			itemIndex,
		);
	}
	return parts.date;
}

/** The required Start Date and End Date that `readDateRange` reads. */
export function dateRangeFields(description: { start: string; end: string }): INodeProperties[] {
	return [
		{
			displayName: 'Start Date',
			name: 'startDate',
			type: 'dateTime',
			required: true,
			default: '',
			description: description.start,
		},
		{
			displayName: 'End Date',
			name: 'endDate',
			type: 'dateTime',
			required: true,
			default: '',
			description: description.end,
		},
	];
}

/** Reads the `startDate` and `endDate` parameters as dates, the end on or after the start. */
export function readDateRange(
	this: IExecuteFunctions,
	itemIndex: number,
): { from: string; to: string } {
	const from = readDate.call(
		this,
		this.getNodeParameter('startDate', itemIndex, ''),
		'start date',
		itemIndex,
	);
	const to = readDate.call(
		this,
		this.getNodeParameter('endDate', itemIndex, ''),
		'end date',
		itemIndex,
	);
	if (to < from) {
		throw problem.call(
			this,
			`The end date ${to} is before the start date ${from}`,
			'Enter an end date on or after the start date',
			itemIndex,
		);
	}
	return { from, to };
}

/**
 * Reads a date and time as the API takes it: `YYYY-MM-DDTHH:mm:ss` followed by the offset when one
 * is given (`Z` becomes `+00:00`). Without an offset the API reads it in the location's time zone.
 */
export function readDateTime(
	this: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
): string {
	const parts = dateParts(value);
	if (parts === undefined || parts.time === undefined) {
		throw problem.call(
			this,
			`The ${label} "${preview(String(value))}" is not a real date and time`,
			'Enter a date and time such as 2026-12-14T10:30:00-05:00, with the offset of the location',
			itemIndex,
		);
	}
	return `${parts.date}T${parts.time}${parts.offset ?? ''}`;
}

/** Reads a JSON object given as an object or as JSON text, such as custom fields. */
export function readObject(
	this: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
): IDataObject {
	let parsed = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			parsed = undefined;
		}
	}
	if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
		throw problem.call(
			this,
			`The ${label} is not a JSON object`,
			'Enter an object of field codes and values, such as { "notes": "VIP" }',
			itemIndex,
		);
	}
	return parsed as IDataObject;
}

function problem(
	this: IExecuteFunctions,
	message: string,
	description: string,
	itemIndex: number,
): NodeOperationError {
	return new NodeOperationError(this.getNode(), `${message} [item ${itemIndex}]`, {
		itemIndex,
		description,
	});
}

/** Reads a text that must not be empty, such as a client's name. */
export function readText(
	this: IExecuteFunctions,
	value: unknown,
	label: string,
	itemIndex: number,
	example: string,
): string {
	const text = typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
	if (text === '') {
		throw problem.call(
			this,
			`The ${label} is empty`,
			`Enter the ${label}, such as ${example}`,
			itemIndex,
		);
	}
	return text;
}
