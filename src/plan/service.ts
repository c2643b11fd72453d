import { badInput } from '../errors.js';
import type { RunRepo } from '../store/runs.js';
import { freshPlan, updateStep, validatePlan, type PlanStep, type StepStatus } from './plan.js';
import type { PlanRepo, PlanUpdate } from './store.js';

/** A run's plan and its full history. */
export interface PlanView {
  runId: string;
  steps: PlanStep[];
  history: PlanUpdate[];
}

/** update_plan semantics per run, on top of the append-only plan store. */
export class PlanService {
  constructor(
    private readonly plans: PlanRepo,
    private readonly runs: RunRepo,
  ) {}

  /** Replaces the plan: step texts (first in progress) or full steps with statuses. */
  set(
    runId: string,
    steps: readonly string[] | readonly PlanStep[],
    explanation: string | null = null,
  ): PlanView {
    const plan =
      steps.length > 0 && typeof steps[0] === 'string'
        ? freshPlan(steps as readonly string[])
        : validatePlan(steps as readonly PlanStep[]);
    this.runs.ensure(runId, null);
    this.plans.append(runId, plan, explanation);
    return this.show(runId);
  }

  /** Sets step N's status (1-based), keeping exactly one step in progress. */
  update(runId: string, index: number, status: StepStatus, explanation: string | null = null): PlanView {
    const current = this.plans.current(runId);
    if (!current)
      throw badInput(`plan: run "${runId}" has no plan yet; start one with: baton plan set "step" …`);
    this.plans.append(runId, updateStep(current, index, status), explanation);
    return this.show(runId);
  }

  show(runId: string): PlanView {
    const history = this.plans.history(runId);
    return { runId, steps: history.at(-1)?.steps ?? [], history };
  }
}
