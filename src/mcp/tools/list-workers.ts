import { z } from 'zod';
import { isEnded, limitLines, toView } from '../../index.js';
import { DEFAULT_REPLY_TOKENS } from '../reply.js';
import { defineTool, maxOutputTokens } from './define.js';
import { summarize, summaryLines } from './worker-summary.js';

/** `baton ps` for a model: one line a worker, newest kept when the budget is tight. */
export const listWorkersTool = defineTool({
  name: 'list_workers',
  title: 'List workers',
  description:
    'List workers and terminal sessions (the same as `baton ps`): label, state, backend/role, ' +
    'elapsed time, tokens, and why one failed or what it did last. Never returns their output.',
  input: {
    state: z
      .enum(['all', 'active', 'ended'])
      .optional()
      .describe('"active" = queued or running, "ended" = finished in any way (default all).'),
    labels: z.array(z.string()).optional().describe('Only these workers.'),
    max_output_tokens: maxOutputTokens(DEFAULT_REPLY_TOKENS),
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
  run(args, { engine }) {
    const filter = args.state ?? 'all';
    const wanted = args.labels ? new Set(args.labels) : null;
    const workers = engine
      .list()
      .filter((w) => wanted === null || wanted.has(w.label))
      .filter((w) => filter === 'all' || (filter === 'ended') === isEnded(w.state));
    const waiting = workers.some((w) => w.state === 'queued') ? engine.dispatch().waiting : new Map();
    const summaries = workers.map((w) =>
      summarize(toView(w), waiting.get(w.attemptOf ?? w.label)?.waitingFor),
    );
    const { lines, omitted } = summaryLines(summaries, args.max_output_tokens ?? DEFAULT_REPLY_TOKENS);
    const head = omitted > 0 ? [`[${omitted} older workers left out; filter by state or labels]`] : [];
    const caps = new Map(workers.map((w) => [w.backend, w.maxParallel]));
    const limits = limitLines(engine.backendLimits(), caps);
    return {
      text: workers.length === 0 ? 'no workers' : [...head, ...lines, ...limits].join('\n'),
      data: { workers: summaries.slice(summaries.length - lines.length), omitted, rate_limits: limits },
    };
  },
});
