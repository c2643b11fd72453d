import { z } from 'zod';
import { toView } from '../../index.js';
import { DEFAULT_REPLY_TOKENS } from '../reply.js';
import { defineTool, maxOutputTokens } from './define.js';
import { summarize, summaryLines } from './worker-summary.js';

/** `baton stop`: SIGINT, a grace period, then SIGKILL of the whole process tree. */
export const stopWorkerTool = defineTool({
  name: 'stop_worker',
  title: 'Stop workers',
  description:
    'Stop workers or terminal sessions: interrupt (SIGINT), wait grace_ms, then kill their whole ' +
    'process tree. Queued workers are cancelled. Returns how each ended.',
  input: {
    labels: z.array(z.string().min(1)).min(1).describe('Workers or sessions to stop, e.g. ["W2"].'),
    grace_ms: z
      .number()
      .int()
      .nonnegative()
      .max(600_000)
      .optional()
      .describe('Time between SIGINT and SIGKILL (default: the worker’s, 5 s).'),
    max_output_tokens: maxOutputTokens(DEFAULT_REPLY_TOKENS),
  },
  annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
  async run(args, { engine }) {
    const ended = await engine.stop(args.labels, {
      graceMs: args.grace_ms,
      reason: 'stopped by stop_worker',
    });
    const summaries = ended.map((w) => summarize(toView(w)));
    const { lines, omitted } = summaryLines(summaries, args.max_output_tokens ?? DEFAULT_REPLY_TOKENS);
    return {
      text: lines.join('\n'),
      data: { workers: summaries.slice(summaries.length - lines.length), omitted },
    };
  },
});
