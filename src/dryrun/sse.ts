import type { ServerResponse } from 'node:http';

// One Responses API output item, as codex reads it from `response.output_item.done`.
export type OutputItem = Record<string, unknown> & { type: string };

// Why: codex sums these per turn into turn.completed.usage, so dry runs show plausible token counts.
export interface Usage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

// Why: rough 4-characters-a-token estimate; deterministic so tests can rely on it.
export function estimateUsage(requestBytes: number, outputChars: number): Usage {
  const input = Math.ceil(requestBytes / 4);
  const output = Math.max(1, Math.ceil(outputChars / 4));
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: 0 },
    total_tokens: input + output,
  };
}

// Why: the only framing codex needs is `event:`/`data:` pairs separated by a blank line.
export function sseFrame(type: string, data: Record<string, unknown>): string {
  return `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;
}

// Why: headers go out at once so codex sees a live 200 stream even when the scenario hangs or waits.
export function openStream(res: ServerResponse, responseId: string): void {
  res.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
  });
  res.write(sseFrame('response.created', { response: { id: responseId, status: 'in_progress' } }));
}

// Why: one place for the item shapes codex accepts (see research/codex-exec-protocol.md §2).
export const items = {
  exec(callId: string, cmd: string): OutputItem {
    const args = JSON.stringify({ cmd, yield_time_ms: 10_000 });
    return {
      type: 'function_call',
      id: `fc_${callId}`,
      name: 'exec_command',
      call_id: callId,
      arguments: args,
    };
  },
  poll(callId: string, sessionId: number): OutputItem {
    const args = JSON.stringify({ session_id: sessionId, chars: '', yield_time_ms: 30_000 });
    return {
      type: 'function_call',
      id: `fc_${callId}`,
      name: 'write_stdin',
      call_id: callId,
      arguments: args,
    };
  },
  patch(callId: string, patch: string): OutputItem {
    return {
      type: 'custom_tool_call',
      id: `ctc_${callId}`,
      name: 'apply_patch',
      call_id: callId,
      input: patch,
    };
  },
  message(id: string, text: string): OutputItem {
    return {
      type: 'message',
      role: 'assistant',
      id,
      status: 'completed',
      content: [{ type: 'output_text', text, annotations: [] }],
    };
  },
  reasoning(id: string, text: string): OutputItem {
    return { type: 'reasoning', id, summary: [{ type: 'summary_text', text }], content: [] };
  },
  // An MCP tool is called as a function in the server's namespace (`mcp__<server>`), §2 and addendum.
  call(callId: string, name: string, args: Record<string, unknown>, namespace?: string): OutputItem {
    return {
      type: 'function_call',
      id: `fc_${callId}`,
      ...(namespace === undefined ? {} : { namespace }),
      name,
      call_id: callId,
      arguments: JSON.stringify(args),
    };
  },
};
