#!/usr/bin/env node
// npm run verify: checks the package the way n8n verifies a community node, without publishing it.
//
// n8n verifies community nodes with `npx @n8n/scan-community-package <package>`. The scanner needs the
// published package (npm provenance, the attested GitHub commit), so this script reproduces its
// checks locally, with the scanner's own code and the versions it depends on:
//
//   1. build                 npm run build (skipped with --no-build; dist/ must then exist)
//   2. pack                  npm pack into a temporary folder, then extract the tarball
//   3. tarball contents      only package/{package.json,README.md,LICENSE} and package/dist/{nodes,credentials}/**
//   4. package.json          no runtime dependencies, keyword, MIT license, n8n block pointing at packed files
//   5. scanner, tarball      the scanner's ESLint config (buildScanConfig() of the installed scanner, run with
//                            the ESLint the scanner depends on) over **/*.js and package.json of the tarball
//   6. scanner, sources      the same config over the scanner's source patterns (what n8n lints on the
//                            commit the provenance attests)
//   7. node-cli strict lint  eslint.config.mjs equals @n8n/node-cli's template (what `n8n-node lint`
//                            demands with "strict": true), then `eslint nodes credentials package.json`
//                            with the repository's config and inline config disabled
//   8. inline directives     no inline ESLint directive comment (disable, enable, rule configuration) in
//                            any code file of the repository or the tarball
//
// Steps 6 and 7 run while the build (step 1) is under way; the output lists the steps in the order
// they finish.
// Inline configuration is ignored in every lint run (allowInlineConfig: false), as in the scanner.
// Warnings count as problems too. Exit code: 0 when every check passes, 1 otherwise.
// Everything temporary lives in one folder under the system temp folder and is removed on exit.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SCANNER_DIR = path.join(ROOT, 'node_modules', '@n8n', 'scan-community-package');
const SCANNER_ENTRY = path.join(SCANNER_DIR, 'scanner', 'scanner.mjs');
const NODE_CLI_DIR = path.join(ROOT, 'node_modules', '@n8n', 'node-cli');
const NODE_CLI_ESLINT_TEMPLATE = path.join(
	NODE_CLI_DIR,
	'dist',
	'template',
	'templates',
	'shared',
	'default',
	'eslint.config.mjs',
);

/** The patterns and glob options the scanner lints the published tarball with (scanner.mjs). */
const TARBALL_LINT_PATTERNS = ['**/*.js', 'package.json'];
const SCANNER_GLOB_IGNORE = ['node_modules/**', '**/package-lock.json'];
/** What `npm run lint` lints. */
const NODE_CLI_LINT_TARGETS = ['nodes', 'credentials', 'package.json'];

const ALWAYS_PACKED = new Set(['package.json', 'README.md', 'LICENSE']);
const DIST_ROOTS = ['dist/nodes/', 'dist/credentials/'];
const DIST_EXTENSIONS = ['.js', '.d.ts', '.map', '.json', '.svg', '.png'];
const FORBIDDEN_SEGMENTS = new Set([
	'test',
	'tests',
	'__tests__',
	'__mocks__',
	'fixtures',
	'sandbox',
	'e2e',
	'examples',
	'bench',
	'scripts',
	'node_modules',
]);
const CODE_EXTENSIONS = new Set([
	'.ts',
	'.tsx',
	'.mts',
	'.cts',
	'.js',
	'.jsx',
	'.mjs',
	'.cjs',
	'.json',
]);
// Built from parts so that this file does not contain the directive it looks for.
const INLINE_DIRECTIVE = new RegExp(
	['eslint-(?:disable|enable)(?:-next-line|-line)?\\b', '/\\*\\s*(?:eslint|eslint-env)\\s'].join(
		'|',
	),
);

const args = new Set(process.argv.slice(2));
if (args.has('--help') || args.has('-h')) {
	process.stdout.write('Usage: node scripts/verify.mjs [--no-build]\n');
	process.exit(0);
}
const skipBuild = args.has('--no-build');

