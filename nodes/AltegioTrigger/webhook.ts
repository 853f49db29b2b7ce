import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import type { Filter } from './delivery';
import {
	acceptedEvent,
	deliveryKey,
	parseEnvelope,
	RecentDeliveries,
	secretMatches,
	toItem,
} from './delivery';
import type { Status } from './events';
import { isEventName, STATUSES } from './events';

const recent = new RecentDeliveries();

/**
 * Answers a delivery: refused (403) without the secret, refused (400) when it is not a delivery,
 * acknowledged without a run when it is filtered out or repeated, else one item.
 */
export async function receive(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const state = this.getWorkflowStaticData('node');
	const query = this.getQueryData() as IDataObject;
	if (!secretMatches(state.secret, query.secret)) {
		this.logger.warn('Altegio Trigger refused a delivery without the secret of its address', {
			workflowId: this.getWorkflow().id,
			node: this.getNode().name,
		});
		return refuse.call(this, 403, 'This address accepts only deliveries with its secret');
	}

	const parsed = parseEnvelope(this.getBodyData());
	if ('problem' in parsed) {
		this.logger.warn(`Altegio Trigger refused a delivery: ${parsed.problem}`, {
			workflowId: this.getWorkflow().id,
			node: this.getNode().name,
		});
		return refuse.call(this, 400, `This is not an Altegio webhook delivery: ${parsed.problem}`);
	}
	const { envelope } = parsed;

	const event =
		String(envelope.company_id) === readLocation.call(this)
			? acceptedEvent(envelope, readFilter.call(this))
			: undefined;
	if (event === undefined) return acknowledge('Received; not an event this trigger listens to');

	// Per mode: the test URL and the production URL each receive their own copy of a delivery.
	const key = [
		this.getWorkflow().id,
		this.getNode().id,
		this.getMode(),
		deliveryKey(envelope),
	].join(':');
	const receivedAt = new Date();
	if (recent.isRepeat(key, receivedAt.getTime())) {
		return acknowledge('Received; a repeated delivery');
	}
	return { workflowData: [this.helpers.returnJsonArray([toItem(envelope, event, receivedAt)])] };
}

function refuse(this: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	this.getResponseObject().status(status).json({ message });
	return { noWebhookResponse: true };
}

function acknowledge(message: string): IWebhookResponseData {
	return { webhookResponse: { message } };
}

function readLocation(this: IWebhookFunctions): string {
	const value = this.getNodeParameter('locationId', '', { extractValue: true });
	return String(value)
		.trim()
		.replace(/^0+(?=\d)/, '');
}

function readFilter(this: IWebhookFunctions): Filter {
	const options = this.getNodeParameter('options', {}) as IDataObject;
	return {
		events: (this.getNodeParameter('events', []) as unknown[]).filter(isEventName),
		statuses: (this.getNodeParameter('statuses', []) as unknown[]).filter(
			(status): status is Status => (STATUSES as readonly unknown[]).includes(status),
		),
		ignoreAttendanceUpdates: options.ignoreAttendanceUpdates === true,
	};
}
