import { DEFAULT_POLICY, readPolicy } from '../../../../nodes/Altegio/actions/options';

describe('readPolicy', () => {
	test('no options: the defaults', () => {
		expect(readPolicy({})).toEqual(DEFAULT_POLICY);
		expect(readPolicy({ maxRetries: '', timeout: null })).toEqual(DEFAULT_POLICY);
	});

	test.each([
		[
			{ maxRetries: 5, timeout: 1000 },
			{ maxRetries: 5, timeout: 1000 },
		],
		[{ maxRetries: '2' }, { maxRetries: 2, timeout: 30_000 }],
		[{ maxRetries: 2.7 }, { maxRetries: 2, timeout: 30_000 }],
		[{ maxRetries: -1 }, { maxRetries: 0, timeout: 30_000 }],
		[{ maxRetries: 1e9 }, { maxRetries: 10, timeout: 30_000 }],
		[{ maxRetries: Infinity }, { maxRetries: 10, timeout: 30_000 }],
		[{ timeout: -5 }, { maxRetries: 3, timeout: 1 }],
		[{ timeout: Infinity }, { maxRetries: 3, timeout: 300_000 }],
		[{ timeout: ' 2500 ' }, { maxRetries: 3, timeout: 2500 }],
	])('%p is held to the documented range: %p', (options, policy) => {
		expect(readPolicy(options)).toEqual(policy);
	});

	test.each([
		[{ maxRetries: 'three' }, 'Max Retries must be a number from 0 to 10, not "three"'],
		[{ maxRetries: NaN }, 'Max Retries must be a number from 0 to 10, not NaN'],
		[{ maxRetries: [3] }, 'Max Retries must be a number from 0 to 10, not a list'],
		[{ timeout: 'soon' }, 'Timeout must be a number of milliseconds from 1 to 300000, not "soon"'],
		[
			{ timeout: true },
			'Timeout must be a number of milliseconds from 1 to 300000, not a value of type boolean',
		],
	])('%p is refused: %s', (options, problem) => {
		expect(readPolicy(options)).toEqual({ problem });
	});
});
