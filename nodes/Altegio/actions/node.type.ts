import type {
	IDataObject,
	IExecuteFunctions,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import type { AltegioApi } from '../transport';

/** What every `<operation>.operation.ts` exports. */
export interface AltegioOperation {
	/** The entry in the Operation dropdown; its `value` is the saved identifier. */
	option: INodePropertyOptions & { value: string; action: string };
	/** The operation's own fields; they are shown for this resource and operation only. */
	description: INodeProperties[];
	/**
	 * `true` for an operation that changes data in Altegio (create, update, delete, …). Its items
	 * run one at a time, in order, so that no item is sent after one has failed.
	 */
	writes?: boolean;
	/** Handles one input item: one record, or a list of records that become one item each. */
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		api: AltegioApi,
	): Promise<IDataObject | IDataObject[]>;
}

export interface AltegioResource {
	/** The entry in the Resource dropdown; its `value` is the saved identifier. */
	option: { name: string; value: string };
	operations: Record<string, AltegioOperation>;
	description: INodeProperties[];
}
