import type { INodeProperties } from 'n8n-workflow';

import packageJson from '../../../package.json';
import { locationLocator } from '../../../nodes/Altegio/actions/common.descriptions';
import { searchLocations, searchTeamMembers } from '../../../nodes/Altegio/methods/listSearch';
import { getServices } from '../../../nodes/Altegio/methods/loadOptions';
import { AltegioAppointmentTrigger } from '../../../nodes/AltegioAppointmentTrigger/AltegioAppointmentTrigger.node';

const trigger = new AltegioAppointmentTrigger();
const { description } = trigger;
const property = (name: string, list: INodeProperties[] = description.properties) =>
	list.find((p) => p.name === name) as INodeProperties;
const values = (field: INodeProperties) =>
	(field.options as Array<{ value: string }>).map((option) => option.value).sort();

/** The names saved workflows hold (issue 20, "Public contract"): renaming one breaks them. */
describe('Altegio Appointment Trigger: the public contract', () => {
	test('node type altegioAppointmentTrigger v1, a polling trigger with the altegioApi credential, listed in package.json', () => {
		expect(description).toMatchObject({
			name: 'altegioAppointmentTrigger',
			displayName: 'Altegio Appointment Trigger',
			version: 1,
			polling: true,
			group: ['trigger'],
			inputs: [],
			credentials: [{ name: 'altegioApi', required: true }],
		});
		expect(typeof trigger.poll).toBe('function');
		expect(packageJson.n8n.nodes).toContain(
			'dist/nodes/AltegioAppointmentTrigger/AltegioAppointmentTrigger.node.js',
		);
	});

	test('parameters locationId, event, hoursBefore, hoursAfter, filters', () => {
		expect(description.properties.map((p) => p.name)).toEqual([
			'locationId',
			'event',
			'hoursBefore',
			'hoursAfter',
			'filters',
		]);
		expect(property('locationId')).toBe(locationLocator);
		expect(property('locationId').modes?.map((mode) => mode.name)).toEqual(['list', 'id']);
		expect(trigger.methods.listSearch.searchLocations).toBe(searchLocations);
		expect(values(property('event'))).toEqual(
			['cancelled', 'changed', 'created', 'ended', 'startsSoon'].sort(),
		);
		expect(property('hoursBefore').displayOptions).toEqual({ show: { event: ['startsSoon'] } });
		expect(property('hoursAfter').displayOptions).toEqual({ show: { event: ['ended'] } });
	});

	test('filters hold teamMemberId, serviceIds and attendance (confirmed, arrived, waiting, noShow)', () => {
		const filters = property('filters');
		expect(filters.type).toBe('collection');
		const options = filters.options as INodeProperties[];
		expect(options.map((o) => o.name).sort()).toEqual(
			['attendance', 'serviceIds', 'teamMemberId'].sort(),
		);
		expect(values(property('attendance', options))).toEqual(
			['arrived', 'confirmed', 'noShow', 'waiting'].sort(),
		);
	});

	test("the team member and the services are picked from the chosen location's lists", () => {
		const options = property('filters').options as INodeProperties[];
		const member = property('teamMemberId', options);
		expect(member.type).toBe('resourceLocator');
		expect(member.default).toEqual({ mode: 'list', value: '' });
		expect(member.modes?.map((mode) => mode.name)).toEqual(['list', 'id']);
		expect(member.modes?.[0].typeOptions?.searchListMethod).toBe('searchTeamMembers');
		expect(trigger.methods.listSearch.searchTeamMembers).toBe(searchTeamMembers);

		const services = property('serviceIds', options);
		expect(services.type).toBe('multiOptions');
		expect(services.default).toEqual([]);
		expect(services.typeOptions).toEqual({
			loadOptionsMethod: 'getServices',
			loadOptionsDependsOn: ['locationId.value'],
		});
		expect(trigger.methods.loadOptions.getServices).toBe(getServices);
	});
});
