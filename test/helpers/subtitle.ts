import type { INode, INodeParameters, INodeType, INodeTypes } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

/** The subtitle the editor shows under a node, evaluated by n8n-workflow as the editor does. */
export function subtitleOf(nodeType: INodeType, parameters: INodeParameters): unknown {
	const { description } = nodeType;
	const versions = Array.isArray(description.version) ? description.version : [description.version];
	const node: INode = {
		id: 'node',
		name: description.defaults.name ?? description.displayName,
		type: `n8n-nodes-altegio.${description.name}`,
		typeVersion: versions[versions.length - 1],
		position: [0, 0],
		parameters,
	};
	const nodeTypes: INodeTypes = {
		getByName: () => nodeType,
		getByNameAndVersion: () => nodeType,
		getKnownTypes: () => ({}),
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getSimpleParameterValue(
		node,
		description.subtitle as string,
		'internal',
		{},
	);
}
