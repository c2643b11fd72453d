import path from 'node:path';
import { badInput } from '../errors.js';
import { backendChoice } from './backends.js';
import type { Engine } from '../workers/engine.js';
import { shippedSchema } from '../prompts/templates.js';
import { condition, interpolate, interpolateList, type Scope } from './template.js';
import { joinResults, workerOut, type StepOutputs, type WorkerOut } from './outputs.js';
import type { Step, Workflow, WorkerTemplate } from './schema.js';
import { mergeStep } from './merge-step.js';
import { PlanTracker } from './plan-tracker.js';

/** What the runner reports while it works (the CLI shows it as live progress). */
export type ProgressEvent =
  | { type: 'plan'; runId: string }
  | { type: 'spawned'; labels: string[] }
  | { type: 'step'; id: string; status: 'started' | 'finished' };

/** Everything a pattern run needs besides the workflow itself. */
export interface RunContext {
  engine: Engine;
  runId: string;
  cwd: string;
  /** Backends to spread fan-outs over (round-robin); the first one runs single workers. */
  backends: string[];
  contextFile?: string | undefined;
  /** Extra worker environment and model, e.g. for dry runs. */
  env?: Record<string, string> | undefined;
  /** Per backend, instead of `env` (a dry run points each CLI at its own fake). */
  envByBackend?: Readonly<Record<string, Record<string, string>>> | undefined;
  model?: string | undefined;
  timeoutMs?: number | undefined;
  onProgress?: ((e: ProgressEvent) => void) | undefined;
}

/** Thrown inside the runner when a step cannot go on; ends the run as failed. */
class StepFailed extends Error {}

const SHIPPED_SCHEMAS = new Set(['reviewer', 'verifier', 'research', 'select']);

export class WorkflowRunner {
  private readonly outputs: StepOutputs = {};
  private readonly workers: WorkerOut[] = [];
  private readonly plan: PlanTracker;
  failure: string | null = null;

  constructor(
    private readonly workflow: Workflow,
    private readonly params: Record<string, unknown>,
    private readonly ctx: RunContext,
  ) {
    this.plan = new PlanTracker(ctx.engine, ctx.runId, workflow.plan, () =>
      ctx.onProgress?.({ type: 'plan', runId: ctx.runId }),
    );
  }

  /** Every worker the run started, in order. */
  get allWorkers(): readonly WorkerOut[] {
    return this.workers;
  }

  get stepOutputs(): StepOutputs {
    return this.outputs;
  }

  /** Runs every step in order; a failed step stops the run and is recorded in `failure`. */
  async run(): Promise<void> {
    this.plan.start();
    try {
      await this.runSteps(this.workflow.steps, {});
      this.plan.finish(null);
    } catch (error) {
      if (!(error instanceof StepFailed)) throw error;
      this.failure = error.message;
      this.plan.finish(error.message);
    }
  }

  private scope(extra: Scope): Scope {
    return { ...this.params, ...extra, steps: this.outputs };
  }

  private async runSteps(steps: readonly Step[], extra: Scope): Promise<void> {
    for (const step of steps) {
      if (step.plan !== undefined) this.plan.reach(step.plan, extra['round']);
      this.ctx.onProgress?.({ type: 'step', id: step.id, status: 'started' });
      this.outputs[step.id] = await this.runStep(step, extra);
      this.ctx.onProgress?.({ type: 'step', id: step.id, status: 'finished' });
    }
  }

  private async runStep(step: Step, extra: Scope): Promise<Record<string, unknown>> {
    if ('worker' in step) {
      const [out] = await this.spawnAll(
        step.id,
        [{ tpl: step.worker, scope: this.scope(extra), item: null }],
        extra,
      );
      if (!out?.ok)
        throw new StepFailed(`step ${step.id}: ${out?.label} ${out?.state}: ${out?.reason ?? ''}`);
      return { ...out };
    }
    if ('fanout' in step || 'map' in step) {
      const body = 'fanout' in step ? step.fanout : step.map;
      const items = this.items(body.over, step.id);
      const jobs = items.map((item) => {
        const scope = this.scope({ ...extra, [body.as]: item });
        const tpl =
          'map' in step && body.worker.writes === undefined ? { ...body.worker, writes: item } : body.worker;
        return { tpl, scope, item };
      });
      const outs = await this.spawnAll(step.id, jobs, extra);
      if (!outs.some((o) => o.ok))
        throw new StepFailed(`step ${step.id}: every worker failed (${outs[0]?.reason ?? ''})`);
      return { items: outs, results: joinResults(outs), ok: outs.every((o) => o.ok) };
    }
    if ('select' in step) return this.select(step.id, step.select, extra);
    if ('merge' in step) return mergeStep(step.merge, this.outputs, this.params, this.ctx.cwd);
    return this.repeat(step.repeat, extra);
  }

