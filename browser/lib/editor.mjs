// Helpers for driving the real n8n editor in headless Chromium (Debian's package, through
// playwright-core). The n8n side (prepare, pack, instance, start) comes from tools/n8n/harness.mjs.

import fs from 'node:fs';
import path from 'node:path';

import { chromium } from 'playwright-core';

/** Debian's Chromium (`apt-get install -y chromium`); CHROMIUM_PATH overrides it. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const VIEWPORT = { width: 1440, height: 900 };

/** The owner account the test creates in the fresh instance (n8n's password rules: 8+, a digit, an upper-case letter). */
export const OWNER = {
	email: 'owner@example.com',
	firstName: 'Browser',
	lastName: 'Test',
	password: 'BrowserTest1',
};

/** A CSS selector for n8n's `data-test-id` attribute. */
export const tid = (id) => `[data-test-id="${id}"]`;

/** Fails early with the install command when Chromium is missing. */
export function assertChromiumInstalled() {
	if (!fs.existsSync(CHROMIUM_PATH)) {
		throw new Error(
			`Chromium not found at ${CHROMIUM_PATH}. Install Debian's package first: ` +
				'apt-get update && apt-get install -y chromium (or set CHROMIUM_PATH).',
		);
	}
}

/**
 * Launches headless Chromium with a fresh, temporary profile and a 1440×900 page. Every request
 * that does not go to `allowedOrigin` (the n8n under test) is aborted and remembered in `blocked`:
 * the editor asks registry.npmjs.org about community packages, which a test must not depend on.
 */
export async function launchEditorBrowser(allowedOrigin) {
	assertChromiumInstalled();
	const browser = await chromium.launch({
		executablePath: CHROMIUM_PATH,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	const context = await browser.newContext({
		viewport: VIEWPORT,
		deviceScaleFactor: 1,
		locale: 'en-US',
	});
	const blocked = [];
	const pageErrors = [];
	await context.route(
		(url) => url.origin !== allowedOrigin && url.protocol !== 'data:' && url.protocol !== 'blob:',
		(route) => {
			blocked.push(route.request().url());
			return route.abort('blockedbyclient');
		},
	);
	const page = await context.newPage();
	page.setDefaultTimeout(30_000);
	page.on('pageerror', (error) => pageErrors.push(String(error?.message ?? error)));
	return { browser, context, page, blocked, pageErrors };
}

/** POST /rest/owner/setup (n8n 2.41: OwnerController, OwnerSetupRequestDto). */
export async function setupOwner(baseUrl, owner = OWNER) {
	const response = await fetch(`${baseUrl}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(owner),
	});
	if (!response.ok) {
		throw new Error(
			`POST /rest/owner/setup answered ${response.status}: ${(await response.text()).slice(0, 500)}`,
		);
	}
}

/** Signs in through the real sign-in form (data-test-id signin-form / emailOrLdapLoginId / password). */
export async function signIn(page, baseUrl, owner = OWNER) {
	await page.goto(`${baseUrl}/signin`);
	const form = page.locator(tid('signin-form'));
	await form.waitFor({ timeout: 60_000 });
	await form.locator(`${tid('emailOrLdapLoginId')} input`).fill(owner.email);
	await form.locator(`${tid('password')} input`).fill(owner.password);
	await form
		.locator(`${tid('form-submit-button')}, button[type=submit]`)
		.first()
		.click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'), { timeout: 60_000 });
}

/** Closes any dialog (onboarding, what's new, surveys) that the editor may still show on its own. */
export async function dismissDialogs(page) {
	const dismissed = [];
	for (let i = 0; i < 3; i++) {
		const dialog = page.locator('.el-overlay:visible .el-dialog, [role="dialog"]:visible').first();
		if (!(await dialog.isVisible().catch(() => false))) break;
		dismissed.push(((await dialog.textContent().catch(() => '')) ?? '').trim().slice(0, 80));
		const close = dialog
			.locator('.el-dialog__headerbtn, [aria-label="Close"], [aria-label="close"]')
			.first();
		if (await close.isVisible().catch(() => false)) await close.click();
		else await page.keyboard.press('Escape');
		await page.waitForTimeout(300);
	}
	return dismissed;
}

/**
 * A screenshot of the 1440×900 page, cropped to `clip` (page pixels) and clamped to the viewport.
 */
export async function screenshot(page, file, clip) {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	let options = { path: file, animations: 'disabled', caret: 'hide' };
	if (clip) {
		const x = Math.max(0, Math.floor(clip.x));
		const y = Math.max(0, Math.floor(clip.y));
		const width = Math.min(VIEWPORT.width - x, Math.ceil(clip.width));
		const height = Math.min(VIEWPORT.height - y, Math.ceil(clip.height));
		options = { ...options, clip: { x, y, width, height } };
	}
	await page.screenshot(options);
	return file;
}