const problems = [];
const steps = [];
const started = Date.now();
const tmpRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-altegio-verify-'));
let cleaned = false;

function cleanUp() {
	if (cleaned) return;
	cleaned = true;
	fs.rmSync(tmpRoot, { recursive: true, force: true });
}
process.on('exit', cleanUp);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
	process.on(signal, () => {
		cleanUp();
		process.exit(1);
	});
}

/* ---------------------------------------------------------------------------------------------- */
/* helpers                                                                                         */
/* ---------------------------------------------------------------------------------------------- */

function problem(check, message, { file, line, column, rule, severity = 'error' } = {}) {
	problems.push({ check, message, file, line, column, rule, severity });
}

function rel(file, base = ROOT) {
	return path.relative(base, file).split(path.sep).join('/');
}

function seconds(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

/** Runs one check and prints its outcome; `t0` is when its work began (the build starts early). */
async function step(name, run, t0 = Date.now()) {
	const before = problems.length;
	process.stdout.write(`\n== ${name}\n`);
	let detail;
	try {
		detail = await run();
	} catch (error) {
		problem(name, `the check itself failed: ${error?.stack ?? error}`);
	}
	const found = problems.length - before;
	const status = found === 0 ? 'ok' : `${found} problem${found === 1 ? '' : 's'}`;
	steps.push({ name, status, ms: Date.now() - t0, detail });
	process.stdout.write(
		`   ${status}${detail ? ` (${detail})` : ''}, ${seconds(Date.now() - t0)}\n`,
	);
}

function run(command, commandArgs, options = {}) {
	const result = spawnSync(command, commandArgs, {
		cwd: ROOT,
		encoding: 'utf8',
		maxBuffer: 64 * 1024 * 1024,
		...options,
	});
	if (result.error) throw result.error;
	return result;
}

/** Like run(), without blocking: resolves with { status, stdout, stderr } when the command ends. */
function runAsync(command, commandArgs) {
	return new Promise((resolve, reject) => {
		const child = spawn(command, commandArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', reject);
		child.on('close', (status) => resolve({ status, stdout, stderr }));
	});
}

function readJson(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function walk(dir, base = dir, out = []) {
	if (!fs.existsSync(dir)) return out;
	for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) walk(full, base, out);
		else if (entry.isFile()) out.push(rel(full, base));
	}
	return out;
}

/** Turns ESLint results into problems; returns the number of files linted. */
function collectLintResults(check, results, base) {
	for (const result of results) {
		for (const message of result.messages) {
			problem(check, message.message.replace(/\s+/g, ' ').trim(), {
				file: rel(result.filePath, base),
				line: message.line,
				column: message.column,
				rule: message.ruleId ?? (message.fatal ? 'parse error' : 'eslint'),
				severity: message.severity === 2 ? 'error' : 'warning',
			});
		}
	}
	return results.length;
}

function scanInlineDirectives(check, files, base, label) {
	for (const file of files) {
		const text = fs.readFileSync(path.join(base, file), 'utf8');
		if (!INLINE_DIRECTIVE.test(text)) continue;
		text.split('\n').forEach((lineText, index) => {
			const match = INLINE_DIRECTIVE.exec(lineText);
			if (match) {
				problem(
					check,
					`inline ESLint directive "${match[0].trim()}" (${label}); fix the code instead`,
					{
						file: label === 'tarball' ? `package/${file}` : file,
						line: index + 1,
						column: match.index + 1,
						rule: 'no-inline-eslint-directive',
					},
				);
			}
		});
	}
}

/* ---------------------------------------------------------------------------------------------- */
/* checks                                                                                          */
/* ---------------------------------------------------------------------------------------------- */

const rootPackage = readJson(path.join(ROOT, 'package.json'));
let packDir; // the extracted package/ folder
let packedFiles = []; // paths inside package/, e.g. "dist/nodes/Altegio/Altegio.node.js"
let tarballName;
let building; // the background build, awaited before exit in any case

async function main() {
	process.stdout.write(
		`verify ${rootPackage.name}@${rootPackage.version} (Node ${process.version})\n`,
	);

	if (!fs.existsSync(SCANNER_ENTRY)) {
		problem('setup', 'node_modules/@n8n/scan-community-package is missing: run npm ci first');
		return;
	}

	// The build runs in the background while the sources are linted: neither needs the other.
	const buildStarted = Date.now();
	building = skipBuild ? undefined : runAsync('npm', ['run', 'build']);

	// The scanner creates a temporary folder when its module loads; keep it inside ours.
	const scannerTmp = path.join(tmpRoot, 'scanner-tmp');
	fs.mkdirSync(scannerTmp);
	const previousTmpdir = process.env.TMPDIR;
	process.env.TMPDIR = scannerTmp;
	const scanner = await import(pathToFileURL(SCANNER_ENTRY).href);
	if (previousTmpdir === undefined) delete process.env.TMPDIR;
	else process.env.TMPDIR = previousTmpdir;

	const scannerRequire = createRequire(SCANNER_ENTRY);
	const { ESLint: ScannerESLint } = scannerRequire('eslint');
	const glob = scannerRequire('fast-glob');
	const scanConfig = await scanner.buildScanConfig();
	const versionOf = (name) => {
		// Some plugins do not export ./package.json: walk up from the entry point instead.
		for (
			let dir = path.dirname(scannerRequire.resolve(name));
			dir !== path.dirname(dir);
			dir = path.dirname(dir)
		) {
			const file = path.join(dir, 'package.json');
			if (fs.existsSync(file) && readJson(file).name === name) return readJson(file).version;
		}
		return 'unknown';
	};
	const scannerVersions =
		`scanner ${readJson(path.join(SCANNER_DIR, 'package.json')).version}, eslint ${ScannerESLint.version}, ` +
		`@n8n/eslint-plugin-community-nodes ${versionOf('@n8n/eslint-plugin-community-nodes')}, ` +
		`eslint-plugin-n8n-nodes-base ${versionOf('eslint-plugin-n8n-nodes-base')}`;
	process.stdout.write(`\n   (${scannerVersions})\n`);

	const scannerLint = async (check, cwd, patterns) => {
		const eslint = new ScannerESLint({
			cwd,
			allowInlineConfig: false,
			overrideConfigFile: true,
			overrideConfig: scanConfig,
		});
		const files = glob.sync(patterns, { cwd, absolute: true, ignore: SCANNER_GLOB_IGNORE });
		if (files.length === 0) {
			problem(check, `no files matched ${patterns.join(', ')}`);
			return undefined;
		}
		const results = await eslint.lintFiles(files);
		const count = collectLintResults(check, results, cwd === packDir ? path.dirname(packDir) : cwd);
		return `${count} files linted`;
	};

	await step(`scanner rules on the sources (${scanner.SOURCE_FILE_PATTERNS.join(', ')})`, () =>
		scannerLint('scanner: sources', ROOT, scanner.SOURCE_FILE_PATTERNS),
	);

	await step(
		`node-cli strict lint (eslint ${NODE_CLI_LINT_TARGETS.join(' ')} --no-inline-config)`,
		async () => {
			if (rootPackage.n8n?.strict === true) {
				const where = { file: 'eslint.config.mjs', rule: 'n8n-node-strict-mode' };
				const configFile = path.join(ROOT, 'eslint.config.mjs');
				const expected = fs.readFileSync(NODE_CLI_ESLINT_TEMPLATE, 'utf8');
				if (!fs.existsSync(configFile)) {
					problem(
						'node-cli lint',
						'eslint.config.mjs is missing; strict mode expects the default configuration',
						where,
					);
				} else {
					const current = fs.readFileSync(configFile, 'utf8');
					const normalize = (text) => text.replace(/\s+/g, ' ').trim();
					if (normalize(current) !== normalize(expected)) {
						problem(
							'node-cli lint',
							`eslint.config.mjs differs from the @n8n/node-cli template; n8n-node lint refuses it in strict mode. Expected:\n${expected}`,
							where,
						);
					} else if (current !== expected) {
						problem(
							'node-cli lint',
							'eslint.config.mjs differs from the @n8n/node-cli template in whitespace only; copy the template byte for byte',
							where,
						);
					}
				}
			} else {
				problem(
					'node-cli lint',
					'"n8n.strict" is not true in package.json: the package is not eligible for n8n Cloud',
					{
						file: 'package.json',
						rule: 'n8n-node-strict-mode',
					},
				);
			}
			const { ESLint } = createRequire(path.join(ROOT, 'package.json'))('eslint');
			const eslint = new ESLint({ cwd: ROOT, allowInlineConfig: false });
			const results = await eslint.lintFiles(NODE_CLI_LINT_TARGETS);
			const count = collectLintResults('node-cli lint', results, ROOT);
			const nodeCliVersion = readJson(path.join(NODE_CLI_DIR, 'package.json')).version;
			return `${count} files linted with eslint ${ESLint.version}, @n8n/node-cli ${nodeCliVersion}`;
		},
	);

	await step(
		skipBuild ? 'build (skipped: --no-build)' : 'build: npm run build',
		async () => {
			if (building) {
				const build = await building;
				if (build.status !== 0) {
					process.stdout.write(build.stdout + build.stderr);
					problem('build', `npm run build exited with ${build.status}`);
					return undefined;
				}
			}
			if (!fs.existsSync(path.join(ROOT, 'dist'))) problem('build', 'dist/ does not exist');
			const alongside = building ? ', alongside the source lints' : '';
			return `${walk(path.join(ROOT, 'dist')).length} files in dist/${alongside}`;
		},
		building ? buildStarted : undefined,
	);
	if (problems.some((item) => item.check === 'build')) return;

	await step('pack: npm pack, then extract the tarball', () => {
		const packTo = path.join(tmpRoot, 'pack');
		fs.mkdirSync(packTo);
		const pack = run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', packTo]);
		if (pack.status !== 0) {
			process.stdout.write(pack.stdout + pack.stderr);
			problem('pack', `npm pack exited with ${pack.status}`);
			return undefined;
		}
		const report = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0];
		tarballName = report.filename;
		const tarball = path.join(packTo, path.basename(report.filename));
		const extractTo = path.join(tmpRoot, 'extract');
		fs.mkdirSync(extractTo);
		const tar = run('tar', ['-xzf', tarball, '-C', extractTo]);
		if (tar.status !== 0) {
			problem('pack', `tar could not extract ${tarball}: ${tar.stderr.trim()}`);
			return undefined;
		}
		const listing = run('tar', ['-tzf', tarball]).stdout.split('\n').filter(Boolean);
		const outside = listing.filter((entry) => !entry.startsWith('package/'));
		for (const entry of outside) problem('pack', `tarball entry outside package/: ${entry}`);
		packDir = path.join(extractTo, 'package');
		packedFiles = listing
			.filter((entry) => entry.startsWith('package/') && !entry.endsWith('/'))
			.map((entry) => entry.slice('package/'.length))
			.sort();
		return `${tarballName}, ${packedFiles.length} files, ${(report.size / 1024).toFixed(1)} kB packed`;
	});
	if (!packDir) return;

	await step('tarball contents', () => {
		const packed = new Set(packedFiles);
		for (const file of packedFiles) {
			if (ALWAYS_PACKED.has(file)) continue;
			const where = { file: `package/${file}`, rule: 'tarball-contents' };
			if (!file.startsWith('dist/')) {
				problem(
					'tarball contents',
					'unexpected file: only dist/, README.md, LICENSE and package.json belong in the package',
					where,
				);
				continue;
			}
			if (!DIST_ROOTS.some((root) => file.startsWith(root))) {
				problem(
					'tarball contents',
					`unexpected file in dist/: only ${DIST_ROOTS.join(' and ')} are built from the package sources`,
					where,
				);
				continue;
			}
			const segments = file.split('/');
			const base = segments[segments.length - 1];
			const forbidden = segments.slice(0, -1).find((segment) => FORBIDDEN_SEGMENTS.has(segment));
			if (forbidden) {
				problem(
					'tarball contents',
					`"${forbidden}/" folder in the package: tests and tools must not be published`,
					where,
				);
			} else if (/\.(test|spec)\.[cm]?[jt]sx?(\.map)?$/.test(base)) {
				problem('tarball contents', 'test file in the package', where);
			} else if (!DIST_EXTENSIONS.some((extension) => base.endsWith(extension))) {
				problem(
					'tarball contents',
					`unexpected file type in dist/ (allowed: ${DIST_EXTENSIONS.join(', ')})`,
					where,
				);
			} else if (/\.[cm]?tsx?$/.test(base) && !base.endsWith('.d.ts')) {
				problem(
					'tarball contents',
					'TypeScript source in the package: publish the compiled .js only',
					where,
				);
			}
		}
		for (const file of ALWAYS_PACKED) {
			if (!packed.has(file))
				problem('tarball contents', `package/${file} is missing from the tarball`, {
					rule: 'tarball-contents',
				});
		}
		// Every static file next to the sources (codex .node.json, icons) must reach dist/.
		for (const folder of ['nodes', 'credentials']) {
			for (const file of walk(path.join(ROOT, folder))) {
				if (!/\.(json|svg|png)$/.test(file)) continue;
				const expected = `dist/${folder}/${file}`;
				if (!packed.has(expected)) {
					problem(
						'tarball contents',
						`${folder}/${file} is not in the tarball as package/${expected} (check tsconfig "include" and gulp build:icons)`,
						{ rule: 'tarball-contents' },
					);
				}
			}
		}
		const counts = { dist: packedFiles.filter((file) => file.startsWith('dist/')).length };
		return `${counts.dist} files under dist/, plus ${[...ALWAYS_PACKED].filter((file) => packed.has(file)).join(', ')}`;
	});

	await step('package.json of the tarball', () => {
		const pkg = readJson(path.join(packDir, 'package.json'));
		const where = { file: 'package/package.json', rule: 'package-json' };
		const fail = (message) => problem('package.json', message, where);
		if (!/^(@[a-z0-9-~][a-z0-9-._~]*\/)?n8n-nodes-[a-z0-9-._~]+$/.test(pkg.name ?? '')) {
			fail(`name "${pkg.name}" must be n8n-nodes-<name> or @<scope>/n8n-nodes-<name>`);
		}
		for (const field of ['dependencies', 'optionalDependencies']) {
			const names = Object.keys(pkg[field] ?? {});
			if (names.length > 0)
				fail(
					`"${field}" must be empty: runtime dependencies are not allowed (${names.join(', ')})`,
				);
		}
		for (const field of ['bundleDependencies', 'bundledDependencies']) {
			if (pkg[field] !== undefined)
				fail(`"${field}" must not be set: runtime dependencies are not allowed`);
		}
		if (!Array.isArray(pkg.keywords) || !pkg.keywords.includes('n8n-community-node-package')) {
			fail('"keywords" must include "n8n-community-node-package"');
		}
		if (pkg.license !== 'MIT') fail(`"license" must be "MIT", not ${JSON.stringify(pkg.license)}`);
		const licenseFile = path.join(packDir, 'LICENSE');
		if (fs.existsSync(licenseFile) && !/^MIT License/.test(fs.readFileSync(licenseFile, 'utf8'))) {
			problem('package.json', 'LICENSE is not the MIT license text', {
				file: 'package/LICENSE',
				rule: 'package-json',
			});
		}
		const n8n = pkg.n8n;
		if (typeof n8n !== 'object' || n8n === null) {
			fail('the "n8n" block is missing');
			return undefined;
		}
		if (!Number.isInteger(n8n.n8nNodesApiVersion) || n8n.n8nNodesApiVersion < 1) {
			fail('"n8n.n8nNodesApiVersion" must be a positive integer');
		}
		if (!Array.isArray(n8n.nodes) || n8n.nodes.length === 0)
			fail('"n8n.nodes" must list at least one node');
		const listed = [];
		for (const key of ['nodes', 'credentials']) {
			if (n8n[key] === undefined) continue;
			if (!Array.isArray(n8n[key])) {
				fail(`"n8n.${key}" must be an array`);
				continue;
			}
			for (const entry of n8n[key]) {
				listed.push(entry);
				if (typeof entry !== 'string' || !entry.startsWith('dist/') || !entry.endsWith('.js')) {
					fail(`"n8n.${key}" entry ${JSON.stringify(entry)} must be a dist/... .js path`);
				} else if (!packedFiles.includes(entry)) {
					fail(`"n8n.${key}" lists ${entry}, which is not in the tarball`);
				}
			}
		}
		return `${listed.length} files listed in "n8n", all present`;
	});

	await step('scanner rules on the tarball (**/*.js, package.json)', () =>
		scannerLint('scanner: tarball', packDir, TARBALL_LINT_PATTERNS),
	);

	await step('inline ESLint directives', () => {
		const listing = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
		let files;
		if (listing.status === 0) {
			files = listing.stdout.split('\0').filter(Boolean);
		} else {
			files = NODE_CLI_LINT_TARGETS.flatMap((target) =>
				fs.statSync(path.join(ROOT, target)).isDirectory()
					? walk(path.join(ROOT, target)).map((file) => `${target}/${file}`)
					: [target],
			);
		}
		files = files.filter(
			(file) => CODE_EXTENSIONS.has(path.extname(file)) && fs.existsSync(path.join(ROOT, file)),
		);
		scanInlineDirectives('inline directives', files, ROOT, 'repository');
		const tarballCode = packedFiles.filter((file) => CODE_EXTENSIONS.has(path.extname(file)));
		scanInlineDirectives('inline directives', tarballCode, packDir, 'tarball');
		return `${files.length} repository files and ${tarballCode.length} tarball files searched`;
	});
}