  private items(over: string, stepId: string): string[] {
    const value = this.params[over];
    if (typeof value === 'number') return Array.from({ length: value }, (_, i) => String(i + 1));
    if (Array.isArray(value) && value.length > 0) return value.map(String);
    throw badInput(
      `workflow: step ${stepId} fans out over "${over}", which is not a non-empty list or a number`,
    );
  }

  private async select(
    id: string,
    body: { from: string; judge: WorkerTemplate },
    extra: Scope,
  ): Promise<Record<string, unknown>> {
    const options = ((this.outputs[body.from]?.['items'] ?? []) as WorkerOut[]).filter((o) => o.ok);
    if (options.length === 0) throw new StepFailed(`step ${id}: no option to choose from`);
    const listed = options.map((o, i) => `OPTION ${i + 1}:\n${o.result}`).join('\n\n');
    const tpl: WorkerTemplate = {
      ...body.judge,
      schema: body.judge.schema ?? 'select',
      task: `${body.judge.task}\n\nCHOOSE ONE OF THESE ${options.length} OPTIONS (answer with its number):\n\n${listed}`,
    };
    const [judge] = await this.spawnAll(id, [{ tpl, scope: this.scope(extra), item: null }], extra);
    if (!judge?.ok)
      throw new StepFailed(`step ${id}: the judge ${judge?.label} ${judge?.state}: ${judge?.reason ?? ''}`);
    const answer = judge.json as { choice?: number; why?: string } | null;
    const choice = Math.min(Math.max(1, Math.round(answer?.choice ?? 1)), options.length);
    return {
      choice,
      why: answer?.why ?? '',
      chosen: options[choice - 1]?.result ?? '',
      judge,
      options: options.length,
    };
  }

  private async repeat(
    body: { max: string | number; until: string; steps: Step[] },
    extra: Scope,
  ): Promise<Record<string, unknown>> {
    const max = Number(
      typeof body.max === 'number' ? body.max : interpolate(body.max, this.scope(extra), 'repeat.max'),
    );
    if (!Number.isInteger(max) || max < 1)
      throw badInput(`workflow: repeat.max must be a whole number ≥ 1 (got ${max})`);
    for (let round = 1; round <= max; round++) {
      await this.runSteps(body.steps, { ...extra, round });
      if (condition(body.until, this.scope({ ...extra, round }))) return { rounds: round, passed: true };
    }
    throw new StepFailed(
      `still not done after ${max} round${max === 1 ? '' : 's'} (${body.until} never held)`,
    );
  }

  private async spawnAll(
    stepId: string,
    jobs: { tpl: WorkerTemplate; scope: Scope; item: string | null }[],
    extra: Scope,
  ): Promise<WorkerOut[]> {
    const round = typeof extra['round'] === 'number' && extra['round'] > 1 ? `-r${extra['round']}` : '';
    const labels = jobs.map((job, i) => {
      const label = `${this.ctx.runId}-${stepId}${jobs.length > 1 ? `-${i + 1}` : ''}${round}`;
      this.spawnOne(label, job.tpl, job.scope, i, `${stepId}.worker`);
      return label;
    });
    this.ctx.onProgress?.({ type: 'spawned', labels });
    const { workers } = await this.ctx.engine.wait(labels, { mode: 'all' });
    const outs = workers.map((w, i) => workerOut(w, jobs[i]?.item ?? null));
    this.workers.push(...outs);
    return outs;
  }

  private spawnOne(label: string, tpl: WorkerTemplate, scope: Scope, index: number, where: string): void {
    const { ctx } = this;
    const backends = ctx.backends.length > 0 ? ctx.backends : ['codex'];
    const choice = backendChoice(backends[index % backends.length] ?? 'codex');
    const backend = tpl.backend ?? choice.backend;
    const schema = tpl.schema === undefined ? undefined : schemaPath(tpl.schema, ctx.cwd);
    ctx.engine.spawn({
      label,
      runId: ctx.runId,
      backend,
      role: tpl.role,
      cwd: ctx.cwd,
      task: interpolate(tpl.task, scope, `${where}.task`),
      lens: tpl.lens === undefined ? undefined : interpolate(tpl.lens, scope, `${where}.lens`),
      success: tpl.success === undefined ? undefined : interpolate(tpl.success, scope, `${where}.success`),
      writes: tpl.writes === undefined ? [] : interpolateList(tpl.writes, scope, `${where}.writes`),
      sandbox: tpl.sandbox,
      freeForm: tpl.free_form,
      schemaFile: schema,
      contextFile: ctx.contextFile,
      env: ctx.envByBackend?.[backend] ?? ctx.env,
      model: (tpl.backend === undefined ? choice.model : undefined) ?? ctx.model,
      timeoutMs: ctx.timeoutMs,
      // A backend whose CLI is missing fails its own workers, not the whole run.
      ifUnavailable: 'fail',
    });
  }
}

function schemaPath(name: string, cwd: string): string {
  return SHIPPED_SCHEMAS.has(name) ? shippedSchema(`${name}.json`) : path.resolve(cwd, name);
}
