// The Altegio node in the real n8n editor (2.41.1), driven by headless Chromium: the nodes panel
// lists the node and its actions, the "Get a chain client by phone" node picks the sandbox
// credential and lists the sandbox's chains in its Chain picker (From List → GET /groups), the
// "Altegio API" credential form shows its fields and passes its connection test, "Create an
// appointment" lists the locations and books one, the Altegio Trigger shows its parameters, and
// the walkthrough workflow (caller → next appointment → new booking) runs node by node.
//
// Needs Debian's Chromium (apt-get update && apt-get install -y chromium), and for the
// walkthrough GIF of `npm run screenshots` Debian's ffmpeg.
// Run: npm run test:browser (node --test browser/*.test.mjs). See browser/README.md.
// Screenshots go to .e2e/screenshots/ (untracked); `npm run screenshots` writes them to docs/
// (ALTEGIO_SCREENSHOT_DIR). On a failure the page is saved to .e2e/browser/failure-*.png.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';

import {
	E2E_DIR,
	buildAndPack,
	createInstance,
	importCredentials,
	importWorkflows,
	killAllChildren,
	log,
	prepareN8n,
	sandboxCredential,
	setupOwner,
	startN8n,
	startSandbox,
} from '../tools/n8n/harness.mjs';
import {
	OWNER,
	assertChromiumInstalled,
	assertFfmpegInstalled,
	dismissDialogs,
	framesToGif,
	launchEditorBrowser,
	screenshot,
	signIn,
	startRecording,
	tid,
} from './lib/editor.mjs';
import { CALLER_PHONE, NODES, WALKTHROUGH_ID, walkthroughWorkflow } from './lib/walkthrough.mjs';

const SHOTS = process.env.ALTEGIO_SCREENSHOT_DIR
	? path.resolve(process.env.ALTEGIO_SCREENSHOT_DIR)
	: path.join(E2E_DIR, 'screenshots');
const FAILURES = path.join(E2E_DIR, 'browser');
// `npm run screenshots` also records the walkthrough and writes it as a GIF; a test run does not.
const RECORD = Boolean(process.env.ALTEGIO_SCREENSHOT_DIR);
const FRAMES = path.join(E2E_DIR, 'browser-frames');
const CREDENTIAL_NAME = 'Altegio sandbox';
const PHONE = '+1 315 555 01 75';
// Times in the seed's week (sandbox/seed-locations.json), moved as the sandbox moves its appointments.
const CREATE_START = '2026-12-16T12:00:00-05:00';
const WALKTHROUGH_START = '2026-12-21T10:30:00-05:00';
const NEXT_APPOINTMENT = { id: 61000002, datetime: '2026-12-14T10:30:00-05:00' };
const seedDate = (text) => sandbox.modules.locations.seedDate(text);
const STEP_TIMEOUT = 90_000;

/** State shared by the steps: one sandbox, one n8n, one browser page for the whole file. */
let sandbox;
let server;
let ui;
let seedChains;
let recording;
const timings = {};

