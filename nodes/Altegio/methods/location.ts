import type { ILoadOptionsFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** The location chosen in the node, from the list or by ID (an expression is resolved). */
export function chosenLocation(context: ILoadOptionsFunctions): string {
	const value = context.getCurrentNodeParameter('locationId', { extractValue: true });
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value : '';
	if (!/^\s*[0-9]{1,15}\s*$/.test(text) || Number(text) === 0) {
		throw new NodeOperationError(
			context.getNode(),
			'Choose the location first: the list shows the team members or services of that location',
		);
	}
	return String(Number(text));
}
