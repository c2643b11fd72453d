import type { ServerResponse } from 'node:http';
import { z } from 'zod';
import { readGeminiTurn } from './gemini-transcript.js';
import { sendGeminiError, sendGeminiStep } from './gemini-reply.js';
import { startScriptedServer } from './scripted-server.js';
import type { ScriptedApi, ScriptedServer, ScriptedServerOptions } from './scripted-server.js';

const METHOD = /^\/v1(?:beta|alpha)?\/models\/[^/:]+:([A-Za-z]+)$/;

const Schema = z.looseObject({
  type: z.string().optional(),
  enum: z.array(z.unknown()).optional(),
  properties: z.record(z.string(), z.unknown()).optional(),
});
const SideBody = z.looseObject({
  generationConfig: z
    .looseObject({ responseJsonSchema: z.unknown().optional(), responseSchema: z.unknown().optional() })
    .optional(),
});

/** A value that fits a JSON schema, for Gemini CLI's helper calls (model router, next-speaker check). */
export function exampleOf(raw: unknown): unknown {
  const parsed = Schema.safeParse(raw);
  if (!parsed.success) return {};
  const schema = parsed.data;
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  switch (schema.type?.toLowerCase()) {
    case 'string':
      return 'dry-run';
    case 'number':
    case 'integer':
      return 1;
    case 'boolean':
      return false;
    case 'array':
      return [];
    default:
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, exampleOf(v)]));
  }
}

function side(res: ServerResponse, pathname: string, body: unknown): void {
  const method = METHOD.exec(pathname)?.[1];
  res.writeHead(200, { 'content-type': 'application/json' });
  if (method === 'countTokens') {
    res.end(JSON.stringify({ totalTokens: Math.ceil(JSON.stringify(body).length / 4) }));
    return;
  }
  const config = SideBody.safeParse(body).data?.generationConfig;
  const schema = config?.responseJsonSchema ?? config?.responseSchema;
  const text = schema === undefined ? '[dry-run] ok' : JSON.stringify(exampleOf(schema));
  const candidate = { content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 };
  res.end(
    JSON.stringify({
      candidates: [candidate],
      usageMetadata: { promptTokenCount: 1, candidatesTokenCount: 1, totalTokenCount: 2 },
    }),
  );
}

/** The Gemini API as Gemini CLI calls it (`GOOGLE_GEMINI_BASE_URL=<origin>`). */
const geminiApi: ScriptedApi = {
  classify(method, pathname) {
    const call = METHOD.exec(pathname)?.[1];
    if (method !== 'POST' || call === undefined) return null;
    if (call === 'streamGenerateContent') return 'turn';
    return call === 'generateContent' || call === 'countTokens' ? 'side' : null;
  },
  read: readGeminiTurn,
  reply: sendGeminiStep,
  side,
  error: sendGeminiError,
};

/** Starts a scripted Gemini API server; same scenarios as the codex fake. */
export function startFakeGemini(opts: ScriptedServerOptions = {}): Promise<ScriptedServer> {
  return startScriptedServer(geminiApi, opts);
}
