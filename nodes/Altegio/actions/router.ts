import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { createApi } from '../transport';
import { resources } from './index';
import type { AltegioResource } from './node.type';

/** Items are processed this many at a time; the transport paces the requests they make. */
export const ITEMS_IN_FLIGHT = 10;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const operation = (resources as Record<string, AltegioResource | undefined>)[resource]
		?.operations[operationName];
	if (operation === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" is not known for the resource "${resource}"`,
			{ description: 'Open the node and choose one of the listed operations' },
		);
	}

	const api = createApi(this);
	const cancelled = this.getExecutionCancelSignal();
	const perItem = await mapItems(items.length, cancelled, async (itemIndex) => {
		try {
			const result = await operation.execute.call(this, itemIndex, api);
			const records = Array.isArray(result) ? result : [result];
			return records.map((json) => ({ json, pairedItem: { item: itemIndex } }));
		} catch (error) {
			const failure =
				error instanceof NodeApiError || error instanceof NodeOperationError
					? error
					: new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			if (!this.continueOnFail()) throw failure;
			return [{ json: errorJson(failure), pairedItem: { item: itemIndex } }];
		}
	});
	if (cancelled?.aborted) {
		throw new NodeOperationError(this.getNode(), 'The execution was cancelled', {
			description: 'Items that had not started when it was cancelled were not run',
		});
	}

	return [perItem.flat()];
}

/**
 * The json of an error item: the message, and what to do about it. n8n 1.x sends an item to the
 * error output only when its json holds `error`, or `error` and `message`, and nothing else.
 */
function errorJson(error: NodeApiError | NodeOperationError): IDataObject {
	return error.description
		? { error: error.message, message: error.description }
		: { error: error.message };
}

/**
 * Runs `work` for every item, a few at a time, and returns the results in item order.
 * After a failure, or once the execution is cancelled, no further item is started; the failure of
 * the first failed item is thrown.
 */
async function mapItems<T>(
	count: number,
	cancelled: AbortSignal | undefined,
	work: (itemIndex: number) => Promise<T>,
): Promise<T[]> {
	const results = new Array<T>(count);
	const failures: Array<{ itemIndex: number; error: unknown }> = [];
	let next = 0;

	const worker = async () => {
		while (failures.length === 0 && next < count && !cancelled?.aborted) {
			const itemIndex = next++;
			try {
				results[itemIndex] = await work(itemIndex);
			} catch (error) {
				failures.push({ itemIndex, error });
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(ITEMS_IN_FLIGHT, count) }, worker));

	if (failures.length > 0) {
		throw failures.reduce((first, failure) =>
			failure.itemIndex < first.itemIndex ? failure : first,
		).error;
	}
	return results;
}