async function timed(name, fn) {
	const started = Date.now();
	try {
		return await fn();
	} finally {
		timings[name] = Date.now() - started;
		log(`browser: ${name} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
	}
}

let failedStep;

/**
 * Runs one step of the walk through the editor. Each step starts where the previous one left the
 * page, so after a failure the later steps are skipped instead of timing out one by one. On
 * failure the page is saved as .e2e/browser/failure-<step>.png.
 */
async function step(t, name, fn) {
	if (failedStep) {
		t.skip(`the "${failedStep}" step failed`);
		return;
	}
	assert.ok(ui?.page, 'the browser did not start (see the setup error above)');
	try {
		return await timed(name, fn);
	} catch (error) {
		failedStep = name;
		try {
			fs.mkdirSync(FAILURES, { recursive: true });
			const file = path.join(FAILURES, `failure-${name.replace(/\W+/g, '-')}.png`);
			await ui.page.screenshot({ path: file, timeout: 10_000 });
			error.message += `\n(screenshot of the page: ${file})`;
		} catch {
			/* the page is gone */
		}
		throw error;
	}
}

before(
	async () => {
		assertChromiumInstalled();
		if (RECORD) assertFfmpegInstalled();
		fs.rmSync(FAILURES, { recursive: true, force: true });
		// Preparing n8n the first time downloads ~3 GB (CI has done it in the e2e step already).
		await prepareN8n();
		const pack = await buildAndPack();
		const setupStarted = Date.now();
		// The seed's appointments moved to lie ahead of today, so that "next appointment" finds one.
		sandbox = await startSandbox({ today: 'now' });
		seedChains = sandbox.seed.chains.map((chain) => chain.title);
		const instance = await createInstance('browser-editor', { pack });
		const credential = sandboxCredential(sandbox, { name: CREDENTIAL_NAME });
		await importCredentials(instance, [credential]);
		await importWorkflows(instance, [
			walkthroughWorkflow({ credential, startAt: seedDate(WALKTHROUGH_START) }),
		]);
		// The harness starts n8n without the editor by default (N8N_DISABLE_UI): ask for it.
		server = await timed('n8n start', () =>
			startN8n(instance, { ui: true, env: { N8N_DISABLE_UI: 'false' } }),
		);
		await setupOwner(server.url, OWNER);
		ui = await launchEditorBrowser(new URL(server.url).origin);
		timings.setup = Date.now() - setupStarted;
	},
	{ timeout: 75 * 60_000 },
);

after(async () => {
	const errors = [];
	try {
		await recording?.stop();
	} catch {
		/* the page is gone */
	}
	fs.rmSync(FRAMES, { recursive: true, force: true });
	try {
		await ui?.browser.close();
	} catch (error) {
		errors.push(error);
	}
	try {
		await server?.stop();
	} catch (error) {
		errors.push(error);
	}
	try {
		await sandbox?.close();
	} catch (error) {
		errors.push(error);
	}
	killAllChildren('SIGKILL');
	if (ui?.blocked.length)
		log(
			`browser: blocked ${ui.blocked.length} request(s) to other hosts: ${[...new Set(ui.blocked)].join(', ')}`,
		);
	if (ui?.pageErrors.length) log(`browser: uncaught page errors: ${ui.pageErrors.join(' | ')}`);
	log(`browser: timings ${JSON.stringify(timings)}`);
	if (errors.length) throw errors[0];
});

test('signs in as the owner and opens a new workflow', { timeout: STEP_TIMEOUT }, (t) =>
	step(t, 'sign-in', async () => {
		const { page } = ui;
		await signIn(page, server.url);
		await page.goto(`${server.url}/workflow/new`);
		await page.locator(tid('canvas-add-button')).waitFor({ timeout: 60_000 });
		const dismissed = await dismissDialogs(page);
		if (dismissed.length) log(`browser: dismissed dialogs: ${dismissed.join(' | ')}`);
		assert.match(new URL(page.url()).pathname, /^\/workflow\//);
	}),
);

test(
	'the nodes panel lists the Altegio node, its icon and both actions',
	{ timeout: STEP_TIMEOUT },
	(t) =>
		step(t, 'nodes-panel', async () => {
			const { page } = ui;
			// Start with a manual trigger, as a person would, so that the panel offers actions ("What happens next?").
			await page.locator(tid('canvas-add-button')).click();
			await page
				.locator(tid('node-creator-node-item'))
				.filter({ hasText: 'Trigger manually' })
				.click();
			await page.locator(tid('canvas-node')).first().waitFor();

			await page.locator(tid('node-creator-plus-button')).click();
			const creator = page.locator(tid('node-creator'));
			await creator.locator(tid('node-creator-search-bar')).fill('Altegio');
			const item = creator
				.locator(`${tid('node-creator-node-item')}, ${tid('node-creator-action-item')}`)
				.filter({ has: page.locator(tid('node-creator-item-name'), { hasText: /^Altegio$/ }) });
			await item.waitFor();
			assert.equal(await item.count(), 1, 'exactly one "Altegio" entry in the search results');
			// n8n merges a node and its trigger into one entry, with the trigger's description: both
			// carry the action node's.
			assert.equal(
				(await item.locator(tid('node-creator-item-description')).textContent()).trim(),
				'Look up clients and book appointments in Altegio or YCLIENTS',
			);
			// The node's own icon, served by n8n from the installed package, has loaded.
			const icon = item.locator('img').first();
			assert.match(await icon.getAttribute('src'), /\/icons\/n8n-nodes-altegio\/.*altegio\.svg$/);
			await page.waitForFunction(
				(img) => img.complete && img.naturalWidth > 0,
				await icon.elementHandle(),
			);

			await item.click();
			const actionNames = creator.locator(tid('node-creator-item-name'));
			await actionNames.filter({ hasText: 'Get a chain client by phone' }).waitFor();
			const names = (await actionNames.allTextContents()).map((name) => name.trim());
			assert.ok(
				names.includes('Get many chains (read-only)'),
				`actions shown: ${names.join(', ')}`,
			);
			assert.ok(
				names.includes('Get a chain client by phone (read-only)'),
				`actions shown: ${names.join(', ')}`,
			);
			await assertVisibleText(creator, 'Chain Actions');
			await assertVisibleText(creator, 'Chain Client Actions');

			const panel = await creator.boundingBox();
			await screenshot(page, path.join(SHOTS, 'nodes-panel.png'), {
				x: panel.x - 460,
				y: 0,
				width: panel.width + 460,
				height: 580,
			});
		}),
);

test(
	'"Get a chain client by phone" uses the sandbox credential and lists the chains from GET /groups',
	{ timeout: STEP_TIMEOUT },
	(t) =>
		step(t, 'get-by-phone', async () => {
			const { page } = ui;
			const creator = page.locator(tid('node-creator'));
			await creator
				.locator(tid('node-creator-item-name'))
				.filter({ hasText: 'Get a chain client by phone' })
				.click();
			const { ndv, credential } = await nodePanel(page, 'Get a chain client by phone (read-only)');
			// The only credential of the type is selected on its own.
			assert.equal(credential, CREDENTIAL_NAME);
			assert.equal(await valueOf(ndv, 'parameter-input-resource'), 'Chain Client');
			assert.equal(await valueOf(ndv, 'parameter-input-operation'), 'Get by Phone');

			// Chain: the resource locator in "From list" mode calls searchChains → GET /groups on the sandbox.
			const chain = ndv.locator(tid('resource-locator-chainId'));
			assert.equal(await valueOf(chain, 'rlc-mode-selector'), 'From list');
			const groupsBefore = groupRequests().length;
			const items = await openList(chain);
			const listed = (await items.allTextContents()).map((text) => text.trim());
			assert.deepEqual(
				listed,
				sandbox.seed.chains.map((c) => `${c.title} (${c.id})`),
				'the Chain list shows the sandbox chains',
			);
			for (const title of ['Chain of salons in New York', 'Spa chain in Boston']) {
				assert.ok(seedChains.includes(title), `seed has "${title}"`);
				assert.ok(
					listed.some((text) => text.startsWith(title)),
					`"${title}" is listed`,
				);
			}
			const calls = groupRequests().slice(groupsBefore);
			assert.ok(calls.length >= 1, 'the picker asked the sandbox for GET /groups');
			const { partnerToken, userToken } = sandbox.seed;
			assert.equal(calls[0].headers.authorization, `Bearer ${partnerToken}, User ${userToken}`);
			const ndvBox = await ndv.boundingBox();
			const frame = { x: ndvBox.x, y: ndvBox.y, width: ndvBox.width, height: 500 };
			await screenshot(page, path.join(SHOTS, 'chain-list.png'), frame);

			// Choose a chain, type a phone and run the step against the sandbox.
			await items.filter({ hasText: 'Chain of salons in New York' }).click();
			const chosen = chain.locator(tid('rlc-input'));
			await page.waitForFunction((input) => input.value !== '', await chosen.elementHandle());
			assert.equal(await chosen.inputValue(), 'Chain of salons in New York (509)');
			await ndv.locator(`${tid('parameter-input-phone')} input`).fill(PHONE);
			await ndv.locator(tid('node-execute-button')).first().click();
			const output = ndv.locator(tid('output-panel'));
			await output.locator(tid('node-run-status-success')).waitFor({ timeout: 60_000 });
			await assertVisibleText(output.locator(tid('ndv-items-count')), '1 item');
			await assertVisibleText(output.locator(tid('ndv-data-container')), 'James Smith');
			// Let the success toast go so that it does not cover the frame.
			await dismissToasts(page);
			await screenshot(page, path.join(SHOTS, 'get-by-phone.png'), frame);
		}),
);

test(
	'the "Altegio API" credential form shows its fields and its connection test passes',
	{ timeout: STEP_TIMEOUT },
	(t) =>
		step(t, 'credential', async () => {
			const { page } = ui;
			const ndv = page.locator(tid('ndv'));
			await ndv.locator(tid('node-credentials-select')).click();
			await page.locator(tid('node-credentials-select-item-new')).click();
			// The modal: header (name, type, Save) around the form (data-test-id credential-edit-dialog).
			const dialog = page
				.locator('.el-dialog')
				.filter({ has: page.locator(tid('credential-edit-dialog')) });
			await dialog.waitFor();
			await assertVisibleText(dialog, 'Altegio API');

			const field = (name) =>
				dialog
					.locator(tid('credential-connection-parameter'))
					.filter({ has: page.locator(tid(name)) });
			const labels = {
				environment: 'Environment',
				partnerToken: 'Partner Token',
				userAuth: 'User Authentication',
				userToken: 'User Token',
				requestsPerSecond: 'Requests per Second',
				requestsPerMinute: 'Requests per Minute',
			};
			for (const [name, label] of Object.entries(labels)) {
				const row = field(name);
				await row.waitFor();
				await assertVisibleText(row.locator('label').first(), label);
			}
			assert.equal(await valueOf(dialog, 'parameter-input-environment'), 'Altegio');
			assert.equal(await field('baseUrl').count(), 0, 'Base URL is hidden until Custom is chosen');

			// Environment → Custom shows Base URL.
			await dialog.locator(tid('parameter-input-environment')).click();
			await page.getByRole('option', { name: /^Custom/ }).click();
			await field('baseUrl').waitFor();
			await assertVisibleText(field('baseUrl').locator('label').first(), 'Base URL');

			// Fill it for the sandbox and save: n8n runs the credential test (GET /groups).
			await field('baseUrl').locator('input').first().fill(sandbox.apiUrl);
			await field('partnerToken').locator('input').first().fill(sandbox.seed.partnerToken);
			await field('userToken').locator('input').first().fill(sandbox.seed.userToken);
			// Frame the form: scroll it so that it starts at Environment (the help line above it goes).
			await field('environment').evaluate((row) => {
				let box = row.parentElement;
				while (
					box &&
					!(
						box.scrollHeight > box.clientHeight &&
						/auto|scroll/.test(getComputedStyle(box).overflowY)
					)
				) {
					box = box.parentElement;
				}
				if (box)
					box.scrollTop += row.getBoundingClientRect().top - box.getBoundingClientRect().top - 4;
				document.activeElement?.blur();
			});
			await page.mouse.move(5, 5);
			// Crop below Requests per Second: Requests per Minute is the next row, under the fold.
			const dialogBox = await dialog.boundingBox();
			const rps = await field('requestsPerSecond').boundingBox();
			await screenshot(page, path.join(SHOTS, 'credential.png'), {
				...dialogBox,
				height: Math.min(dialogBox.height, rps.y + rps.height + 16 - dialogBox.y),
			});

			// Save: n8n tests the connection (GET /groups with these tokens), closes the modal and
			// selects the new credential in the node.
			const groupsBefore = groupRequests().length;
			await dialog.locator(tid('credential-save-button')).click();
			await dialog.waitFor({ state: 'hidden', timeout: 60_000 });
			const tests = groupRequests().slice(groupsBefore);
			assert.ok(tests.length >= 1, 'the connection test reached the sandbox');
			assert.equal(tests[0].status, 200);
			const credentialInput = ndv.locator(`${tid('node-credentials-select')} input`).first();
			await page.waitForFunction(
				(input) => input.value === 'Altegio account',
				await credentialInput.elementHandle(),
			);
		}),
);

test(
	'"Create an appointment" lists every location in its Location picker and books the appointment',
	{ timeout: STEP_TIMEOUT },
	(t) =>
		step(t, 'appointment-create', async () => {
			const { page } = ui;
			// After Get by Phone: a new node in the same workflow, from the nodes panel.
			await page.keyboard.press('Escape');
			const ndv = page.locator(tid('ndv'));
			await ndv.waitFor({ state: 'hidden' });
			await addAltegioAction(page, 'Create an appointment');
			await ndv.waitFor();
			assert.equal(await valueOf(ndv, 'parameter-input-operation'), 'Create');

			// Location: "From list" lists every location of every chain, each with its chain (GET /groups).
			const location = ndv.locator(tid('resource-locator-locationId'));
			assert.equal(await valueOf(location, 'rlc-mode-selector'), 'From list');
			const groupsBefore = groupRequests().length;
			const items = await openList(location);
			assert.deepEqual(
				(await items.allTextContents()).map((text) => text.trim()),
				seedLocations(),
				'the Location list shows the locations of the sandbox chains',
			);
			assert.ok(
				groupRequests().length > groupsBefore,
				'the picker asked the sandbox for GET /groups',
			);
			const ndvBox = await ndv.boundingBox();
			const listBox = await items.last().boundingBox();
			await screenshot(page, path.join(SHOTS, 'location-list.png'), {
				x: ndvBox.x,
				y: ndvBox.y,
				width: ndvBox.width,
				height: listBox.y + listBox.height + 24 - ndvBox.y,
			});

			await items.filter({ hasText: 'Location in Manhattan' }).click();
			const chosen = location.locator(tid('rlc-input'));
			await page.waitForFunction((input) => input.value !== '', await chosen.elementHandle());
			assert.equal(
				await chosen.inputValue(),
				'Location in Manhattan (38726), Chain of salons in New York',
			);
			const input = (name) => ndv.locator(`${tid(`parameter-input-${name}`)} input`).first();
			// Team Member: "From list" lists the chosen location's team members (GET /company/38726/staff).
			const teamMember = ndv.locator(tid('resource-locator-teamMemberId'));
			assert.equal(await valueOf(teamMember, 'rlc-mode-selector'), 'From list');
			const members = await openList(teamMember);
			assert.deepEqual(
				(await members.allTextContents()).map((text) => text.trim()),
				[
					'Emma Wilson, Hair stylist (2001)',
					'Liam Johnson, Barber (2002)',
					'Sophia Martinez, Colorist (2003)',
				],
			);
			assert.ok(
				sandbox.requests.some((request) => request.path === '/api/v1/company/38726/staff'),
				'the picker asked the sandbox for the team members of Manhattan',
			);
			const membersBox = await members.last().boundingBox();
			await screenshot(page, path.join(SHOTS, 'team-member-list.png'), {
				x: ndvBox.x,
				y: ndvBox.y,
				width: ndvBox.width,
				height: membersBox.y + membersBox.height + 24 - ndvBox.y,
			});
			await members.filter({ hasText: 'Emma Wilson' }).click();
			const member = teamMember.locator(tid('rlc-input'));
			await page.waitForFunction(
				(input) => input.value.startsWith('Emma'),
				await member.elementHandle(),
			);
			assert.equal(await member.inputValue(), 'Emma Wilson, Hair stylist (2001)');

			// Services: several picked from the chosen location's services (GET /company/38726/services).
			const services = ndv.locator(tid('parameter-input-serviceIds'));
			await services.click();
			const serviceOptions = page
				.getByRole('option')
				.filter({ visible: true })
				.filter({ hasText: /\(1100\d\)$/ });
			await serviceOptions.first().waitFor();
			assert.deepEqual(
				(await serviceOptions.allTextContents()).map((text) => text.trim()),
				[
					"Women's haircut (11001)",
					"Men's haircut (11002)",
					'Hair coloring (11003)',
					'Beard trim (11004)',
				],
			);
			await serviceOptions.filter({ hasText: /^Women's haircut/ }).click();
			await serviceOptions.filter({ hasText: /^Men's haircut/ }).click();
			const optionsBox = await serviceOptions.last().boundingBox();
			await screenshot(page, path.join(SHOTS, 'services-list.png'), {
				x: ndvBox.x,
				y: ndvBox.y,
				width: ndvBox.width,
				height: optionsBox.y + optionsBox.height + 24 - ndvBox.y,
			});
			// Closes the list with a click on the panel's empty bottom, as a person would.
			await page.mouse.click(ndvBox.x + ndvBox.width / 2, ndvBox.y + ndvBox.height - 12);
			await serviceOptions.first().waitFor({ state: 'hidden' });
			assert.deepEqual(
				[...new Set((await services.locator('.el-tag').allTextContents()).map((t) => t.trim()))],
				["Women's haircut (11001)", "Men's haircut (11002)"],
			);
			// The date picker takes the location's local time as typed text.
			const start = seedDate(CREATE_START);
			await input('startAt').fill(start.slice(0, 19).replace('T', ' '));
			await input('startAt').press('Enter');
			await input('durationMinutes').fill('45');
			await input('clientPhone').fill(CALLER_PHONE);
			await input('clientName').fill('Olivia Brown');
			await page.mouse.move(5, 5);

			const postsBefore = bookings().length;
			await ndv.locator(tid('node-execute-button')).first().click();
			const output = ndv.locator(tid('output-panel'));
			await output.locator(tid('node-run-status-success')).waitFor({ timeout: 60_000 });
			const posts = bookings().slice(postsBefore);
			assert.equal(posts.length, 1, 'one POST /records/38726');
			assert.equal(posts[0].status, 201);
			assert.deepEqual(posts[0].body, {
				save_if_busy: false,
				send_sms: false,
				staff_id: 2001,
				services: [{ id: 11001 }, { id: 11002 }],
				datetime: start.slice(0, 19),
				seance_length: 2700,
				client: { phone: '+14264037640', name: 'Olivia Brown' },
			});
			await assertVisibleText(output.locator(tid('ndv-items-count')), '1 item');
			await output.locator(tid('radio-button-schema')).click();
			await assertVisibleText(output.locator(tid('ndv-data-container')), 'Emma Wilson');
			await dismissToasts(page);
			await screenshot(page, path.join(SHOTS, 'appointment-create.png'), ndvBox);
		}),
);

test(
	'the Altegio Trigger shows its parameters and lists the locations to listen to',
	{ timeout: STEP_TIMEOUT },
	(t) =>
		step(t, 'trigger', async () => {
			const { page } = ui;
			// The trigger's actions are its events ("On appointment", …).
			const { names, events } = await triggerEvents(page, 'Altegio', /^Altegio$/, 'On appointment');
			assert.deepEqual(events, [
				'On appointment',
				'On client',
				'On finance operation',
				'On location',
				'On loyalty card',
				'On service',
				'On team member',
			]);
			await names.filter({ hasText: 'On appointment' }).click();

			const { ndv } = await nodePanel(page, 'Altegio Trigger');
			const labels = ndv.locator(`${tid('node-parameters')} label`);
			for (const label of ['Credential', 'Location', 'Events', 'Statuses', 'Options'])
				await assertVisibleText(labels, label);
			await assertVisibleText(ndv, 'Altegio sends the chosen kinds of events');
			const chips = async (name) =>
				(await ndv.locator(`${tid(`parameter-input-${name}`)} .el-tag`).allTextContents()).map(
					(text) => text.trim(),
				);
			assert.deepEqual(await chips('events'), ['Appointment']);
			assert.deepEqual(await chips('statuses'), ['Created', 'Updated', 'Deleted']);

			const location = ndv.locator(tid('resource-locator-locationId'));
			const items = await openList(location);
			assert.deepEqual(
				(await items.allTextContents()).map((text) => text.trim()),
				seedLocations(),
			);
			await items.filter({ hasText: 'Location in Manhattan' }).click();
			await page.waitForFunction(
				(input) => input.value !== '',
				await location.locator(tid('rlc-input')).elementHandle(),
			);
			await page.mouse.move(5, 5);
			const box = await ndv.boundingBox();
			const options = await ndv.locator(tid('parameter-input-statuses')).boundingBox();
			await screenshot(page, path.join(SHOTS, 'trigger.png'), {
				...box,
				height: options.y + 150 - box.y,
			});
			await page.keyboard.press('Escape');
		}),
);

test(
	'the Altegio Appointment Trigger shows its poll times, event, hours and filters',
	{ timeout: STEP_TIMEOUT },
	(t) =>
		step(t, 'appointment-trigger', async () => {
			const { page } = ui;
			// The trigger's actions are its events ("On appointment starts soon", …).
			const { names, events } = await triggerEvents(
				page,
				'Altegio Appointment',
				/Altegio Appointment/,
				'On appointment starts soon',
			);
			assert.deepEqual(events, [
				'On appointment cancelled',
				'On appointment changed',
				'On appointment created',
				'On appointment ended',
				'On appointment starts soon',
			]);
			await names.filter({ hasText: 'On appointment starts soon' }).click();

			const { ndv } = await nodePanel(page, 'Altegio Appointment Trigger');
			const labels = ndv.locator(`${tid('node-parameters')} label`);
			for (const label of [
				'Credential',
				'Poll Times',
				'Location',
				'Event',
				'Hours Before',
				'Filters',
			])
				await assertVisibleText(labels, label);
			assert.equal(await valueOf(ndv, 'parameter-input-event'), 'Appointment Starts Soon');

			const location = ndv.locator(tid('resource-locator-locationId'));
			const items = await openList(location);
			assert.deepEqual(
				(await items.allTextContents()).map((text) => text.trim()),
				seedLocations(),
			);
			await items.filter({ hasText: 'Location in Manhattan' }).click();
			await page.waitForFunction(
				(input) => input.value !== '',
				await location.locator(tid('rlc-input')).elementHandle(),
			);
			await page.mouse.move(5, 5);
			const box = await ndv.boundingBox();
			await screenshot(page, path.join(SHOTS, 'appointment-trigger.png'), box);
			await page.keyboard.press('Escape');
		}),
);

test(
	'walkthrough: a caller looked up by phone, their next appointment, a new one booked',
	{ timeout: STEP_TIMEOUT },
	(t) =>
		step(t, 'walkthrough', async () => {
			const { page } = ui;
			page.once('dialog', (dialog) => dialog.accept().catch(() => {}));
			await page.goto(`${server.url}/workflow/${WALKTHROUGH_ID}`);
			const canvasNode = (name) => page.locator(tid('canvas-node')).filter({ hasText: name });
			await canvasNode(NODES.book).waitFor({ timeout: 60_000 });
			await dismissDialogs(page);
			await page.mouse.move(5, 5);
			if (RECORD) recording = await startRecording(page, FRAMES);
			await hold(page, 1000);

			const requestsBefore = sandbox.requests.length;
			await page.locator(tid('execute-workflow-button')).click();
			for (const name of [NODES.lookup, NODES.next, NODES.book])
				await canvasNode(name)
					.locator(tid('canvas-node-status-success'))
					.waitFor({ timeout: 60_000 });
			const calls = sandbox.requests.slice(requestsBefore).map((r) => ({
				method: r.method,
				path: r.path,
				query: r.query,
				body: r.body,
				status: r.status,
			}));
			assert.equal(calls.length, 3, JSON.stringify(calls));
			assert.deepEqual(calls[0], {
				method: 'GET',
				path: '/api/v1/group/509/clients',
				query: { phone: '14264037640' },
				body: undefined,
				status: 200,
			});
			assert.equal(calls[1].path, '/api/v1/records/38726');
			assert.equal(calls[1].query.client_id, '4240880');
			assert.equal(calls[1].query.count, '1');
			// $now.toISODate(): today in n8n's default time zone (GENERIC_TIMEZONE is not set).
			const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(
				new Date(),
			);
			assert.equal(calls[1].query.start_date, today);
			assert.equal(calls[1].status, 200);
			assert.deepEqual(
				{ method: calls[2].method, path: calls[2].path, status: calls[2].status },
				{ method: 'POST', path: '/api/v1/records/38726', status: 201 },
			);
			assert.deepEqual(calls[2].body, {
				save_if_busy: false,
				send_sms: false,
				staff_id: 2001,
				services: [{ id: 11001 }],
				datetime: seedDate(WALKTHROUGH_START),
				seance_length: 3600,
				client: { phone: '+14264037640', name: 'Olivia Brown' },
			});
			await dismissToasts(page);
			await hold(page, 1000);

			// Each node's output, one after the other.
			const shown = {
				[NODES.lookup]: ['2 items', ['Olivia Brown', '38726', '39287']],
				[NODES.next]: [
					'1 item',
					[String(NEXT_APPOINTMENT.id), seedDate(NEXT_APPOINTMENT.datetime)],
				],
				[NODES.book]: ['1 item', ['Emma Wilson', seedDate(WALKTHROUGH_START)]],
			};
			const ndv = page.locator(tid('ndv'));
			for (const [name, [count, texts]] of Object.entries(shown)) {
				await canvasNode(name).dblclick();
				await ndv.waitFor();
				const output = ndv.locator(tid('output-panel'));
				await assertVisibleText(output.locator(tid('ndv-items-count')), count);
				await output.locator(tid('radio-button-json')).click();
				const data = output.locator(tid('ndv-data-container'));
				await hold(page, 1200);
				// The last text is the one to look at: the output stays scrolled to it.
				for (const text of texts) await scrollToText(page, data, text);
				await page.mouse.move(5, 5);
				await hold(page, 2800);
				await page.keyboard.press('Escape');
				await ndv.waitFor({ state: 'hidden' });
				await hold(page, 300);
			}
			if (recording) {
				const done = await recording.stop();
				recording = undefined;
				const gif = framesToGif(done, path.join(SHOTS, 'walkthrough.gif'));
				log(
					`browser: ${gif} from ${done.frames.length} frames, ${(fs.statSync(gif).size / 1e6).toFixed(1)} MB`,
				);
			}
		}),
);

/** Adds an action of the Altegio node after the selected node, through the nodes panel. */
async function addAltegioAction(page, action) {
	await page.locator(tid('node-creator-plus-button')).click();
	const creator = page.locator(tid('node-creator'));
	await creator.locator(tid('node-creator-search-bar')).fill('Altegio');
	await creator
		.locator(tid('node-creator-item-name'))
		.filter({ hasText: /^Altegio$/ })
		.first()
		.click();
	await creator.locator(tid('node-creator-item-name')).filter({ hasText: action }).click();
}

/**
 * Opens the nodes panel of a new workflow, searches for `search` and opens the node whose name
 * matches `node`; once its event `waitFor` shows, the panel's entries and the events listed ("On …").
 */
async function triggerEvents(page, search, node, waitFor) {
	await page.goto(`${server.url}/workflow/new`);
	await page.locator(tid('canvas-add-button')).click();
	const creator = page.locator(tid('node-creator'));
	await creator.locator(tid('node-creator-search-bar')).fill(search);
	await creator.locator(tid('node-creator-item-name')).filter({ hasText: node }).first().click();
	const names = creator.locator(tid('node-creator-item-name'));
	await names.filter({ hasText: waitFor }).waitFor();
	const events = (await names.allTextContents())
		.map((name) => name.trim())
		.filter((name) => name.startsWith('On '));
	return { names, events };
}

/** The Location picker's entries for the seed: every location of every chain, with its chain. */
function seedLocations() {
	return sandbox.seed.chains.flatMap((chain) =>
		chain.companies.map((company) => `${company.title} (${company.id}), ${chain.title}`),
	);
}

function bookings() {
	return sandbox.requests.filter(
		(request) => request.method === 'POST' && request.path === '/api/v1/records/38726',
	);
}

/**
 * Scrolls the output (a long JSON view draws only the lines in sight) with the mouse wheel until
 * `text` is in view, as a person would look for it; fails when it is not there.
 */
async function scrollToText(page, container, text) {
	const box = await container.boundingBox();
	await page.mouse.move(box.x + box.width / 2, box.y + Math.min(box.height / 2, 200));
	const found = container.getByText(text).first();
	for (let i = 0; i < 30 && !(await found.isVisible()); i++) {
		await page.mouse.wheel(0, i < 15 ? 360 : -720);
		await page.waitForTimeout(150);
	}
	await found.scrollIntoViewIfNeeded();
	await found.waitFor({ state: 'visible', timeout: 5_000 });
}

/** A pause for the viewer of the walkthrough; none when nothing is recorded. */
async function hold(page, ms) {
	if (RECORD) await page.waitForTimeout(ms);
}

/** Lets the success toasts go (closes them when recording) so that they do not cover a frame. */
async function dismissToasts(page) {
	if (RECORD) {
		for (const close of await page.locator('.el-notification__closeBtn').all())
			await close.click().catch(() => {});
	}
	await page
		.locator('.el-notification')
		.first()
		.waitFor({ state: 'hidden', timeout: 10_000 })
		.catch(() => {});
}

/** Waits for the node panel titled `title`; returns it and the credential it selected on its own. */
async function nodePanel(page, title) {
	const ndv = page.locator(tid('ndv'));
	await ndv.waitFor();
	const shown = await ndv
		.locator(`${tid('node-title-container')} ${tid('inline-edit-preview')}`)
		.first()
		.textContent();
	assert.equal(shown.trim(), title);
	const credentialInput = ndv.locator(`${tid('node-credentials-select')} input`).first();
	await page.waitForFunction((input) => input.value !== '', await credentialInput.elementHandle());
	return { ndv, credential: await credentialInput.inputValue() };
}

/** The value shown in the input of the parameter (or selector) with data-test-id `id`. */
function valueOf(scope, id) {
	return scope
		.locator(`${tid(id)} input`)
		.first()
		.inputValue();
}

/** Opens a resource locator's "From list" and waits for its items. */
async function openList(locator) {
	await locator.locator(tid('rlc-input')).click();
	const items = locator.locator(tid('rlc-item'));
	await items.first().waitFor();
	return items;
}

function groupRequests() {
	return sandbox.requests.filter(
		(request) => request.method === 'GET' && /\/groups$/.test(request.path),
	);
}

/** Waits until `text` is visible inside `locator` (substring, case-sensitive). */
async function assertVisibleText(locator, text) {
	await locator.getByText(text).filter({ visible: true }).first().waitFor({ state: 'visible' });
}
