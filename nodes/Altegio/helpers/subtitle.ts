/**
 * n8n evaluates a node's subtitle as an expression over the saved parameters, which hold option
 * values such as "getByPhone"; an expression cannot read the options' names, so the names are
 * written into the expression as a map from value to name.
 */

/** "Get by Phone: Chain Client" from the resource and operation values. */
export function operationSubtitle(names: Record<string, string>): string {
	return `={{ ${JSON.stringify(names)}[$parameter["resource"] + ":" + $parameter["operation"]] || $parameter["operation"] }}`;
}

/** "Appointment, Client" from the values of a list parameter such as the trigger's events. */
export function listSubtitle(parameter: string, names: Record<string, string>): string {
	return `={{ [].concat($parameter["${parameter}"]).map((value) => (${JSON.stringify(names)})[value] || value).join(", ") }}`;
}
