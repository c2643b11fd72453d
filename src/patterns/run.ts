import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Engine } from '../workers/engine.js';
import { startDryRun } from '../dryrun/session.js';
import { validateLabel } from '../util/ids.js';
import { resolveParams, type RawParams } from './params.js';
import { checkBackends } from './backends.js';
import { renderRunReport } from './report.js';
import { WorkflowRunner, type ProgressEvent } from './runner.js';
import type { Workflow } from './schema.js';
import { interpolate } from './template.js';
import type { WorkerOut } from './outputs.js';

/** How to run a workflow; every field maps to a pattern command flag. */
export interface PatternOptions {
  /** --cwd: where the workers work and evidence paths are checked (default: here). */
  cwd?: string;
  /**
   * --backend: one agent backend, or several that fan-out workers take round-robin; an item may
   * pick a model too, as `claude=<model>`.
   */
  backends?: string[];
  /** --context: a context pack every worker gets. */
  contextFile?: string;
  /** --dry-run: the scripted offline models (one per agent API) instead of real ones. */
  dryRun?: boolean;
  /** Extra environment and model for every worker (e.g. a dry-run server you started yourself). */
  env?: Record<string, string>;
  model?: string;
  /** --run: the run id (default <pattern>-<time>). */
  runId?: string;
  /** --budget: tokens the whole run may use. */
  budgetTokens?: number;
  /** --timeout: per worker. */
  timeoutMs?: number;
  onProgress?: (e: ProgressEvent) => void;
}

/** What a pattern run hands back: one curated report, plus the structured result. */
export interface PatternResult {
  runId: string;
  state: 'succeeded' | 'failed';
  failure: string | null;
  report: string;
  reportFile: string;
  workers: WorkerOut[];
  steps: Record<string, Record<string, unknown>>;
}

function runState(failure: string | null, workers: readonly WorkerOut[]): 'succeeded' | 'failed' {
  if (failure || workers.some((w) => !w.ok)) return 'failed';
  const lastVerdict = [...workers].reverse().find((w) => w.verdict !== null);
  return lastVerdict?.verdict === 'fail' ? 'failed' : 'succeeded';
}

/**
 * Runs a workflow (a built-in pattern or a user's file) to the end: keeps its plan current,
 * spawns workers through the engine's queue and guards, and returns one curated report, also
 * saved under `<state dir>/runs/<run id>/report.md`. A run with any failed worker never reports
 * plain success.
 */
export async function runWorkflow(
  engine: Engine,
  workflow: Workflow,
  raw: RawParams,
  opts: PatternOptions = {},
): Promise<PatternResult> {
  const params = resolveParams(workflow, raw);
  checkBackends(opts.backends ?? []);
  const runId = validateLabel(opts.runId ?? `${workflow.name}-${Date.now().toString(36)}`, '--run');
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const started = Date.now();
  const dry = opts.dryRun ? await startDryRun(engine.home.root) : null;
  try {
    engine.runs.begin(runId, workflow.name, workflow.summary, opts.budgetTokens ?? null);
    const runner = new WorkflowRunner(workflow, params, {
      engine,
      runId,
      cwd,
      backends: opts.backends ?? [],
      contextFile: opts.contextFile,
      env: dry?.env ?? opts.env,
      envByBackend: dry?.envByBackend,
      model: dry?.model ?? opts.model,
      timeoutMs: opts.timeoutMs,
      onProgress: opts.onProgress,
    });
    await runner.run();
    const workers = [...runner.allWorkers];
    const state = runState(runner.failure, workers);
    const scope = { ...params, steps: runner.stepOutputs };
    const report = renderRunReport({
      workflow,
      runId,
      state,
      failure: runner.failure,
      plan: engine.plans.show(runId).steps,
      workers,
      outputs: runner.stepOutputs,
      elapsedMs: Date.now() - started,
      next: workflow.next ? interpolate(workflow.next, scope, 'next') : null,
    });
    const dir = path.join(engine.home.root, 'runs', runId);
    mkdirSync(dir, { recursive: true });
    const reportFile = path.join(dir, 'report.md');
    writeFileSync(reportFile, report);
    const steps = runner.stepOutputs;
    engine.runs.finish(runId, state, report, { failure: runner.failure, workers, steps });
    return { runId, state, failure: runner.failure, report, reportFile, workers, steps };
  } finally {
    await dry?.close();
  }
}
