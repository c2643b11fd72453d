import type { Engine } from '../workers/engine.js';

/**
 * Keeps a pattern run's plan current as the run moves: the plan starts with step 1 in progress,
 * reaching a step completes the ones before it, and the end completes the rest (or records why
 * the run stopped). Plans only move forward; repeat rounds are noted in the explanations.
 */
export class PlanTracker {
  constructor(
    private readonly engine: Engine,
    private readonly runId: string,
    private readonly texts: readonly string[],
    private readonly changed: () => void,
  ) {}

  start(): void {
    this.engine.plans.set(this.runId, this.texts, 'pattern started');
    this.changed();
  }

  private steps() {
    return this.engine.plans.show(this.runId).steps;
  }

  reach(n: number, round: unknown): void {
    const note = typeof round === 'number' && round > 1 ? `round ${round}` : null;
    const steps = this.steps();
    if (n > steps.length) return;
    for (let i = 1; i < n; i++) {
      if (this.steps()[i - 1]?.status !== 'completed')
        this.engine.plans.update(this.runId, i, 'completed', note);
    }
    const target = this.steps()[n - 1];
    if (target && target.status === 'pending') this.engine.plans.update(this.runId, n, 'in_progress', note);
    else if (note && target?.status === 'in_progress')
      this.engine.plans.update(this.runId, n, 'in_progress', note);
    this.changed();
  }

  finish(failure: string | null): void {
    const steps = this.steps();
    if (failure === null) {
      for (let i = 1; i <= steps.length; i++) {
        if (this.steps()[i - 1]?.status !== 'completed')
          this.engine.plans.update(this.runId, i, 'completed', null);
      }
    } else {
      const current = steps.findIndex((s) => s.status === 'in_progress');
      if (current >= 0)
        this.engine.plans.update(this.runId, current + 1, 'in_progress', `stopped: ${failure}`);
    }
    this.changed();
  }
}
