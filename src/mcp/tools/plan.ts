import { z } from 'zod';
import { STEP_STATUSES, type PlanView } from '../../index.js';
import { defineTool } from './define.js';

const MARK: Record<string, string> = { pending: '[ ]', in_progress: '[>]', completed: '[x]' };

function render(view: PlanView): string {
  if (view.steps.length === 0) return `run ${view.runId} has no plan yet`;
  return view.steps.map((s, i) => `${MARK[s.status]} ${i + 1}. ${s.step}`).join('\n');
}

function data(view: PlanView): Record<string, unknown> {
  return { run: view.runId, steps: view.steps, updates: view.history.length };
}

/** update_plan, with the seed's rules enforced: ≤ 6 short steps, exactly one in progress. */
export const updatePlanTool = defineTool({
  name: 'update_plan',
  title: 'Update the plan',
  description:
    "Replace the run's plan (like Codex's update_plan): at most 6 steps, one short sentence each, " +
    'exactly one step "in_progress" while any is unfinished. Send the whole plan each time; every ' +
    'update is kept in the history. Skip the plan for trivial tasks.',
  input: {
    run: z.string().min(1).default('default').describe('The run the plan belongs to.'),
    explanation: z.string().optional().describe('Why the plan changed.'),
    plan: z
      .array(z.object({ step: z.string(), status: z.enum(STEP_STATUSES) }))
      .min(1)
      .describe('Every step with its status: pending, in_progress or completed.'),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  run(args, { engine }) {
    const view = engine.plans.set(args.run, args.plan, args.explanation ?? null);
    return { text: render(view), data: data(view) };
  },
});

/** The current plan of a run. */
export const getPlanTool = defineTool({
  name: 'get_plan',
  title: 'Read the plan',
  description: "Return a run's current plan (and how many updates its history holds).",
  input: { run: z.string().min(1).default('default').describe('The run the plan belongs to.') },
  annotations: { readOnlyHint: true, openWorldHint: false },
  run(args, { engine }) {
    const view = engine.exists ? engine.plans.show(args.run) : { runId: args.run, steps: [], history: [] };
    return { text: render(view), data: data(view) };
  },
});
