// Started by shutdown.mjs in its own process group. It reads "+group PID", "-group PID",
// "+path P" and "-path P" lines on stdin; when stdin closes (its parent exited or was killed),
// it ends the process groups and removes the paths that are still listed.
const fs = require('node:fs');
const path = require('node:path');

const groups = new Set();
const paths = new Set();
let buffer = '';

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => {});

function alive(pid) {
	try {
		process.kill(-pid, 0);
		return true;
	} catch {
		return false;
	}
}

function reap() {
	for (const pid of groups) if (alive(pid)) process.kill(-pid, 'SIGTERM');
	setTimeout(
		() => {
			for (const pid of groups) if (alive(pid)) process.kill(-pid, 'SIGKILL');
			for (const target of paths) {
				fs.rmSync(target, { recursive: true, force: true });
				try {
					fs.rmdirSync(path.dirname(target)); // its folder too, once empty
				} catch {
					/* not empty, or gone */
				}
			}
			process.exit(0);
		},
		groups.size ? 3000 : 0,
	);
}

process.stdin.on('data', (chunk) => {
	buffer += chunk;
	let newline;
	while ((newline = buffer.indexOf('\n')) >= 0) {
		const line = buffer.slice(0, newline);
		buffer = buffer.slice(newline + 1);
		const [, sign, kind, value] = /^([+-])(group|path) (.+)$/.exec(line) ?? [];
		const set = kind === 'group' ? groups : paths;
		const item = kind === 'group' ? Number(value) : value;
		if (sign === '+') set.add(item);
		else if (sign === '-') set.delete(item);
	}
});
process.stdin.on('end', reap);
process.stdin.on('error', reap);
