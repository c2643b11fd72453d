import { z } from 'zod';
import { toView } from '../../index.js';
import { defineTool } from './define.js';
import { summarize, summaryLine } from './worker-summary.js';

/** The seed's "do not argue, re-run with better context" as one call. */
export const retryWorkerTool = defineTool({
  name: 'retry_worker',
  title: 'Re-run a worker with better context',
  description:
    'Start a new attempt of an ENDED worker: same role, backend, cwd, sandbox and write scope, with the ' +
    'original prompt plus your note (what was missing or misunderstood) and an optional context pack ' +
    'file. Earlier attempts stay readable. Then wait_workers / get_result with the same label.',
  input: {
    label: z.string().min(1).describe('The worker, e.g. "W1".'),
    note: z.string().optional().describe('What was missing or misunderstood, in a sentence or two.'),
    context_file: z.string().optional().describe('A context pack file (markdown, JSON or YAML) to add.'),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  run(args, { engine }) {
    const w = engine.retry(args.label, { note: args.note, contextFile: args.context_file });
    const s = summarize(toView(w));
    return { text: `${summaryLine(s)} (attempt ${w.attempt})`, data: { ...s, attempt: w.attempt } };
  },
});
