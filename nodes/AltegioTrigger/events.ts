/**
 * The trigger's events and the API names behind them: the settings flag that asks Altegio to send
 * an event, and the `resource` values its deliveries carry.
 */
export const EVENTS = {
	appointment: { name: 'Appointment', flag: 'record', resources: ['record'] },
	client: { name: 'Client', flag: 'client', resources: ['client'] },
	financeOperation: {
		name: 'Finance Operation',
		flag: 'finances_operation',
		resources: ['finances_operation'],
	},
	location: { name: 'Location', flag: 'salon', resources: ['company', 'salon'] },
	loyaltyCard: { name: 'Loyalty Card', flag: 'loyalty_card', resources: ['loyalty_card'] },
	service: { name: 'Service', flag: 'service', resources: ['service'] },
	teamMember: { name: 'Team Member', flag: 'master', resources: ['staff'] },
} as const;

export type EventName = keyof typeof EVENTS;

export const STATUSES = ['create', 'update', 'delete'] as const;

export type Status = (typeof STATUSES)[number];

export function isEventName(value: unknown): value is EventName {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(EVENTS, value);
}

/** The event a delivery's `resource` belongs to, or `undefined` for one this node does not offer. */
export function eventOfResource(resource: string): EventName | undefined {
	return (Object.keys(EVENTS) as EventName[]).find((event) =>
		(EVENTS[event].resources as readonly string[]).includes(resource),
	);
}

/** The settings flags a set of events needs. */
export function flagsFor(events: readonly EventName[]): string[] {
	return [...new Set(events.map((event) => EVENTS[event].flag))];
}
