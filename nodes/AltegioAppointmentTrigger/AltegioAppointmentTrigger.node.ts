import type { INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { searchLocations, searchTeamMembers } from '../Altegio/methods/listSearch';
import { getServices } from '../Altegio/methods/loadOptions';
import { properties } from './description';
import { poll } from './poll';

export class AltegioAppointmentTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Altegio Appointment Trigger',
		name: 'altegioAppointmentTrigger',
		icon: { light: 'file:altegio.svg', dark: 'file:altegio.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["event"] }}',
		description:
			'Starts the workflow before or after appointments, and when appointments are booked, changed or cancelled in Altegio or YCLIENTS, by polling: no public URL needed',
		defaults: { name: 'Altegio Appointment Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'altegioApi', required: true }],
		properties,
	};

	methods = {
		listSearch: { searchLocations, searchTeamMembers },
		loadOptions: { getServices },
	};

	async poll(this: IPollFunctions) {
		return await poll.call(this);
	}
}
