import type { ServerResponse } from 'node:http';
import { estimateUsage } from './sse.js';
import { planCall, type PlannedCall, type ToolNames } from './scripted-calls.js';
import { settledReply, stepText, waitForAbort } from './scripted-server.js';
import type { AgentReplyEnv, TerminalStep } from './scripted-server.js';

/** Anthropic's error `type` per HTTP status, as its API sends them. */
const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

const STATUS_TEXT: Record<number, string> = {
  429: 'Number of request tokens has exceeded your rate limit',
  500: 'Internal server error',
  529: 'Overloaded',
};

// Why: one place for the error body both Claude Code and opencode parse (`{type:"error",error:{…}}`).
export function sendAnthropicError(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  // A tiny retry hint: clients that retry on their own (opencode) do so at once, not after seconds.
  res.writeHead(status, { 'content-type': 'application/json', 'retry-after-ms': '1', 'retry-after': '0' });
  const type = ERROR_TYPES[status] ?? 'api_error';
  res.end(JSON.stringify({ type: 'error', error: { type, message } }));
}

function frame(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

/** Claude Code names its tools Bash/Write and MCP tools `mcp__<server>__<tool>`; opencode bash/write. */
function toolNames(tools: readonly string[]): ToolNames {
  const claude = tools.includes('Bash') || !tools.includes('bash');
  return {
    shell: (command) => ({
      name: claude ? 'Bash' : 'bash',
      input: { command, description: 'dry-run scripted command' },
    }),
    ...(tools.includes('Write') || tools.includes('write')
      ? {
          write: (file, content): PlannedCall =>
            claude
              ? { name: 'Write', input: { file_path: file, content } }
              : { name: 'write', input: { filePath: file, content } },
        }
      : {}),
    mcp: (namespace, tool, args) => ({
      name:
        namespace === undefined
          ? tool
          : claude
            ? `${namespace}__${tool}`
            : `${namespace.replace(/^mcp__/, '')}_${tool}`,
      input: args,
    }),
  };
}

class Blocks {
  private index = 0;
  constructor(private readonly res: ServerResponse) {}

  thinking(text: string): void {
    const index = this.index++;
    this.res.write(
      frame('content_block_start', {
        index,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      }),
    );
    this.res.write(
      frame('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: text } }),
    );
    this.res.write(
      frame('content_block_delta', { index, delta: { type: 'signature_delta', signature: 'dry-run' } }),
    );
    this.res.write(frame('content_block_stop', { index }));
  }

  text(text: string): void {
    const index = this.index++;
    this.res.write(frame('content_block_start', { index, content_block: { type: 'text', text: '' } }));
    this.res.write(frame('content_block_delta', { index, delta: { type: 'text_delta', text } }));
    this.res.write(frame('content_block_stop', { index }));
  }

  toolUse(id: string, call: PlannedCall): void {
    const index = this.index++;
    const block = { type: 'tool_use', id, name: call.name, input: {} };
    this.res.write(frame('content_block_start', { index, content_block: block }));
    const partial_json = JSON.stringify(call.input);
    this.res.write(
      frame('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json } }),
    );
    this.res.write(frame('content_block_stop', { index }));
  }
}

function openMessage(res: ServerResponse, env: AgentReplyEnv, inputTokens: number): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  const usage = {
    input_tokens: inputTokens,
    output_tokens: 1,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  };
  const message = {
    id: `msg_dryrun_${env.id}`,
    type: 'message',
    role: 'assistant',
    model: 'dry-run',
    content: [],
    stop_reason: null,
    stop_sequence: null,
    usage,
  };
  res.write(frame('message_start', { message }));
}

/** The visible text of a final step, or a note for steps these clients have no equivalent of. */
function finalText(step: TerminalStep, env: AgentReplyEnv): string {
  if ('say' in step) return stepText(step.say, env.ctx);
  return '[dry-run] this scripted step (poll) has no equivalent for this client';
}

// Why: turns one scripted step into the Messages API stream (or failure) Claude Code and opencode react to.
export const sendAnthropicStep = settledReply((res, { step, reasoning }, env) => {
  if ('http' in step) {
    const text = STATUS_TEXT[step.http] ?? 'scripted failure';
    sendAnthropicError(res, step.http, `[dry-run] HTTP ${step.http}: ${text}`);
    return null;
  }
  const call =
    'exec' in step || 'patch' in step || 'call' in step ? planCall(step, env, toolNames(env.tools)) : null;
  const said = call === null ? finalText(step, env) : JSON.stringify(call.input);
  const usage = estimateUsage(env.requestBytes, reasoning.join('').length + said.length);
  openMessage(res, env, usage.input_tokens);
  const blocks = new Blocks(res);
  for (const text of reasoning) blocks.thinking(text);
  if ('hang' in step) return waitForAbort(env.signal).then(() => null);
  if ('malformed' in step) {
    res.end('event: content_block_start\ndata: {not json\n\n');
    return null;
  }
  if ('responseFailed' in step) {
    res.end(frame('error', { error: { type: 'api_error', message: step.responseFailed } }));
    return null;
  }
  if ('noCompleted' in step) {
    blocks.text('[dry-run] this stream ends without message_stop');
    res.end();
    return null;
  }
  if (call !== null) blocks.toolUse(`toolu_dryrun_${env.id}`, call);
  else blocks.text(said);
  const stop_reason = call === null ? 'end_turn' : 'tool_use';
  res.write(
    frame('message_delta', {
      delta: { stop_reason, stop_sequence: null },
      usage: { output_tokens: usage.output_tokens },
    }),
  );
  res.end(frame('message_stop', {}));
  return { input: usage.input_tokens, output: usage.output_tokens };
});
