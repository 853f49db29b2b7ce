// Builders for the workflows the e2e suites import into n8n (n8n's workflow export format).

import fs from 'node:fs';
import path from 'node:path';

import { CREDENTIAL_TYPE, NODE_TYPE, REPO } from './harness.mjs';

export const EXAMPLES_DIR = path.join(REPO, 'examples');

/** The placeholders the example files use for their Altegio credential. */
export const EXAMPLE_CREDENTIAL = { id: 'REPLACE_WITH_CREDENTIAL_ID', name: 'Altegio account' };

let nodeCounter = 0;
const nodeId = () => `e2e-node-${String(++nodeCounter).padStart(4, '0')}`;

/** A node object; `settings` are node settings such as onError, retryOnFail, alwaysOutputData. */
export function node(name, type, typeVersion, parameters = {}, settings = {}) {
	return { id: nodeId(), name, type, typeVersion, position: [0, 0], parameters, ...settings };
}

export const manualTrigger = (name = 'Start') => node(name, 'n8n-nodes-base.manualTrigger', 1);

/**
 * Two nodes that turn a list of objects into one item each, the way users build test data:
 * a Set node in JSON mode holding `{ rows: [...] }` and a Split Out node on `rows`.
 */
export function rowsNodes(rows, { name = 'Input' } = {}) {
	return [
		node(`${name} list`, 'n8n-nodes-base.set', 3.4, {
			mode: 'raw',
			jsonOutput: JSON.stringify({ rows }),
			options: {},
		}),
		node(name, 'n8n-nodes-base.splitOut', 1, { fieldToSplitOut: 'rows', options: {} }),
	];
}

export const noOp = (name) => node(name, 'n8n-nodes-base.noOp', 1);

/** A resource locator value for the chain parameter. */
export const chainRef = (value, mode = 'id') => ({ __rl: true, mode, value: String(value) });

/**
 * The Altegio node. `credential` is { id, name }; settings are node settings (onError,
 * retryOnFail, maxTries, waitBetweenTries, alwaysOutputData).
 */
export function altegio({
	name = 'Altegio',
	resource,
	operation,
	chainId,
	phone,
	options,
	credential,
	settings = {},
}) {
	const parameters = { resource, operation };
	if (chainId !== undefined)
		parameters.chainId = typeof chainId === 'object' ? chainId : chainRef(chainId);
	if (phone !== undefined) parameters.phone = phone;
	if (options !== undefined) parameters.options = options;
	return node(name, NODE_TYPE, 1, parameters, {
		credentials: { [CREDENTIAL_TYPE]: { id: credential.id, name: credential.name } },
		...settings,
	});
}

/**
 * A workflow from a list of nodes connected one after the other (output 0 → input 0), plus
 * `extra` connections given as [from, output, to].
 */
export function workflow({ id, name = id, nodes, chain = nodes.map((n) => n.name), extra = [] }) {
	const connections = {};
	const connect = (from, output, to) => {
		const main = (connections[from] ??= { main: [] }).main;
		while (main.length <= output) main.push([]);
		main[output].push({ node: to, type: 'main', index: 0 });
	};
	for (let i = 0; i + 1 < chain.length; i++) connect(chain[i], 0, chain[i + 1]);
	for (const [from, output, to] of extra) connect(from, output, to);
	return {
		id,
		name,
		active: false,
		isArchived: false,
		settings: { executionOrder: 'v1' },
		nodes,
		connections,
	};
}

/** Reads examples/*.json (the importable workflows shipped with the package). */
export function readExamples() {
	return fs
		.readdirSync(EXAMPLES_DIR)
		.filter((file) => file.endsWith('.json'))
		.sort()
		.map((file) => ({
			file,
			workflow: JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, file), 'utf8')),
		}));
}

/** A deep copy of an example with its credential placeholders pointed at a real credential. */
export function withCredential(workflow, credential, type = CREDENTIAL_TYPE) {
	const copy = structuredClone(workflow);
	for (const n of copy.nodes) {
		if (n.credentials?.[type]) n.credentials[type] = { id: credential.id, name: credential.name };
	}
	return copy;
}

/** Finds a node of a workflow by name (throws when missing, to keep test failures readable). */
export function nodeNamed(workflow, name) {
	const found = workflow.nodes.find((n) => n.name === name);
	if (!found) throw new Error(`workflow ${workflow.id} has no node "${name}"`);
	return found;
}

/**
 * A Manual Trigger variant of a workflow: the node `replace` (a Webhook or Chat Trigger, which
 * `n8n execute` cannot start from) becomes a Manual Trigger followed by a Set node that emits
 * `json` — the same item the replaced trigger would have produced — under the replaced node's
 * name, so every expression that refers to it by name keeps working.
 */
export function manualVariant(source, { id, replace, json }) {
	const wf = structuredClone(source);
	wf.id = id;
	wf.name = `${source.name} (manual e2e variant)`;
	const index = wf.nodes.findIndex((n) => n.name === replace);
	if (index < 0) throw new Error(`no node "${replace}" in ${source.name}`);
	const old = wf.nodes[index];
	const trigger = { ...manualTrigger('Manual e2e start'), position: old.position };
	const data = {
		...node(replace, 'n8n-nodes-base.set', 3.4, {
			mode: 'raw',
			jsonOutput: JSON.stringify(json),
			options: {},
		}),
		position: old.position,
	};
	wf.nodes.splice(index, 1, trigger, data);
	wf.connections[trigger.name] = { main: [[{ node: replace, type: 'main', index: 0 }]] };
	delete wf.pinData;
	return wf;
}
