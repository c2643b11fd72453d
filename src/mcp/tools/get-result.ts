import { z } from 'zod';
import { DEFAULT_MAX_OUTPUT_TOKENS, isEnded, toResult } from '../../index.js';
import { defineTool, maxOutputTokens } from './define.js';

/** Only the final message, bounded: the orchestrator's context stays small. */
export const getResultTool = defineTool({
  name: 'get_result',
  title: "Read a worker's final message",
  description:
    "Return a worker's final message only (not its transcript), cut to max_output_tokens. A worker " +
    'that failed or timed out says so first, with the reason. A worker still running returns no ' +
    'message: call wait_workers first.',
  input: {
    label: z.string().min(1).describe('The worker, e.g. "W1".'),
    max_output_tokens: maxOutputTokens(DEFAULT_MAX_OUTPUT_TOKENS),
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
  run(args, { engine }) {
    const w = engine.get(args.label);
    const r = toResult(w, args.max_output_tokens ?? DEFAULT_MAX_OUTPUT_TOKENS);
    const data = {
      label: r.label,
      state: r.state,
      reason: r.reason,
      final_message: r.finalMessage,
      truncated: r.truncated,
      tokens: r.usage ? r.usage.inputTokens + r.usage.outputTokens : 0,
      cost_usd: r.usage?.costUsd ?? null,
    };
    if (!isEnded(w.state)) {
      return { text: `${w.label} is still ${w.state}; call wait_workers first`, data };
    }
    const message = r.finalMessage ?? '';
    if (w.state === 'succeeded') return { text: message === '' ? '(empty final message)' : message, data };
    const header = `[${w.label} ${w.state}: ${w.reason ?? 'no reason recorded'}]`;
    return { text: message === '' ? header : `${header}\n${message}`, data };
  },
});
