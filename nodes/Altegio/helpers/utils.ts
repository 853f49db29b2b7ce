import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

export function updateDisplayOptions(
	displayOptions: IDisplayOptions,
	properties: INodeProperties[],
): INodeProperties[] {
	return properties.map((property) => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, ...displayOptions.show },
		},
	}));
}

/** Shortens user input that is quoted back in a message. */
export function preview(text: string): string {
	return text.length > 32 ? `${text.slice(0, 32)}…` : text;
}
