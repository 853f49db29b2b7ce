// Scripted stand-ins for the OpenAI Chat Completions API on loopback, so that the AI Agent
// examples run in a real n8n without an outside service. Every request body is kept in `requests`,
// so a test can check what n8n sent (tools, schemas, the tool results).

import http from 'node:http';

/** The text of a tool message, which n8n sends as a string or as a list of parts. */
export const toolText = (message) =>
	Array.isArray(message.content)
		? message.content.map((part) => part.text ?? '').join('')
		: String(message.content ?? '');

/**
 * Serves Chat Completions, streamed when asked to, like OpenAI. `decide(body, callId)` picks each
 * answer: `{ content }` for a text, or `{ toolCall }` for a tool call, whose id `callId()` gives.
 */
export async function startChatModel(decide) {
	const requests = [];
	let counter = 0;
	const callId = () => `call_${++counter}`;

	const server = http.createServer((req, res) => {
		let raw = '';
		req.on('data', (chunk) => (raw += chunk));
		req.on('end', () => {
			let body = {};
			try {
				body = raw ? JSON.parse(raw) : {};
			} catch {
				/* keep {} */
			}
			requests.push({ method: req.method, path: req.url, body });
			if (req.method === 'GET' && req.url.endsWith('/models')) {
				res.writeHead(200, { 'content-type': 'application/json' });
				res.end(JSON.stringify({ object: 'list', data: [{ id: 'gpt-5-mini', object: 'model' }] }));
				return;
			}
			if (req.method !== 'POST' || !req.url.endsWith('/chat/completions')) {
				res.writeHead(404, { 'content-type': 'application/json' });
				res.end(
					JSON.stringify({ error: { message: `fake OpenAI: no route ${req.method} ${req.url}` } }),
				);
				return;
			}
			const answer = decide(body, callId);
			const id = `chatcmpl-${++counter}`;
			const created = Math.floor(Date.now() / 1000);
			const model = body.model ?? 'gpt-5-mini';
			const finish = answer.toolCall ? 'tool_calls' : 'stop';
			const usage = { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 };
			if (body.stream) {
				res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
				const send = (delta, finish_reason = null) =>
					res.write(
						`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [{ index: 0, delta, finish_reason }] })}\n\n`,
					);
				send(
					answer.toolCall
						? { role: 'assistant', content: null, tool_calls: [{ index: 0, ...answer.toolCall }] }
						: { role: 'assistant', content: answer.content },
				);
				send({}, finish);
				res.write(
					`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model, choices: [], usage })}\n\n`,
				);
				res.end('data: [DONE]\n\n');
				return;
			}
			const message = answer.toolCall
				? { role: 'assistant', content: null, tool_calls: [answer.toolCall] }
				: { role: 'assistant', content: answer.content };
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(
				JSON.stringify({
					id,
					object: 'chat.completion',
					created,
					model,
					choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
					usage,
				}),
			);
		});
	});

	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return {
		url: `http://127.0.0.1:${port}/v1`,
		requests,
		close: () => new Promise((resolve) => server.close(resolve)),
	};
}

/**
 * A model that always does the same thing:
 *   1. when the conversation has no tool result yet, it calls a tool (by default the one whose
 *      name matches `toolPattern`), filling each declared argument from `args`;
 *   2. once a tool result is in the conversation, it answers with a text that quotes the result.
 */
export async function startFakeOpenAi({
	toolPattern = /.*/,
	args = {},
	answerPrefix = 'Tool result: ',
} = {}) {
	return await startChatModel((body, callId) => {
		const messages = body.messages ?? [];
		const toolResult = [...messages].reverse().find((m) => m.role === 'tool');
		if (toolResult) return { content: `${answerPrefix}${toolText(toolResult)}` };
		const tools = body.tools ?? [];
		const tool = tools.find((t) => toolPattern.test(t.function?.name ?? '')) ?? tools[0];
		if (!tool) return { content: 'No tools were offered.' };
		const properties = tool.function.parameters?.properties ?? {};
		const toolArgs = Object.fromEntries(
			Object.keys(properties).map((key) => [key, args[key] ?? args['*'] ?? '']),
		);
		return {
			toolCall: {
				id: callId(),
				type: 'function',
				function: { name: tool.function.name, arguments: JSON.stringify(toolArgs) },
			},
		};
	});
}
