// The Altegio node in the real n8n editor (2.41.1), driven by headless Chromium: the nodes panel
// lists the node and its two actions, the "Get a chain client by phone" node picks the sandbox
// credential and lists the sandbox's chains in its Chain picker (From List → GET /groups), and the
// "Altegio API" credential form shows its fields and passes its connection test.
//
// Needs Debian's Chromium (apt-get update && apt-get install -y chromium).
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
	killAllChildren,
	log,
	prepareN8n,
	sandboxCredential,
	startN8n,
	startSandbox,
} from '../tools/n8n/harness.mjs';
import {
	assertChromiumInstalled,
	dismissDialogs,
	launchEditorBrowser,
	screenshot,
	setupOwner,
	signIn,
	tid,
} from './lib/editor.mjs';

const SHOTS = process.env.ALTEGIO_SCREENSHOT_DIR
	? path.resolve(process.env.ALTEGIO_SCREENSHOT_DIR)
	: path.join(E2E_DIR, 'screenshots');
const FAILURES = path.join(E2E_DIR, 'browser');
const CREDENTIAL_NAME = 'Altegio sandbox';
const PHONE = '+1 315 555 01 75';
const STEP_TIMEOUT = 90_000;

/** State shared by the steps: one sandbox, one n8n, one browser page for the whole file. */
let sandbox;
let server;
let ui;
let seedChains;
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
		fs.rmSync(FAILURES, { recursive: true, force: true });
		// Preparing n8n the first time downloads ~3 GB (CI has done it in the e2e step already).
		await prepareN8n();
		const pack = await buildAndPack();
		const setupStarted = Date.now();
		sandbox = await startSandbox();
		seedChains = sandbox.seed.chains.map((chain) => chain.title);
		const instance = await createInstance('browser-editor', { pack });
		await importCredentials(instance, [sandboxCredential(sandbox, { name: CREDENTIAL_NAME })]);
		// The harness starts n8n without the editor by default (N8N_DISABLE_UI): ask for it.
		server = await timed('n8n start', () =>
			startN8n(instance, { ui: true, env: { N8N_DISABLE_UI: 'false' } }),
		);
		await setupOwner(server.url);
		ui = await launchEditorBrowser(new URL(server.url).origin);
		timings.setup = Date.now() - setupStarted;
	},
	{ timeout: 75 * 60_000 },
);

after(async () => {
	const errors = [];
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
			// n8n merges a node and its trigger into one entry; the entry may show either description.
			assert.ok(
				[
					'Look up clients and book appointments in Altegio or YCLIENTS',
					'Starts the workflow when appointments, clients or other records change in Altegio or YCLIENTS',
				].includes((await item.locator(tid('node-creator-item-description')).textContent()).trim()),
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
			assert.ok(names.includes('Get many chains'), `actions shown: ${names.join(', ')}`);
			assert.ok(
				names.includes('Get a chain client by phone'),
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
			const ndv = page.locator(tid('ndv'));
			await ndv.waitFor();
			assert.equal(
				(
					await ndv
						.locator(`${tid('node-title-container')} ${tid('inline-edit-preview')}`)
						.first()
						.textContent()
				).trim(),
				'Get a chain client by phone',
			);

			// The only credential of the type is selected on its own.
			const credentialInput = ndv.locator(`${tid('node-credentials-select')} input`).first();
			await page.waitForFunction(
				(input) => input.value !== '',
				await credentialInput.elementHandle(),
			);
			assert.equal(await credentialInput.inputValue(), CREDENTIAL_NAME);
			assert.equal(
				await ndv
					.locator(`${tid('parameter-input-resource')} input`)
					.first()
					.inputValue(),
				'Chain Client',
			);
			assert.equal(
				await ndv
					.locator(`${tid('parameter-input-operation')} input`)
					.first()
					.inputValue(),
				'Get by Phone',
			);

			// Chain: the resource locator in "From list" mode calls searchChains → GET /groups on the sandbox.
			const chain = ndv.locator(tid('resource-locator-chainId'));
			assert.equal(
				await chain
					.locator(`${tid('rlc-mode-selector')} input`)
					.first()
					.inputValue(),
				'From list',
			);
			const groupsBefore = groupRequests().length;
			await chain.locator(tid('rlc-input')).click();
			const items = chain.locator(tid('rlc-item'));
			await items.first().waitFor();
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
			await page
				.locator('.el-notification')
				.first()
				.waitFor({ state: 'hidden', timeout: 10_000 })
				.catch(() => {});
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
			assert.equal(
				await dialog
					.locator(`${tid('parameter-input-environment')} input`)
					.first()
					.inputValue(),
				'Altegio',
			);
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

function groupRequests() {
	return sandbox.requests.filter(
		(request) => request.method === 'GET' && /\/groups$/.test(request.path),
	);
}

/** Waits until `text` is visible inside `locator` (substring, case-sensitive). */
async function assertVisibleText(locator, text) {
	await locator.getByText(text).filter({ visible: true }).first().waitFor({ state: 'visible' });
}
