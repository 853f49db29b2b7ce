import { randomBytes } from 'crypto';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { createApi } from '../Altegio/transport';
import type { EventName } from './events';
import { flagsFor, isEventName } from './events';
import type { HookSettings } from './hooks';
import {
	isOwnUrl,
	isRegistered,
	MAX_URLS,
	readSettings,
	settingsToRegister,
	settingsToUnregister,
} from './hooks';

/** What the workflow's static data holds for this node while it is registered. */
interface State extends IDataObject {
	secret?: string;
	url?: string;
}

const WEBHOOK = 'default';

/** Whether this node's address is registered with the flags it needs and sending on. */
export async function checkExists(this: IHookFunctions): Promise<boolean> {
	const state = this.getWorkflowStaticData('node') as State;
	const base = baseUrl.call(this);
	if (typeof state.url !== 'string' || state.url.split('?')[0] !== base) return false;
	const settings = await readLocation.call(this, readLocationId.call(this));
	return isRegistered(settings, state.url, neededFlags.call(this));
}

/** Adds this node's address to the location's settings and switches on the flags it needs. */
export async function create(this: IHookFunctions): Promise<boolean> {
	const state = this.getWorkflowStaticData('node') as State;
	const locationId = readLocationId.call(this);
	const flags = neededFlags.call(this);
	const base = baseUrl.call(this);
	// Keep the secret across re-registrations of this address, so deliveries already on their way
	// still pass; static data copied from another workflow holds that workflow's address instead.
	const secret =
		typeof state.secret === 'string' && state.secret !== '' && isOwnUrl(String(state.url), base)
			? state.secret
			: randomBytes(24).toString('hex');
	const url = `${base}?secret=${secret}`;

	const current = await readLocation.call(this, locationId);
	const result = settingsToRegister(current, url, base, flags);
	if (!result.ok) {
		throw new NodeOperationError(
			this.getNode(),
			`Location ${locationId} already has ${result.foreignUrls.length} webhook addresses, the most Altegio allows (${MAX_URLS})`,
			{
				description:
					'Remove an address you no longer use in Altegio (Settings › System settings › For developers), or deactivate another workflow with an Altegio Trigger for this location, then activate this workflow again',
			},
		);
	}
	if (result.changed) await writeLocation.call(this, locationId, result.settings);
	if (!flags.includes('self_sending') && current.self_sending === 1) {
		this.logger.info(
			`Altegio Trigger: self_sending is on at location ${locationId}, so changes made with this credential's partner token also start the workflow; the trigger leaves it on because another app may need it`,
			{ workflowId: this.getWorkflow().id, node: this.getNode().name },
		);
	}
	state.secret = secret;
	state.url = url;
	return true;
}

/** Removes this node's address and leaves every flag as it was, since other addresses share them. */
export async function remove(this: IHookFunctions): Promise<boolean> {
	const state = this.getWorkflowStaticData('node') as State;
	const locationId = readLocationId.call(this);
	const current = await readLocation.call(this, locationId);
	const next = settingsToUnregister(current, baseUrl.call(this));
	if (next !== undefined) await writeLocation.call(this, locationId, next);
	delete state.secret;
	delete state.url;
	return true;
}

function baseUrl(this: IHookFunctions): string {
	return String(this.getNodeWebhookUrl(WEBHOOK) ?? '');
}

async function readLocation(this: IHookFunctions, locationId: string): Promise<HookSettings> {
	return readSettings(await createApi(this).request({ endpoint: `/hooks_settings/${locationId}` }));
}

async function writeLocation(this: IHookFunctions, locationId: string, settings: HookSettings) {
	await createApi(this).request({
		method: 'POST',
		endpoint: `/hooks_settings/${locationId}`,
		body: settings,
	});
}

/**
 * The flags of the chosen events, plus `self_sending` with Include Own Changes: only then does
 * Altegio also send the changes made with this credential's partner token (by the Altegio node, for
 * instance), which would let a workflow that updates what triggered it start itself again.
 */
function neededFlags(this: IHookFunctions): string[] {
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const flags = flagsFor(readEvents.call(this));
	return options.includeOwnChanges === true ? [...flags, 'self_sending'] : flags;
}

function readEvents(this: IHookFunctions): EventName[] {
	const events = (this.getNodeParameter('events', []) as unknown[]).filter(isEventName);
	if (events.length === 0) {
		throw new NodeOperationError(this.getNode(), 'No event is chosen', {
			description: 'Choose at least one event in Events, such as Appointment',
		});
	}
	return events;
}

export function readLocationId(this: IHookFunctions): string {
	const value = this.getNodeParameter('locationId', '', { extractValue: true });
	const text =
		typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	if (!/^[0-9]{1,15}$/.test(text) || Number(text) === 0) {
		throw new NodeOperationError(
			this.getNode(),
			`The location ID${text ? ` "${text.slice(0, 40)}"` : ''} is not a positive whole number`,
			{ description: 'Pick the location from the list, or enter its numeric ID, such as 38726' },
		);
	}
	return String(Number(text));
}
