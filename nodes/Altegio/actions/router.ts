import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { createApi } from '../transport';
import { resources } from './index';
import type { AltegioResource } from './node.type';

/** Items of a read are processed this many at a time; the transport paces the requests they make. */
export const ITEMS_IN_FLIGHT = 10;

/** The written records a failed write's error lists at most; the others are counted. */
export const WRITTEN_LISTED = 20;

export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const resource = this.getNodeParameter('resource', 0) as string;
	const operationName = this.getNodeParameter('operation', 0) as string;
	const found = (resources as Record<string, AltegioResource | undefined>)[resource];
	const operation = found?.operations[operationName];
	if (found === undefined || operation === undefined) {
		throw new NodeOperationError(
			this.getNode(),
			`The operation "${operationName}" is not known for the resource "${resource}"`,
			{ description: 'Open the node and choose one of the listed operations' },
		);
	}

	const api = createApi(this);
	// n8n reads the credential from its database while the first item's expressions are worked out
	if (items.length > 0) api.prepare(0);
	const cancelled = this.getExecutionCancelSignal();
	// A write that failed stops the run before any later item is sent: with several in flight, the
	// items after it would be written while the node reports only the failure.
	const writes = operation.writes === true;
	const run = await mapItems(
		items.length,
		writes ? 1 : ITEMS_IN_FLIGHT,
		cancelled,
		async (itemIndex) => {
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
		},
	);
	if (run.failure !== undefined) {
		const { error, itemIndex } = run.failure;
		const summary = writes
			? writtenBefore(run.results.slice(0, itemIndex), itemIndex, items.length, found.option.name)
			: '';
		if (summary !== '') {
			error.description = error.description ? `${error.description}. ${summary}` : summary;
		}
		throw error;
	}
	if (cancelled?.aborted) {
		throw new NodeOperationError(this.getNode(), 'The execution was cancelled', {
			description: 'Items that had not started when it was cancelled were not run',
		});
	}

	return [run.results.flat()];
}

/**
 * What a failed write run did before item `failed` failed: the items written, with the IDs of their
 * records, so that a second run can leave them out, and the items that were not sent.
 */
function writtenBefore(
	written: INodeExecutionData[][],
	failed: number,
	count: number,
	resourceName: string,
): string {
	const record = resourceName.toLowerCase();
	const parts: string[] = [];
	if (failed > 0) {
		const listed = written.slice(0, WRITTEN_LISTED).map((rows, itemIndex) => {
			const ids = rows
				.map((row) => row.json.id)
				.filter((id) => typeof id === 'number' || (typeof id === 'string' && id !== ''));
			if (ids.length === 0) return `item ${itemIndex}`;
			const noun = ids.length === 1 ? record : `${record}s`;
			return `${noun} ${ids.join(', ')} (item ${itemIndex})`;
		});
		if (failed > WRITTEN_LISTED) {
			listed.push(`and ${failed - WRITTEN_LISTED} more (${itemRange(WRITTEN_LISTED, failed - 1)})`);
		}
		const were = failed === 1 ? 'was' : 'were';
		parts.push(
			`${capitalized(itemRange(0, failed - 1))} ${were} written before this failure: ${listed.join(', ')}`,
		);
	} else if (count > 1) {
		parts.push('No item was written before this failure');
	}
	if (failed < count - 1) {
		const were = failed === count - 2 ? 'was' : 'were';
		parts.push(`${itemRange(failed + 1, count - 1)} ${were} not sent`);
	}
	if (parts.length === 0) return '';
	const advice =
		failed > 0 ? `. Leave ${itemRange(0, failed - 1)} out when you run the node again` : '';
	return `${parts.join('; ')}${advice}`;
}

function itemRange(first: number, last: number): string {
	return first === last ? `item ${first}` : `items ${first}–${last}`;
}

function capitalized(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
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
 * Runs `work` for every item, `inFlight` at a time, and returns the results in item order.
 * After a failure, or once the execution is cancelled, no further item is started; the failure of
 * the first failed item is returned with the results of the items that succeeded.
 */
async function mapItems<T>(
	count: number,
	inFlight: number,
	cancelled: AbortSignal | undefined,
	work: (itemIndex: number) => Promise<T>,
): Promise<{
	results: T[];
	failure?: { itemIndex: number; error: NodeApiError | NodeOperationError };
}> {
	const results = new Array<T>(count);
	const failures: Array<{ itemIndex: number; error: NodeApiError | NodeOperationError }> = [];
	let next = 0;

	const worker = async () => {
		while (failures.length === 0 && next < count && !cancelled?.aborted) {
			const itemIndex = next++;
			try {
				results[itemIndex] = await work(itemIndex);
			} catch (error) {
				failures.push({ itemIndex, error: error as NodeApiError | NodeOperationError });
			}
		}
	};
	await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));

	const failure =
		failures.length === 0
			? undefined
			: failures.reduce((first, other) => (other.itemIndex < first.itemIndex ? other : first));
	return { results, failure };
}
