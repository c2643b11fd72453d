import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { ZodError } from 'zod';
import { BatonError, boundText } from '../index.js';

/**
 * What a tool hands back: `text` becomes the content block (what Claude Code shows its model),
 * `data` the structuredContent (what Codex shows its model, as JSON). Both must be complete and
 * bounded on their own.
 */
export interface ToolReply {
  text: string;
  data: Record<string, unknown>;
}

/** Default budget for replies whose size the caller did not bound (≈4 characters a token). */
export const DEFAULT_REPLY_TOKENS = 2_000;

/**
 * Cuts text to a token budget, keeping the start (answers lead) or the end (logs end with the
 * news), and says how much was left out so the model knows to ask for more.
 */
export function bounded(
  text: string,
  maxTokens: number,
  keep: 'head' | 'tail' = 'head',
): { text: string; omittedChars: number } {
  const cut = boundText(text, maxTokens, keep);
  if (!cut.truncated) return { text, omittedChars: 0 };
  const notice = `[… ${cut.omittedChars} characters left out; raise max_output_tokens to see more]`;
  return {
    text: keep === 'head' ? `${cut.text}\n${notice}` : `${notice}\n${cut.text}`,
    omittedChars: cut.omittedChars,
  };
}

export function ok(reply: ToolReply): CallToolResult {
  return { content: [{ type: 'text', text: reply.text }], structuredContent: reply.data };
}

/**
 * Every failure becomes a tool error the model can read and act on, never a crashed server:
 * baton's coded errors keep their code, bad arguments say which field, anything else is INTERNAL.
 */
export function fail(error: unknown): CallToolResult {
  let code = 'INTERNAL';
  let message = error instanceof Error ? error.message : String(error);
  if (error instanceof BatonError) code = error.code;
  else if (error instanceof ZodError) {
    code = 'BAD_INPUT';
    const first = error.issues[0];
    message = first ? `${first.path.join('.') || 'arguments'}: ${first.message}` : 'invalid arguments';
  }
  return {
    content: [{ type: 'text', text: `${code}: ${message}` }],
    structuredContent: { error: { code, message } },
    isError: true,
  };
}
