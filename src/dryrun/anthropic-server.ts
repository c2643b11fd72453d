import type { ServerResponse } from 'node:http';
import { readAnthropicTurn } from './anthropic-transcript.js';
import { sendAnthropicError, sendAnthropicStep } from './anthropic-reply.js';
import { startScriptedServer } from './scripted-server.js';
import type { ScriptedApi, ScriptedServer, ScriptedServerOptions } from './scripted-server.js';

function countTokens(res: ServerResponse, body: unknown): void {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ input_tokens: Math.ceil(JSON.stringify(body).length / 4) }));
}

/** The Anthropic Messages API as Claude Code (`/v1/messages?beta=true`) and opencode call it. */
const anthropicApi: ScriptedApi = {
  classify(method, pathname) {
    if (method !== 'POST') return null;
    if (pathname === '/v1/messages') return 'turn';
    if (pathname === '/v1/messages/count_tokens') return 'side';
    return null;
  },
  read: readAnthropicTurn,
  reply: sendAnthropicStep,
  side: (res, _pathname, body) => countTokens(res, body),
  error: sendAnthropicError,
};

/**
 * Starts a scripted Anthropic Messages server: `ANTHROPIC_BASE_URL=<origin>` for Claude Code, the
 * `anthropic` provider's `baseURL: <origin>/v1` for opencode. Same scenarios as the codex fake.
 */
export function startFakeAnthropic(opts: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  return startScriptedServer(anthropicApi, opts);
}
