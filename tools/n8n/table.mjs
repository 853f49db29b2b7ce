// Plain-text tables for the demo and dev scripts (no dependencies).

const width = (text) => [...text].length;
const pad = (text, size) => text + ' '.repeat(Math.max(0, size - width(text)));

/**
 * Formats rows (objects) as a table. `columns` is a list of keys or [key, heading] pairs; values are
 * shown with String(), objects as JSON, missing values as an empty cell.
 */
export function table(rows, columns = Object.keys(rows[0] ?? {})) {
	const cols = columns.map((c) => (Array.isArray(c) ? c : [c, c]));
	const cell = (value) => {
		if (value === undefined || value === null) return '';
		const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
		return text.replace(/\s+/g, ' ');
	};
	const body = rows.map((row) =>
		cols.map(([key]) => cell(typeof key === 'function' ? key(row) : row[key])),
	);
	const sizes = cols.map(([, heading], i) =>
		Math.max(width(heading), ...body.map((r) => width(r[i]))),
	);
	const line = (cells) => `| ${cells.map((c, i) => pad(c, sizes[i])).join(' | ')} |`;
	const rule = `|${sizes.map((s) => '-'.repeat(s + 2)).join('|')}|`;
	if (rows.length === 0) return `${line(cols.map(([, h]) => h))}\n${rule}\n(no items)`;
	return [line(cols.map(([, h]) => h)), rule, ...body.map(line)].join('\n');
}
