import type { ServerResponse } from 'node:http';
import { estimateUsage } from './sse.js';
import { planCall, type ToolNames } from './scripted-calls.js';
import { settledReply, stepText, waitForAbort } from './scripted-server.js';

/** Google's error `status` per HTTP code, as the Gemini API sends them. */
const STATUSES: Record<number, { status: string; message: string }> = {
  400: { status: 'INVALID_ARGUMENT', message: 'Request contains an invalid argument.' },
  403: { status: 'PERMISSION_DENIED', message: 'The caller does not have permission' },
  404: { status: 'NOT_FOUND', message: 'Requested entity was not found.' },
  429: { status: 'RESOURCE_EXHAUSTED', message: 'Resource has been exhausted (e.g. check quota).' },
  500: { status: 'INTERNAL', message: 'An internal error has occurred.' },
  503: { status: 'UNAVAILABLE', message: 'The model is overloaded. Please try again later.' },
};

function errorBody(code: number, message?: string): { error: Record<string, unknown> } {
  const known = STATUSES[code] ?? { status: 'UNKNOWN', message: 'scripted failure' };
  return { error: { code, message: message ?? `[dry-run] ${known.message}`, status: known.status } };
}

// Why: one place for the `{error:{code,message,status}}` body Gemini CLI turns into its API errors.
export function sendGeminiError(res: ServerResponse, status: number, message?: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(errorBody(status, message)));
}

function chunk(parts: unknown[], finish: boolean, usage: { input: number; output: number } | null): string {
  const candidate = {
    content: { role: 'model', parts },
    index: 0,
    ...(finish ? { finishReason: 'STOP' } : {}),
  };
  const usageMetadata =
    usage === null
      ? undefined
      : {
          promptTokenCount: usage.input,
          candidatesTokenCount: usage.output,
          totalTokenCount: usage.input + usage.output,
        };
  return `data: ${JSON.stringify({ candidates: [candidate], usageMetadata, modelVersion: 'dry-run' })}\n\n`;
}

const NAMES: ToolNames = {
  shell: (command) => ({ name: 'run_shell_command', input: { command } }),
  write: (file, content) => ({ name: 'write_file', input: { file_path: file, content } }),
  mcp: (namespace, tool, args) => ({
    name: namespace === undefined ? tool : `${namespace.replace(/^mcp__/, 'mcp_')}_${tool}`,
    input: args,
  }),
};

// Why: turns one scripted step into the streamGenerateContent SSE (or failure) Gemini CLI reacts to.
export const sendGeminiStep = settledReply((res, { step, reasoning }, env) => {
  if ('http' in step) {
    sendGeminiError(res, step.http);
    return null;
  }
  const names = env.tools.includes('write_file') ? NAMES : { ...NAMES, write: undefined };
  const call = 'exec' in step || 'patch' in step || 'call' in step ? planCall(step, env, names) : null;
  const said =
    call !== null
      ? JSON.stringify(call.input)
      : 'say' in step
        ? stepText(step.say, env.ctx)
        : '[dry-run] this scripted step (poll) has no equivalent for Gemini CLI';
  const estimate = estimateUsage(env.requestBytes, reasoning.join('').length + said.length);
  const usage = { input: estimate.input_tokens, output: estimate.output_tokens };
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  for (const text of reasoning) res.write(chunk([{ text, thought: true }], false, null));
  if ('hang' in step) return waitForAbort(env.signal).then(() => null);
  if ('malformed' in step) {
    res.end('data: {not json\n\n');
    return null;
  }
  if ('responseFailed' in step) {
    res.end(`data: ${JSON.stringify(errorBody(500, step.responseFailed))}\n\n`);
    return null;
  }
  if ('noCompleted' in step) {
    res.end(chunk([{ text: '[dry-run] this stream ends without a finish reason' }], false, null));
    return null;
  }
  const parts = call === null ? [{ text: said }] : [{ functionCall: { name: call.name, args: call.input } }];
  res.end(chunk(parts, true, usage));
  return usage;
});
