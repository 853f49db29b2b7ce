import nock from 'nock';

import { runAltegio } from '../helpers/engine';
import type { Sandbox } from '../helpers/sandbox';
import { byPhone, getChains, sandboxCredentials, useSandbox } from '../helpers/sandbox';

const sandbox = useSandbox({ rateLimit: false });

/** Answers requests to a public API host from the sandbox, so the host's own path and headers are checked there. */
function routeHostToSandbox(origin: string, sb: Sandbox) {
	nock(origin)
		.persist()
		.get(/.*/)
		.reply(async function (uri) {
			const headers = Object.fromEntries(
				Object.entries(this.req.headers).filter(([name]) =>
					['authorization', 'accept'].includes(name),
				),
			) as Record<string, string>;
			const response = await fetch(`${sb.url}${uri}`, { headers });
			return [response.status, await response.text(), { 'content-type': 'application/json' }];
		});
}

afterEach(() => nock.cleanAll());

test('YCLIENTS: api.yclients.com with the YCLIENTS Accept header', async () => {
	routeHostToSandbox('https://api.yclients.com', sandbox());

	const run = await runAltegio({
		parameters: byPhone(),
		items: [{ phone: '+7 926 403-76-40' }],
		credentials: sandboxCredentials(sandbox(), { environment: 'yclients', baseUrl: '' }),
	});

	expect(run.outputs[0].map((item) => item.json.name)).toEqual(['Ivan Petrov']);
	expect(
		sandbox().requests.map(({ path, rawQuery, headers }) => [path, rawQuery, headers.accept]),
	).toEqual([
		['/api/v1/group/509/clients', 'phone=79264037640', 'application/vnd.yclients.v2+json'],
	]);
});

test('Altegio is the default environment: api.alteg.io with the Altegio Accept header', async () => {
	routeHostToSandbox('https://api.alteg.io', sandbox());

	const run = await runAltegio({
		parameters: getChains,
		credentials: sandboxCredentials(sandbox(), { environment: undefined, baseUrl: '' }),
	});

	expect(run.outputs[0]).toHaveLength(2);
	expect(sandbox().requests.map(({ path, headers }) => [path, headers.accept])).toEqual([
		['/api/v1/groups', 'application/vnd.api.v2+json'],
	]);
});

test('a custom base URL with a trailing slash', async () => {
	const run = await runAltegio({
		parameters: getChains,
		credentials: sandboxCredentials(sandbox(), { baseUrl: `${sandbox().apiUrl}/` }),
	});

	expect(run.status).toBe('success');
	expect(sandbox().requests.map((request) => request.path)).toEqual(['/api/v1/groups']);
});
