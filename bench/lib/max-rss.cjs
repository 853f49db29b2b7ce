// Preloaded into the n8n process (NODE_OPTIONS=--require) by the benchmark: on exit it appends the
// process's peak resident set size to the file named by BENCH_MAX_RSS_FILE, one JSON line a process.
'use strict';

const fs = require('node:fs');

const file = process.env.BENCH_MAX_RSS_FILE;
if (file) {
	process.on('exit', (code) => {
		try {
			const line = JSON.stringify({
				pid: process.pid,
				argv: process.argv.slice(1),
				exitCode: code,
				maxRssKb: process.resourceUsage().maxRSS,
			});
			fs.appendFileSync(file, `${line}\n`);
		} catch {
			// measuring must never change how n8n exits
		}
	});
}
