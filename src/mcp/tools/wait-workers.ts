import { z } from 'zod';
import { isEnded, toView } from '../../index.js';
import { DEFAULT_REPLY_TOKENS } from '../reply.js';
import { defineTool, maxOutputTokens } from './define.js';
import { summarize, summaryLines } from './worker-summary.js';

/** Half of Codex's default 60 s tool-call timeout, so a default wait never trips it. */
export const DEFAULT_WAIT_MS = 30_000;

/** A long poll: returns the moment the condition holds, or at the timeout with who still runs. */
export const waitWorkersTool = defineTool({
  name: 'wait_workers',
  title: 'Wait for workers to end',
  description:
    'Long-poll workers: returns as soon as all of them (mode "all") or the first of them (mode "any") ' +
    'ended, or when timeout_ms passes; workers keep running after a timeout, so call it again or do ' +
    'other work meanwhile. Keep timeout_ms under your client’s tool-call timeout. Returns states ' +
    'only; read answers with get_result.',
  input: {
    labels: z
      .array(z.string())
      .optional()
      .describe('Workers to wait for (default: every worker that is queued or running now).'),
    mode: z.enum(['all', 'any']).optional().describe('"all" (default) or "any".'),
    timeout_ms: z
      .number()
      .int()
      .nonnegative()
      .max(3_600_000)
      .optional()
      .describe(`Give up after this long (default ${DEFAULT_WAIT_MS}).`),
    max_output_tokens: maxOutputTokens(DEFAULT_REPLY_TOKENS),
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
  async run(args, { engine, signal }) {
    const mode = args.mode ?? 'all';
    const labels =
      args.labels && args.labels.length > 0
        ? args.labels
        : engine
            .list()
            .filter((w) => !isEnded(w.state))
            .map((w) => w.label);
    if (labels.length === 0) {
      return { text: 'nothing is running', data: { satisfied: true, ended: [], running: [], workers: [] } };
    }
    const result = await engine.wait(labels, { mode, timeoutMs: args.timeout_ms ?? DEFAULT_WAIT_MS, signal });
    const summaries = result.workers.map((w) => summarize(toView(w)));
    const ended = result.workers.filter((w) => isEnded(w.state)).map((w) => w.label);
    const running = result.workers.filter((w) => !isEnded(w.state)).map((w) => w.label);
    const { lines, omitted } = summaryLines(summaries, args.max_output_tokens ?? DEFAULT_REPLY_TOKENS);
    const head = result.satisfied
      ? `${mode === 'all' ? 'all ended' : `ended: ${ended.join(', ')}`}; read answers with get_result`
      : `timed out: ${running.length} of ${labels.length} still running (they keep running; wait again or stop_worker)`;
    return {
      text: [head, ...lines].join('\n'),
      data: {
        satisfied: result.satisfied,
        ended,
        running,
        workers: summaries.slice(summaries.length - lines.length),
        omitted,
      },
    };
  },
});
