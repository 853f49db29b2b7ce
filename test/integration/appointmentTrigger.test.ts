/**
 * The Altegio Appointment Trigger's poll() in n8n-core's poll executor against the sandbox, on the
 * sandbox's clock: the items each poll emits and the requests it makes.
 */
import type { IDataObject } from 'n8n-workflow';

import { AUTHORIZATION } from '../helpers/locations';
import { PollRunner } from '../helpers/poll';
import type { Sandbox } from '../helpers/sandbox';
import { useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });
const HOUR = 3_600_000;
const MINUTE = 60_000;

const location = (value: string) => ({ __rl: true, mode: 'id', value });

/** The trigger on location 38726, unless `parameters` names another. */
const trigger = (sb: Sandbox, parameters: IDataObject) =>
	new PollRunner(sb, { locationId: location('38726'), ...parameters });

/** A sandbox with its clock at `now`, and the trigger on it. */
function start(now: string, parameters: IDataObject) {
	const sb = sandbox();
	sb.clock.set(now);
	return { sb, runner: trigger(sb, parameters) };
}

const DAY_BEFORE = { event: 'startsSoon', hoursBefore: 24 };

async function call(sb: Sandbox, method: string, path: string, body?: unknown) {
	const response = await fetch(`${sb.apiUrl}${path}`, {
		method,
		headers: {
			Authorization: AUTHORIZATION,
			Accept: 'application/vnd.api.v2+json',
			'Content-Type': 'application/json',
		},
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await response.text();
	return text === '' ? undefined : (JSON.parse(text).data as IDataObject | IDataObject[]);
}

/** Books an appointment at 38726 (or another location) through the API. */
async function book(
	sb: Sandbox,
	datetime: string,
	extra: IDataObject = {},
	at = '38726',
	staff = 2001,
	service = 11001,
): Promise<IDataObject> {
	const data = await call(sb, 'POST', `/records/${at}`, {
		staff_id: staff,
		services: [{ id: service }],
		client: { phone: '+13155550175', name: 'James Smith' },
		datetime,
		seance_length: 3600,
		save_if_busy: true,
		...extra,
	});
	return (data as IDataObject[])[0];
}

async function update(sb: Sandbox, record: IDataObject, changes: IDataObject, at = '38726') {
	return (await call(sb, 'PUT', `/record/${at}/${String(record.id)}`, {
		staff_id: record.staff_id,
		services: (record.services as IDataObject[]).map(({ id }) => ({ id })),
		client: { phone: '+13155550175' },
		datetime: record.datetime,
		seance_length: record.seance_length,
		save_if_busy: true,
		...changes,
	})) as IDataObject;
}

const get = async (sb: Sandbox, id: unknown, at = '38726') =>
	(await call(sb, 'GET', `/record/${at}/${String(id)}`)) as IDataObject;

/** What the trigger asked the sandbox since the last call (the test's own calls left out). */
function asked(sb: Sandbox) {
	const list = sb.requests
		.filter(({ method, path }) => method === 'GET' && !path.includes('/record/'))
		.map(({ method, path, query, headers }) => ({
			method,
			path: path.replace('/api/v1', ''),
			query,
			authorization: headers.authorization,
		}));
	sb.clearRequests();
	return list;
}

const records = (query: IDataObject, at = '38726') => ({
	method: 'GET',
	path: `/records/${at}`,
	query: { ...query, count: '300', page: '1' },
	authorization: AUTHORIZATION,
});
const groups = { method: 'GET', path: '/groups', query: {}, authorization: AUTHORIZATION };

const item = (event: string, data: IDataObject, timeZone = '-05:00', at = 38726) => ({
	event,
	locationId: at,
	appointmentId: data.id,
	timeZone,
	data,
});

describe('Starts Soon', () => {
	it('emits an appointment once, at the first poll that finds it within Hours Before, and nothing at activation', async () => {
		const { sb, runner } = start('2026-12-13T15:00:00Z', DAY_BEFORE);

		// 61000002 starts 2026-12-14 10:30 -05:00, 24.5 hours from now: not yet.
		expect(await runner.poll()).toEqual({ items: null });
		expect(asked(sb)).toEqual([
			groups,
			records({ start_date: '2026-12-13', end_date: '2026-12-14' }),
		]);

		sb.clock.advance(20 * MINUTE);
		expect(await runner.poll()).toEqual({ items: null });
		sb.clock.advance(20 * MINUTE);
		const { items } = await runner.poll();
		expect(items).toEqual([item('startsSoon', await get(sb, 61000002))]);
		expect(asked(sb).slice(-1)).toEqual([
			records({ start_date: '2026-12-13', end_date: '2026-12-14' }),
		]);

		for (let poll = 0; poll < 5; poll++) {
			sb.clock.advance(HOUR);
			expect(await runner.poll()).toEqual({ items: null });
		}
	});

	it('does not remind appointments that were already within the hours at activation, but does remind ones booked later', async () => {
		const { sb, runner } = start('2026-12-14T05:00:00Z', DAY_BEFORE);
		expect(await runner.poll()).toEqual({ items: null });

		const late = await book(sb, '2026-12-14T17:00:00-05:00');
		sb.clock.advance(MINUTE);
		expect((await runner.poll()).items).toEqual([item('startsSoon', await get(sb, late.id))]);
		sb.clock.advance(MINUTE);
		expect(await runner.poll()).toEqual({ items: null });
	});

	it('reminds a moved appointment again, once, for its new time; never one cancelled before its window', async () => {
		const { sb, runner } = start('2026-12-20T12:00:00Z', { event: 'startsSoon', hoursBefore: 2 });
		const moved = await book(sb, '2026-12-20T09:30:00-05:00');
		const cancelled = await book(sb, '2026-12-20T10:00:00-05:00', {}, '38726', 2002, 11002);
		expect(await runner.poll()).toEqual({ items: null });

		sb.clock.set('2026-12-20T12:45:00Z');
		await call(sb, 'DELETE', `/record/38726/${String(cancelled.id)}`);
		expect((await runner.poll()).items).toEqual([item('startsSoon', await get(sb, moved.id))]);

		await update(sb, moved, { datetime: '2026-12-20T16:00:00-05:00' });
		for (const time of ['13:30', '15:00', '18:30', '19:00', '19:30', '20:30']) {
			sb.clock.set(`2026-12-20T${time}:00Z`);
			const { items } = await runner.poll();
			if (time === '19:00') expect(items).toEqual([item('startsSoon', await get(sb, moved.id))]);
			else expect(items).toBeNull();
		}
	});
});

describe('Ended', () => {
	it('emits an appointment Hours After its end, once, with attendance arrived only, and not when cancelled', async () => {
		const { sb, runner } = start('2026-12-21T13:00:00Z', {
			event: 'ended',
			hoursAfter: 2,
			filters: { attendance: ['arrived'] },
		});
		const arrived = await book(sb, '2026-12-21T10:00:00-05:00', { attendance: 1 });
		const waiting = await book(
			sb,
			'2026-12-21T10:00:00-05:00',
			{ attendance: 0 },
			'38726',
			2002,
			11002,
		);
		const cancelled = await book(sb, '2026-12-21T11:00:00-05:00', { attendance: 1 });
		expect(await runner.poll()).toEqual({ items: null });
		expect(asked(sb)).toEqual([groups]);
		await call(sb, 'DELETE', `/record/38726/${String(cancelled.id)}`);
		sb.clearRequests();

		// 10:00–11:00 local ends at 16:00Z; two hours later is 18:00Z.
		sb.clock.set('2026-12-21T17:59:00Z');
		expect(await runner.poll()).toEqual({ items: null });
		expect(asked(sb)).toEqual([records({ start_date: '2026-12-20', end_date: '2026-12-21' })]);
		sb.clock.set('2026-12-21T18:00:00Z');
		expect((await runner.poll()).items).toEqual([item('ended', await get(sb, arrived.id))]);
		sb.clock.set('2026-12-21T20:00:00Z');
		expect(await runner.poll()).toEqual({ items: null });

		// Marked arrived late: still emitted, once.
		await update(sb, waiting, { attendance: 1 });
		sb.clock.set('2026-12-21T21:00:00Z');
		expect((await runner.poll()).items).toEqual([item('ended', await get(sb, waiting.id))]);
		sb.clock.set('2026-12-21T22:00:00Z');
		expect(await runner.poll()).toEqual({ items: null });
	});
});

describe('Created, Changed and Cancelled', () => {
	it('reads changes with changed_after in the location time and emits each event once', async () => {
		const sb = sandbox();
		sb.clock.set('2026-12-22T15:00:00Z');
		const created = trigger(sb, { event: 'created' });
		const changed = trigger(sb, { event: 'changed' });
		const cancelled = trigger(sb, { event: 'cancelled' });
		for (const runner of [created, changed, cancelled])
			expect(await runner.poll()).toEqual({ items: null });
		expect(asked(sb)).toEqual([groups, groups, groups]);

		sb.clock.set('2026-12-22T15:05:00Z');
		const booked = await book(sb, '2026-12-28T12:00:00-05:00');
		sb.clock.set('2026-12-22T15:06:00Z');
		expect((await created.poll()).items).toEqual([item('created', await get(sb, booked.id))]);
		expect(await changed.poll()).toEqual({ items: null });
		expect(await cancelled.poll()).toEqual({ items: null });
		// The cursor was 10:00 local; the trigger reads 10 minutes before it.
		const changes = records({ changed_after: '2026-12-22T09:50:00', with_deleted: '1' });
		expect(asked(sb)).toEqual([changes, changes, changes]);

		await update(sb, booked, { comment: 'First change' });
		const first = await get(sb, booked.id);
		sb.clock.advance(MINUTE);
		await update(sb, booked, { comment: 'Second change' });
		const second = await get(sb, booked.id);
		// One poll sees only the latest state; a poll before the second change sees the first.
		sb.clock.advance(MINUTE);
		expect((await changed.poll()).items).toEqual([item('changed', second)]);
		expect(await created.poll()).toEqual({ items: null });
		expect(first.comment).toBe('First change');

		sb.clock.advance(MINUTE);
		expect(await changed.poll()).toEqual({ items: null });
		await update(sb, booked, { comment: 'Third change' });
		sb.clock.advance(MINUTE);
		expect((await changed.poll()).items).toEqual([item('changed', await get(sb, booked.id))]);

		await call(sb, 'DELETE', `/record/38726/${String(booked.id)}`);
		sb.clock.advance(MINUTE);
		const { items } = await cancelled.poll();
		expect(items).toHaveLength(1);
		expect(items?.[0]).toMatchObject({
			event: 'cancelled',
			appointmentId: booked.id,
			data: { deleted: true },
		});
		expect(await changed.poll()).toEqual({ items: null });
		sb.clock.advance(MINUTE);
		expect(await cancelled.poll()).toEqual({ items: null });
	});

	it('after a restart with a gap, catches up on what changed meanwhile', async () => {
		const { sb, runner } = start('2026-12-22T15:00:00Z', { event: 'created' });
		expect(await runner.poll()).toEqual({ items: null });

		// n8n is stopped for three days; two appointments are booked meanwhile.
		sb.clock.set('2026-12-23T10:00:00Z');
		const first = await book(sb, '2026-12-30T12:00:00-05:00');
		sb.clock.set('2026-12-24T10:00:00Z');
		const second = await book(sb, '2026-12-30T14:00:00-05:00');
		sb.clock.set('2026-12-25T15:00:00Z');
		sb.clearRequests();
		const restarted = trigger(sb, { event: 'created' });
		restarted.saved = runner.saved;
		expect((await restarted.poll('trigger', 'init')).items).toEqual([
			item('created', await get(sb, first.id)),
			item('created', await get(sb, second.id)),
		]);
		// The time zone is read again: the saved one is more than a day old.
		expect(asked(sb)).toEqual([
			groups,
			records({ changed_after: '2026-12-22T09:50:00', with_deleted: '1' }),
		]);
		expect(restarted.warnings).toEqual([]);
	});

	it('catches up at most 7 days, and says so in the items and the log', async () => {
		const { sb, runner } = start('2026-12-22T15:00:00Z', { event: 'created' });
		expect(await runner.poll()).toEqual({ items: null });

		sb.clock.set('2026-12-23T10:00:00Z');
		await book(sb, '2027-01-05T12:00:00-05:00');
		sb.clock.set('2026-12-31T10:00:00Z');
		const kept = await book(sb, '2027-01-05T14:00:00-05:00');
		sb.clock.set('2027-01-01T15:00:00Z');
		sb.clearRequests();
		const notice =
			'This trigger did not poll from 2026-12-22T10:00:00-05:00 to 2027-01-01T10:00:00-05:00. It catches up at most 7 days, so changes before 2026-12-25T10:00:00-05:00 were not read.';
		expect((await runner.poll('trigger', 'init')).items).toEqual([
			{ ...item('created', await get(sb, kept.id)), notice },
		]);
		expect(asked(sb)).toEqual([
			groups,
			records({ changed_after: '2026-12-25T10:00:00', with_deleted: '1' }),
		]);
		expect(runner.warnings).toEqual([`Altegio Appointment Trigger: ${notice}`]);
	});
});

describe('Time zones', () => {
	it('computes windows in the location time zone across daylight-saving changes: no reminder skipped or repeated', async () => {
		const at = '40120';
		const { sb, runner } = start('2027-03-13T00:00:00Z', {
			locationId: location(at),
			...DAY_BEFORE,
		});
		expect(await runner.poll()).toEqual({ items: null });
		// Clocks go forward at 2:00 on 14 March and back at 2:00 on 7 November 2027.
		const spring = await book(sb, '2027-03-14T10:00:00', {}, at, 3101, 41001);
		const skipped = await book(sb, '2027-03-14T02:30:00', {}, at, 3101, 41001);
		expect([spring.datetime, skipped.datetime]).toEqual([
			'2027-03-14T10:00:00-04:00',
			'2027-03-14T03:30:00-04:00',
		]);

		const seen: Array<[string, unknown]> = [];
		for (
			let time = Date.parse('2027-03-13T00:30:00Z');
			time <= Date.parse('2027-03-14T16:00:00Z');
			time += 30 * MINUTE
		) {
			sb.clock.set(time);
			for (const entry of (await runner.poll()).items ?? [])
				seen.push([new Date(time).toISOString(), entry.appointmentId]);
		}
		// 24 real hours before 07:30Z and 14:00Z.
		expect(seen).toEqual([
			['2027-03-13T07:30:00.000Z', skipped.id],
			['2027-03-13T14:00:00.000Z', spring.id],
		]);

		const fall = trigger(sb, { locationId: location(at), event: 'created' });
		sb.clock.set('2027-11-07T04:00:00Z');
		expect(await fall.poll()).toEqual({ items: null });
		// Two appointments at 01:30, the hour that happens twice: first in EDT, then in EST.
		const first = await book(sb, '2027-11-07T01:30:00-04:00', {}, at, 3101, 41001);
		sb.clock.set('2027-11-07T05:40:00Z');
		expect((await fall.poll()).items).toEqual([
			item('created', await get(sb, first.id, at), 'America/New_York', 40120),
		]);
		const second = await book(sb, '2027-11-07T01:30:00-05:00', {}, at, 3101, 41001);
		sb.clearRequests();
		const created: unknown[] = [];
		for (
			let time = Date.parse('2027-11-07T06:00:00Z');
			time <= Date.parse('2027-11-07T07:30:00Z');
			time += 15 * MINUTE
		) {
			sb.clock.set(time);
			created.push(...((await fall.poll()).items ?? []).map((entry) => entry.appointmentId));
		}
		expect(created).toEqual([second.id]);
		// The cursor 05:40Z less 10 minutes is 01:30 EDT, a wall time that also means 01:30 EST an
		// hour later: the trigger asks from 00:30, which means only the earlier moment.
		expect(asked(sb)[0].query).toEqual({
			changed_after: '2027-11-07T00:30:00',
			with_deleted: '1',
			count: '300',
			page: '1',
		});
		expect(first.datetime).toBe('2027-11-07T01:30:00-04:00');
	});

	it('refuses a location that no chain of the user lists, before reading any appointment', async () => {
		const sb = sandbox();
		const runner = trigger(sb, { locationId: location('1'), event: 'created' });
		const { items, error } = await runner.poll();
		expect(items).toBeNull();
		expect(error).toMatchObject({
			message: 'Location 1 is not among the locations this Altegio user can see',
			description:
				'Pick the location from the list, or check that the user of the credential has access to it',
		});
		expect(asked(sb)).toEqual([groups]);
	});
});

describe('Fetch Test Event', () => {
	it('returns the most recent matching appointment as a sample and keeps no state', async () => {
		const { sb, runner } = start('2026-12-13T15:00:00Z', DAY_BEFORE);
		expect((await runner.poll('manual')).items).toEqual([
			item('startsSoon', await get(sb, 61000002)),
		]);
		expect(asked(sb)).toEqual([
			groups,
			records({ start_date: '2026-12-13', end_date: '2026-12-20' }),
		]);
		expect(runner.state()).toEqual({});

		runner.set({ filters: { teamMemberId: '2002' } });
		expect((await runner.poll('manual')).items).toEqual([
			item('startsSoon', await get(sb, 61000003)),
		]);
		expect(asked(sb)[1].query).toMatchObject({ staff_id: '2002' });

		runner.set({ event: 'cancelled', filters: {} });
		const { items, error } = await runner.poll('manual');
		expect(items).toBeNull();
		expect(error?.message).toBe(
			'No appointment of location 38726 matches this event and the filters in the last 7 days',
		);
	});
});

describe('Filters picked from the lists', () => {
	const picked = {
		teamMemberId: { __rl: true, mode: 'list', value: '2002' },
		serviceIds: [11004, 11002],
	};
	const typed = {
		teamMemberId: { __rl: true, mode: 'id', value: ' 2002 ' },
		serviceIds: '={{ "11002, 11004" }}',
	};
	const asText = { teamMemberId: '2002', serviceIds: '11002,11004' };

	it.each([
		['picked from the lists', picked],
		['by ID and by an expression', typed],
		['as plain text', asText],
	])('%s: the same request (staff_id) and the same appointment', async (_label, filters) => {
		const { sb, runner } = start('2026-12-13T15:00:00Z', { ...DAY_BEFORE, filters });

		expect((await runner.poll('manual')).items).toEqual([
			item('startsSoon', await get(sb, 61000003)),
		]);
		expect(asked(sb)).toEqual([
			groups,
			records({ start_date: '2026-12-13', end_date: '2026-12-20', staff_id: '2002' }),
		]);
	});

	it('a service the appointments do not have leaves nothing to emit', async () => {
		const { sb, runner } = start('2026-12-13T15:00:00Z', {
			...DAY_BEFORE,
			filters: { ...picked, serviceIds: [11003] },
		});

		const { items, error } = await runner.poll('manual');
		expect(items).toBeNull();
		expect(error?.message).toBe(
			'No appointment of location 38726 matches this event and the filters in the next 7 days',
		);
	});

	it.each([
		[
			{ teamMemberId: { __rl: true, mode: 'list', value: '={{ "Emma" }}' } },
			'The team member ID "Emma" is not a positive whole number',
			'Pick the team member from the list, or enter its numeric ID, such as 2001, or remove the filter',
		],
		[
			{ serviceIds: [11001, 'haircut'] },
			'The service ID "haircut" is not a positive whole number',
			'Pick the services from the list, or give numeric service IDs separated by commas, such as 11001, 11002',
		],
	])('%p fails before any request: %s', async (filters, message, description) => {
		const { sb, runner } = start('2026-12-13T15:00:00Z', { ...DAY_BEFORE, filters });

		const { error } = await runner.poll('manual');
		expect(error?.message).toBe(message);
		expect((error as { description?: string } | undefined)?.description).toBe(description);
		expect(asked(sb)).toEqual([]);
	});
});

describe('Changes the API lists in several pages or within one second', () => {
	it('emits a second change made within the same second as the first, at the next poll', async () => {
		const { sb, runner } = start('2026-12-22T15:00:00Z', { event: 'changed' });
		expect(await runner.poll()).toEqual({ items: null });
		sb.clock.set('2026-12-22T15:05:00Z');
		const booked = await book(sb, '2026-12-28T12:00:00-05:00');
		sb.clock.set('2026-12-22T15:06:00Z');
		await update(sb, booked, { comment: 'First change' });
		const first = await get(sb, booked.id);
		expect((await runner.poll()).items).toEqual([item('changed', first)]);

		// the sandbox's clock stands still: the same whole-second last_change_date
		await update(sb, booked, { comment: 'Second change' });
		const second = await get(sb, booked.id);
		expect(second.last_change_date).toBe(first.last_change_date);
		expect((await runner.poll()).items).toEqual([item('changed', second)]);
		expect(await runner.poll()).toEqual({ items: null });
	});

	it('reads past pages the API serves shorter than asked, as far as total_count says', async () => {
		const { sb, runner } = start('2026-12-22T15:00:00Z', { event: 'created' });
		expect(await runner.poll()).toEqual({ items: null });
		sb.clock.set('2026-12-22T15:05:00Z');
		const booked: unknown[] = [];
		for (let i = 0; i < 230; i++) {
			const minutes = String((i % 12) * 5).padStart(2, '0');
			const hour = String(8 + (Math.floor(i / 12) % 10)).padStart(2, '0');
			const day = 24 + Math.floor(i / 120);
			booked.push((await book(sb, `2026-12-${day}T${hour}:${minutes}:00-05:00`)).id);
		}
		sb.clock.set('2026-12-22T15:06:00Z');
		asked(sb);

		const { items } = await runner.poll();

		// the sandbox serves at most 200 a page, whatever count asks for
		expect(asked(sb).map(({ query }) => query.page)).toEqual(['1', '2']);
		expect((items ?? []).map((json) => json.appointmentId).sort()).toEqual([...booked].sort());
	});
});