function report() {
	const errors = problems.filter((item) => item.severity === 'error').length;
	const warnings = problems.length - errors;
	process.stdout.write('\n== summary\n');
	for (const { name, status, ms } of steps) {
		process.stdout.write(`   ${status === 'ok' ? 'ok  ' : 'FAIL'}  ${name} (${seconds(ms)})\n`);
	}
	if (problems.length > 0) {
		process.stdout.write('\nproblems:\n');
		let lastCheck;
		for (const item of problems) {
			if (item.check !== lastCheck) {
				process.stdout.write(`  [${item.check}]\n`);
				lastCheck = item.check;
			}
			const location = item.file
				? `${item.file}${item.line ? `:${item.line}:${item.column ?? 1}` : ''}  `
				: '';
			const rule = item.rule ? `  ${item.rule}` : '';
			process.stdout.write(`    ${location}${item.severity}${rule}  ${item.message}\n`);
		}
	}
	const total = seconds(Date.now() - started);
	if (problems.length === 0) {
		process.stdout.write(
			`\nverify passed in ${total}: ${rootPackage.name}@${rootPackage.version} is ready for n8n's scan\n`,
		);
	} else {
		process.stdout.write(
			`\nverify FAILED in ${total}: ${errors} error(s), ${warnings} warning(s)\n`,
		);
	}
}

try {
	await main();
} catch (error) {
	problem('verify', `unexpected failure: ${error?.stack ?? error}`);
} finally {
	await building?.catch(() => undefined);
	cleanUp();
}
report();
process.exit(problems.length === 0 ? 0 : 1);
