/**
 * What the nodes panel says under "Altegio". n8n's editor lists a node and its trigger as one entry
 * when the trigger's name is the node's name plus "Trigger" (altegio, altegioTrigger), and that
 * entry takes the trigger's description (n8n-editor-ui, `generateMergedNodesAndActions`). The
 * trigger's description is shown nowhere else, so both nodes carry the action node's description.
 */
export const NODES_PANEL_DESCRIPTION =
	'Look up clients and book appointments in Altegio or YCLIENTS';
