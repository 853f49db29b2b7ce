// The walkthrough workflow of README.md: a caller looked up by phone, their next appointment, a
// new one booked. Imported into n8n before it starts; the browser check runs it in the editor.

import { altegio, manualTrigger, workflow } from '../../tools/n8n/workflows.mjs';

export const WALKTHROUGH_ID = 'altegioWalkthrough1';
export const CALLER_PHONE = '+1 (426) 403-76-40';
export const NODES = {
	trigger: 'When clicking ‘Execute workflow’',
	lookup: 'Find caller',
	next: 'Next appointment',
	book: 'Book appointment',
};

/** `startAt` is the new appointment's start, such as 2026-12-21T10:30:00-05:00. */
export function walkthroughWorkflow({ credential, startAt }) {
	const nodes = [
		{ ...manualTrigger(NODES.trigger), position: [0, 0] },
		{
			...altegio({
				name: NODES.lookup,
				resource: 'chainClient',
				operation: 'getByPhone',
				chainId: { __rl: true, mode: 'id', value: '509' },
				phone: CALLER_PHONE,
				credential,
			}),
			position: [240, 0],
		},
		{
			...altegio({ name: NODES.next, resource: 'appointment', operation: 'getAll', credential }),
			position: [480, 0],
			// The caller is a client at two locations: ask about the first one only.
			executeOnce: true,
		},
		{
			...altegio({ name: NODES.book, resource: 'appointment', operation: 'create', credential }),
			position: [720, 0],
		},
	];
	Object.assign(nodes[2].parameters, {
		locationId: { __rl: true, mode: 'id', value: '={{ $json.company_id }}' },
		limit: 1,
		filters: { clientId: '={{ $json.id }}', startDate: '={{ $now.toISODate() }}' },
	});
	Object.assign(nodes[3].parameters, {
		locationId: { __rl: true, mode: 'id', value: '={{ $json.company_id }}' },
		teamMemberId: '={{ $json.staff_id }}',
		serviceIds: '={{ $json.services.map(s => s.id).join(", ") }}',
		startAt,
		durationMinutes: 60,
		clientPhone: `={{ $('${NODES.lookup}').item.json.phone }}`,
		clientName: `={{ $('${NODES.lookup}').item.json.name }}`,
		additionalFields: {},
	});
	return workflow({ id: WALKTHROUGH_ID, name: 'Caller: next appointment, book another', nodes });
}
