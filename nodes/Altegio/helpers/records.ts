import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Checks that `data` is a list of records (objects) before they become items: anything else is an
 * error that names the item, never a phantom or broken item. `null` and `undefined` are no records.
 */
export function toRecords(
	this: IExecuteFunctions,
	data: unknown,
	itemIndex: number,
	what: string,
): IDataObject[] {
	if (data === null || data === undefined) return [];
	const problem = !Array.isArray(data)
		? `is ${describe(data)}, not a list`
		: data.findIndex((row) => !isRecord(row));
	if (problem === -1) return data as IDataObject[];
	const detail =
		typeof problem === 'string'
			? `it ${problem}`
			: `entry ${problem + 1} is ${describe((data as unknown[])[problem])}`;
	throw new NodeOperationError(
		this.getNode(),
		`The Altegio API returned the ${what} in an unexpected shape [item ${itemIndex}]`,
		{
			itemIndex,
			description: `Expected a list of ${what}, each an object, in the "data" field of the response, but ${detail}`,
		},
	);
}

export function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value)) return 'a list';
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
