import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { WorkerSpec } from '../backends/types.js';
import { getBackend } from '../backends/registry.js';
import { BatonError } from '../errors.js';
import type { WorkerRecord } from '../store/workers.js';
import { WORKER_FILES } from './files.js';
import { isRateLimited } from './rate-limit.js';
import { notYetRun } from './records.js';

/** Later attempts live in rows labelled `<label>~<n>`; `~` is never allowed in user labels. */
export function attemptLabel(base: string, n: number): string {
  return n === 1 ? base : `${base}~${n}`;
}

/** The label a user knows the worker by, whichever attempt this is. */
export function baseLabel(w: WorkerRecord): string {
  return w.attemptOf ?? w.label;
}

/** Server trouble worth another try; rate limits are `isRateLimited`'s (they also back the backend off). */
const TRANSIENT =
  /high demand|\b50[0-4]\b|internal server error|bad gateway|service unavailable|overloaded|stream disconnected|connection (?:refused|reset|failed)/i;

/**
 * Whether an ended worker is worth an automatic retry: lost workers, rate limits, 5xx and broken
 * streams are; timeouts only with --retry-timeouts; a schema mismatch or any other failure never.
 */
export function isTransient(w: WorkerRecord): boolean {
  if (w.state === 'lost') return true;
  if (w.state === 'timed_out') return w.retryTimeouts;
  if (w.state !== 'failed' || !w.reason) return false;
  if (w.reason.includes('--schema')) return false;
  return TRANSIENT.test(w.reason) || isRateLimited(w.reason);
}

/** Backoff before automatic retry n+1: 1 s, 2 s, 4 s … capped at 30 s. */
export function backoffMs(attempt: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

export interface AttemptChange {
  kind: 'retry' | 'followup';
  prompt: string;
  notBefore: number | null;
  /** For follow-ups: the thread to continue. */
  threadId?: string;
}

/**
 * The next attempt of a worker as a queued row: same role, backend, cwd, sandbox, write scope,
 * schema, limits and environment; a new prompt (retry) or a message in the same thread
 * (follow-up). Its folder is fresh; nothing of the earlier attempts is overwritten.
 */
export function nextAttempt(
  prev: WorkerRecord,
  attempt: number,
  change: AttemptChange,
  workerDir: (label: string) => string,
): WorkerRecord {
  const base = baseLabel(prev);
  const label = attemptLabel(base, attempt);
  const dir = workerDir(label);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let schemaPath: string | null = null;
  if (prev.schemaPath && change.kind === 'retry') {
    schemaPath = path.join(dir, WORKER_FILES.schema);
    copyFileSync(prev.schemaPath, schemaPath);
  }
  const spec: WorkerSpec = {
    label,
    backend: prev.backend,
    role: prev.role,
    cwd: prev.cwd,
    sandbox: prev.sandbox === null ? null : (prev.sandbox as WorkerSpec['sandbox']),
    task: prev.task,
    prompt: change.prompt,
    schemaPath,
    extraArgs: prev.extraArgs,
    env: prev.env,
    model: prev.model,
  };
  const backend = getBackend(prev.backend);
  let argv: string[];
  if (change.kind === 'followup') {
    if (!backend.resume || !change.threadId) {
      throw new BatonError(
        'BAD_INPUT',
        `followup: the ${prev.backend} backend cannot continue a conversation; use baton retry ${base}`,
      );
    }
    argv = backend.resume(spec, change.threadId).argv;
  } else {
    argv = backend.command(spec).argv;
  }
  return {
    ...prev,
    ...spec,
    argv,
    ...notYetRun(Date.now()),
    threadId: change.kind === 'followup' ? (change.threadId ?? null) : null,
    attempt,
    attemptOf: base,
    notBefore: change.notBefore,
    kind: change.kind,
  };
}
