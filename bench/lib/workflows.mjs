// The benchmark's workflows: Manual Trigger → a Code node making N items with distinct phones → the
// lookup node (the Altegio node, or n8n's HTTP Request node set up the way a user would).

import { altegio, manualTrigger, node, workflow } from '../../tools/n8n/workflows.mjs';

export const CHAIN_ID = 509;
export const FIRST_PHONE = 12025550000;
export const ACCEPT = 'application/vnd.api.v2+json';
/** Every lookup node is named this, so that results are read the same way for every scenario. */
export const LOOKUP = 'Lookup';

/** Phone i of a run: distinct, so the node's coalescing of identical requests never skips one. */
export const phoneOf = (i) => String(FIRST_PHONE + i);

/** A Code node that outputs `count` items `{ phone }` with distinct phones not in the seed. */
export function phonesNode(count) {
	return node('Phones', 'n8n-nodes-base.code', 2, {
		mode: 'runOnceForAllItems',
		language: 'javaScript',
		jsCode: `return Array.from({ length: ${count} }, (_, i) => ({ json: { phone: String(${FIRST_PHONE} + i) } }));`,
	});
}

/**
 * The Altegio node, Get Chain Client by Phone. "On Error: Continue" only so that a failed item
 * shows up as an error item that can be counted instead of stopping the run; it changes nothing
 * in how requests are sent.
 */
export function altegioLookup(credential) {
	return altegio({
		name: LOOKUP,
		resource: 'chainClient',
		operation: 'getByPhone',
		chainId: CHAIN_ID,
		phone: '={{ $json.phone }}',
		credential,
		settings: { onError: 'continueRegularOutput' },
	});
}

/**
 * The HTTP Request node (version 4.5, what the editor adds in n8n 2.41.1) calling the same endpoint with the headers the API wants.
 * Response → "Include Response Headers and Status" and "Never Error" so that every item comes out
 * with its status code, and "On Error: Continue" for network errors; none of these changes when
 * or how many requests go out. `batching` adds Options → Batching.
 */
export function httpLookup({ apiUrl, partnerToken, userToken, batching }) {
	const options = { response: { response: { fullResponse: true, neverError: true } } };
	if (batching)
		options.batching = { batch: { batchSize: batching.size, batchInterval: batching.intervalMs } };
	return node(
		LOOKUP,
		'n8n-nodes-base.httpRequest',
		4.5,
		{
			method: 'GET',
			url: `${apiUrl}/group/${CHAIN_ID}/clients`,
			sendQuery: true,
			queryParameters: { parameters: [{ name: 'phone', value: '={{ $json.phone }}' }] },
			sendHeaders: true,
			headerParameters: {
				parameters: [
					{ name: 'Authorization', value: `Bearer ${partnerToken}, User ${userToken}` },
					{ name: 'Accept', value: ACCEPT },
				],
			},
			options,
		},
		{ onError: 'continueRegularOutput' },
	);
}

/** Manual Trigger → Phones (count items) → lookup. */
export function lookupWorkflow(id, count, lookup) {
	return workflow({ id, name: `bench ${id}`, nodes: [manualTrigger(), phonesNode(count), lookup] });
}
