import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The records of an unpaginated list answer: one item each, none for an empty answer. */
export function listOf(
	this: IExecuteFunctions,
	data: unknown,
	noun: string,
	itemIndex: number,
): IDataObject[] {
	if (data === null || data === undefined) return [];
	if (!Array.isArray(data)) {
		throw new NodeOperationError(
			this.getNode(),
			`The Altegio API returned the ${noun} in an unexpected shape [item ${itemIndex}]`,
			{ itemIndex, description: `Expected a list of ${noun} in the "data" field of the response` },
		);
	}
	return data as IDataObject[];
}
