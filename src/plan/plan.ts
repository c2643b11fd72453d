import { z } from 'zod';
import { badInput } from '../errors.js';

/** update_plan's step statuses. */
export const STEP_STATUSES = ['pending', 'in_progress', 'completed'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export const planStepSchema = z.object({ step: z.string(), status: z.enum(STEP_STATUSES) });
export type PlanStep = z.infer<typeof planStepSchema>;

/** The seed's limits: 3 to 6 steps (fewer is fine for small jobs), one short sentence each. */
export const MAX_STEPS = 6;
export const MAX_STEP_CHARS = 120;

/**
 * Checks a whole plan against the seed's rules and returns it normalized (trimmed). Errors say
 * what was wrong and what is allowed.
 */
export function validatePlan(steps: readonly PlanStep[]): PlanStep[] {
  if (steps.length === 0) throw badInput('plan: give at least one step');
  if (steps.length > MAX_STEPS) {
    throw badInput(`plan: ${steps.length} steps is too many; keep it to at most ${MAX_STEPS} short steps`);
  }
  const clean = steps.map((s, i) => {
    const text = s.step.replace(/\s+/g, ' ').trim();
    if (text.length === 0) throw badInput(`plan: step ${i + 1} is empty`);
    if (text.length > MAX_STEP_CHARS) {
      throw badInput(
        `plan: step ${i + 1} has ${text.length} characters; one short sentence (≤ ${MAX_STEP_CHARS}) each`,
      );
    }
    if (/[.!?]\s+\S/.test(text)) {
      throw badInput(`plan: step ${i + 1} has more than one sentence; one short sentence each`);
    }
    return { step: text, status: s.status };
  });
  const inProgress = clean.filter((s) => s.status === 'in_progress').length;
  const unfinished = clean.some((s) => s.status !== 'completed');
  if (unfinished && inProgress !== 1) {
    throw badInput(
      `plan: exactly one step must be in_progress while any is unfinished (found ${inProgress}); mark one in_progress`,
    );
  }
  return clean;
}

/** A new plan from step texts: the first in progress, the rest pending. */
export function freshPlan(texts: readonly string[]): PlanStep[] {
  return validatePlan(texts.map((step, i) => ({ step, status: i === 0 ? 'in_progress' : 'pending' })));
}

/**
 * Sets one step's status (1-based). Completing the step in progress starts the next pending one,
 * so the plan keeps exactly one step in progress without a second call.
 */
export function updateStep(plan: readonly PlanStep[], index: number, status: StepStatus): PlanStep[] {
  if (!Number.isInteger(index) || index < 1 || index > plan.length) {
    throw badInput(`plan: there is no step ${index}; the plan has steps 1-${plan.length}`);
  }
  const next = plan.map((s) => ({ ...s }));
  const target = next[index - 1];
  if (!target) throw badInput(`plan: there is no step ${index}`);
  const wasCurrent = target.status === 'in_progress';
  if (status === 'in_progress') {
    for (const s of next) if (s.status === 'in_progress') s.status = 'pending';
  }
  target.status = status;
  if (wasCurrent && status === 'completed') {
    const following =
      next.find((s, i) => i > index - 1 && s.status === 'pending') ??
      next.find((s) => s.status === 'pending');
    if (following) following.status = 'in_progress';
  }
  return validatePlan(next);
}
