import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';

const root = join(__dirname, '../../../..');

describe('the generated phone metadata', () => {
	test('matches what tools/phone-metadata.mjs writes from the installed libphonenumber-js', () => {
		const generated = JSON.parse(
			execFileSync(process.execPath, [join(root, 'tools/phone-metadata.mjs'), '--print'], {
				encoding: 'utf8',
			}),
		) as Record<string, string>;

		expect(Object.keys(generated).sort()).toEqual([
			'credentials/common/phoneRegions.ts',
			'nodes/Altegio/helpers/phoneMetadata.ts',
		]);
		for (const [path, text] of Object.entries(generated)) {
			// A difference here means: run `npm run generate` and commit the result.
			expect({ path, text: readFileSync(join(root, path), 'utf8') }).toEqual({ path, text });
		}
	});
});
