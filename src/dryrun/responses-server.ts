import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { z } from 'zod';
import { sendStep } from './reply.js';
import { startScriptedServer } from './scripted-server.js';
import type { RecordedRequest, ScriptedApi, ScriptedServerOptions, TurnRequest } from './scripted-server.js';
import { readTranscript, sandboxModeOf } from './transcript.js';

export type { RecordedRequest } from './scripted-server.js';

// A running fake model; point codex's provider `base_url` at `baseUrl`.
export interface FakeModelServer {
  /** e.g. http://127.0.0.1:PORT/v1 */
  readonly baseUrl: string;
  readonly port: number;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

// Options for startFakeModel (port, scenarios): the same as every scripted fake's.
export type FakeModelOptions = ScriptedServerOptions;

/** Function and custom tools carry a `name`; built-in ones (`web_search`, …) only a `type`. */
const ToolsBody = z.looseObject({
  tools: z.array(z.looseObject({ name: z.string().optional(), type: z.string().optional() })).catch([]),
});

function sendJson(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ error: { message, type: 'invalid_request_error', code: null } }));
}

function readResponsesTurn(body: unknown, headers: IncomingHttpHeaders): TurnRequest {
  const parsed = ToolsBody.safeParse(body);
  const tools = (parsed.success ? parsed.data.tools : []).flatMap((tool) => tool.name ?? tool.type ?? []);
  return {
    ...readTranscript(body),
    tools,
    cwd: null,
    sandboxMode: sandboxModeOf(headers['x-codex-turn-metadata']),
  };
}

/** The OpenAI Responses API as codex calls it (`POST /v1/responses`, streamed). */
const responsesApi: ScriptedApi = {
  classify(method, pathname) {
    const isTurn = method === 'POST' && (pathname === '/v1/responses' || pathname === '/v1/responses/');
    return isTurn ? 'turn' : null;
  },
  read: readResponsesTurn,
  reply: (res, step, env) => sendStep(res, step, env).then(() => null),
  // Never reached: codex makes no helper calls, so `classify` sends none here.
  side: (res, pathname) => sendJson(res, 404, `dry-run server: no route for ${pathname}`),
  error: sendJson,
};

// Why: dry runs and tests drive the real codex binary with scripted, deterministic model replies.
export async function startFakeModel(opts: FakeModelOptions = {}): Promise<FakeModelServer> {
  const server = await startScriptedServer(responsesApi, opts);
  return {
    baseUrl: `${server.origin}/v1`,
    port: server.port,
    requests: server.requests,
    close: () => server.close(),
  };
}
