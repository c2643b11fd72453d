import { z } from 'zod';
import { toView } from '../../index.js';
import { defineTool } from './define.js';
import { summarize, summaryLine } from './worker-summary.js';

/** Continue a worker's own conversation instead of starting over. */
export const followupWorkerTool = defineTool({
  name: 'followup_worker',
  title: "Continue an ended worker's conversation",
  description:
    "Send a follow-up message in an ENDED worker's own conversation (codex resumes the same thread, so " +
    'the agent keeps its whole history). Refused for backends that cannot resume (shell) or ephemeral ' +
    'threads: use retry_worker there. Then wait_workers / get_result with the same label.',
  input: {
    label: z.string().min(1).describe('The worker, e.g. "W1".'),
    message: z.string().min(1).describe('What to tell the worker.'),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  run(args, { engine }) {
    const w = engine.followup(args.label, args.message);
    const s = summarize(toView(w));
    return {
      text: `${summaryLine(s)} (attempt ${w.attempt}, same thread)`,
      data: { ...s, attempt: w.attempt },
    };
  },
});
