import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

/** What every `<operation>.operation.ts` exports. */
export interface AltegioOperation {
	/** The entry in the Operation dropdown; its `value` is the saved identifier. */
	option: INodePropertyOptions & { value: string; action: string };
	/** The operation's own fields; they are shown for this resource and operation only. */
	description: INodeProperties[];
	/** Handles one input item and returns its output rows. */
	execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject[]>;
}

export interface AltegioResource {
	operations: Record<string, AltegioOperation>;
	description: INodeProperties[];
}
