import type { INodeProperties } from 'n8n-workflow';

import packageJson from '../../../package.json';
import { locationLocator } from '../../../nodes/Altegio/actions/common.descriptions';
import { searchLocations } from '../../../nodes/Altegio/methods/listSearch';
import { Altegio } from '../../../nodes/Altegio/Altegio.node';
import { AltegioTrigger } from '../../../nodes/AltegioTrigger/AltegioTrigger.node';
import { subtitleOf } from '../../helpers/subtitle';

const { description } = new AltegioTrigger();
const property = (name: string) =>
	description.properties.find((p) => p.name === name) as INodeProperties;
const values = (name: string) =>
	(property(name).options as Array<{ value: string }>).map((option) => option.value);

describe('Altegio Trigger in the editor', () => {
	test.each([
		[['appointment'], 'Appointment'],
		[['appointment', 'client', 'teamMember'], 'Appointment, Client, Team Member'],
		[['financeOperation', 'loyaltyCard'], 'Finance Operation, Loyalty Card'],
	])('the subtitle of events %p reads "%s"', (events, expected) => {
		expect(subtitleOf(new AltegioTrigger(), { events })).toBe(expected);
	});

	// n8n's nodes panel lists altegio and altegioTrigger as one "Altegio" entry and shows the
	// trigger's description there (n8n-editor-ui, generateMergedNodesAndActions).
	test('its description is the action node`s, which the merged "Altegio" entry of the nodes panel shows', () => {
		expect(description.description).toBe(new Altegio().description.description);
		expect(description.description).toBe(
			'Look up clients and book appointments in Altegio or YCLIENTS',
		);
	});
});

describe('Altegio Trigger: the public contract', () => {
	test('node type altegioTrigger v1 with the altegioApi credential, listed in package.json', () => {
		expect(description).toMatchObject({
			name: 'altegioTrigger',
			displayName: 'Altegio Trigger',
			version: 1,
			group: ['trigger'],
			inputs: [],
			credentials: [{ name: 'altegioApi', required: true }],
			webhooks: [
				{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' },
			],
		});
		expect(description.usableAsTool).toBeUndefined();
		expect(packageJson.n8n.nodes).toContain('dist/nodes/AltegioTrigger/AltegioTrigger.node.js');
	});

	test('parameters: the node`s location locator, events, statuses and options', () => {
		expect(property('locationId')).toBe(locationLocator);
		expect(new AltegioTrigger().methods.listSearch.searchLocations).toBe(searchLocations);
		expect(values('events').sort()).toEqual(
			[
				'appointment',
				'client',
				'financeOperation',
				'location',
				'loyaltyCard',
				'service',
				'teamMember',
			].sort(),
		);
		expect(values('statuses').sort()).toEqual(['create', 'delete', 'update']);
		expect(property('statuses').default).toEqual(['create', 'update', 'delete']);
		expect(
			(property('options').options as INodeProperties[]).map((option) => [
				option.name,
				option.default,
			]),
		).toEqual([
			['ignoreAttendanceUpdates', false],
			['includeOwnChanges', false],
		]);
		expect(property('options')).toMatchObject({ type: 'collection', displayName: 'Options' });
	});
});
