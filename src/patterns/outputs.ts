import type { WorkerRecord } from '../store/workers.js';

/** What a finished worker contributes to later steps and to the report. */
export interface WorkerOut {
  label: string;
  role: string;
  /** The fan-out item this worker handled (lens, section, angle, option number). */
  item: string | null;
  state: string;
  reason: string | null;
  ok: boolean;
  /** The final message (bounded). */
  result: string;
  /** The final message parsed as JSON, when it is JSON. */
  json: unknown;
  /** The result condensed for the next worker's prompt: blank lines dropped, at most ~2,000 chars. */
  brief: string;
  /** A verifier's verdict, when it gave one. */
  verdict: string | null;
  tokens: number;
  /** USD spent, when the backend reports a cost (claude, opencode); null otherwise. */
  costUsd: number | null;
}

/** Results of the steps so far, by step id; this is what `{{steps.<id>.<field>}}` reads. */
export type StepOutputs = Record<string, Record<string, unknown>>;

const MAX_RESULT_CHARS = 12_000;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const BRIEF_CHARS = 2000;

function condense(text: string): string {
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  const joined = lines.join('\n');
  return joined.length > BRIEF_CHARS ? `${joined.slice(0, BRIEF_CHARS)}\n[… condensed]` : joined;
}

/** Turns a worker record into the step output the rest of the workflow sees. */
export function workerOut(w: WorkerRecord, item: string | null): WorkerOut {
  const text = w.finalMessage ?? '';
  const result = text.length > MAX_RESULT_CHARS ? `${text.slice(0, MAX_RESULT_CHARS)}\n[… truncated]` : text;
  const json = parseJson(text);
  const verdict =
    json !== null && typeof json === 'object' && 'verdict' in json && typeof json.verdict === 'string'
      ? json.verdict
      : null;
  return {
    label: w.label,
    role: w.role,
    item,
    state: w.state,
    reason: w.reason,
    ok: w.state === 'succeeded',
    result,
    brief: condense(text),
    json,
    verdict,
    tokens: w.usage ? w.usage.inputTokens + w.usage.outputTokens : 0,
    costUsd: w.usage?.costUsd ?? null,
  };
}

/** The text later prompts get for a set of results: one labelled block each. */
export function joinResults(outs: readonly WorkerOut[]): string {
  return outs
    .map(
      (o) =>
        `### ${o.item ?? o.label} (${o.label}, ${o.state})\n${o.ok ? o.result : `failed: ${o.reason ?? ''}`}`,
    )
    .join('\n\n');
}
