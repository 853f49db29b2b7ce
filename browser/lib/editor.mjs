// Helpers for driving the real n8n editor in headless Chromium (Debian's package, through
// playwright-core). The n8n side (prepare, pack, instance, start) comes from tools/n8n/harness.mjs.

import { spawnSync } from 'node:child_process';
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

/** Fails early with the install command when ffmpeg (needed for docs/walkthrough.gif) is missing. */
export function assertFfmpegInstalled() {
	const found = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
	if (found.error || found.status !== 0) {
		throw new Error(
			'ffmpeg not found: the walkthrough GIF needs it. Install it first: ' +
				'apt-get update && apt-get install -y --no-install-recommends ffmpeg',
		);
	}
}

/**
 * Records the page through CDP's screencast (Chromium sends a JPEG frame whenever the page
 * changes) into `dir`. `stop()` ends it and returns the frames with their timestamps in seconds.
 */
export async function startRecording(page, dir) {
	fs.rmSync(dir, { recursive: true, force: true });
	fs.mkdirSync(dir, { recursive: true });
	const cdp = await page.context().newCDPSession(page);
	const frames = [];
	const writes = [];
	cdp.on('Page.screencastFrame', ({ data, metadata, sessionId }) => {
		const file = path.join(dir, `frame-${String(frames.length).padStart(5, '0')}.jpg`);
		frames.push({ file, at: metadata.timestamp });
		writes.push(fs.promises.writeFile(file, Buffer.from(data, 'base64')));
		cdp.send('Page.screencastFrameAck', { sessionId }).catch(() => {});
	});
	await cdp.send('Page.startScreencast', {
		format: 'jpeg',
		quality: 90,
		maxWidth: VIEWPORT.width,
		maxHeight: VIEWPORT.height,
	});
	return {
		async stop() {
			// The last frame is shown until the end of the recording.
			const ended = Date.now() / 1000;
			await cdp.send('Page.stopScreencast');
			await cdp.detach();
			await Promise.all(writes);
			return { frames, ended };
		},
	};
}

/**
 * Turns recorded frames into a GIF with Debian's ffmpeg: each frame lasts until the next one but
 * at most `maxHold` seconds (waits for the server are cut short), played `speed` times as fast,
 * resampled to `fps`, scaled to `width` and drawn with a palette made for these frames.
 */
export function framesToGif(
	{ frames, ended },
	file,
	{ fps = 8, width = 1200, maxHold = 3, speed = 1.4 } = {},
) {
	if (frames.length === 0) throw new Error('the recording has no frames');
	const dir = path.dirname(frames[0].file);
	const list = path.join(dir, 'frames.txt');
	const lines = ['ffconcat version 1.0'];
	frames.forEach((frame, i) => {
		const next = i + 1 < frames.length ? frames[i + 1].at : ended;
		lines.push(
			`file '${path.basename(frame.file)}'`,
			`duration ${Math.min(maxHold, Math.max(0.01, next - frame.at)).toFixed(3)}`,
		);
	});
	// The concat demuxer ignores the last duration unless the last file is listed once more.
	lines.push(`file '${path.basename(frames.at(-1).file)}'`);
	fs.writeFileSync(list, lines.join('\n') + '\n');
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const filter =
		`setpts=PTS/${speed},fps=${fps},scale=${width}:-1:flags=lanczos,split[a][b];` +
		'[a]palettegen=max_colors=128:stats_mode=diff[p];' +
		'[b][p]paletteuse=dither=bayer:bayer_scale=5:diff_mode=rectangle';
	const result = spawnSync(
		'ffmpeg',
		[
			'-hide_banner',
			'-loglevel',
			'error',
			'-y',
			'-f',
			'concat',
			'-i',
			list,
			'-vf',
			filter,
			'-loop',
			'0',
			file,
		],
		{ encoding: 'utf8' },
	);
	if (result.status !== 0) throw new Error(`ffmpeg failed (${result.status}): ${result.stderr}`);
	return file;
}
