import type { PlanStep } from '../plan/plan.js';
import { formatElapsed } from '../util/duration.js';
import type { StepOutputs, WorkerOut } from './outputs.js';
import type { Step, Workflow } from './schema.js';

export interface ReportInput {
  workflow: Workflow;
  runId: string;
  state: 'succeeded' | 'failed';
  failure: string | null;
  plan: PlanStep[];
  workers: readonly WorkerOut[];
  outputs: StepOutputs;
  elapsedMs: number;
  /** The workflow's `next`, already filled in. */
  next: string | null;
}

const MARK: Record<string, string> = { pending: '[ ]', in_progress: '[>]', completed: '[x]' };
const NEXT_HEADING = '## One recommended next step';

function clip(text: string, max: number): string {
  const t = text.trim();
  return t.length > max
    ? `${t.slice(0, max)}\n[… ${t.length - max} more characters in the worker's result]`
    : t;
}

/** A verifier's JSON verdict as a few lines; other results as bounded text. */
function renderResult(o: WorkerOut): string {
  if (!o.ok) return `_${o.state}: ${o.reason ?? 'no reason recorded'}_`;
  const j = o.json as {
    verdict?: string;
    summary?: string;
    issues?: { title: string; fix: string }[];
  } | null;
  if (o.verdict && j) {
    const issues = (j.issues ?? []).map((i) => `- ${i.title} — fix: ${i.fix}`);
    return [`**Verdict: ${o.verdict}** — ${j.summary ?? ''}`, ...issues].join('\n');
  }
  return clip(o.result, 1500);
}

function flatSteps(steps: readonly Step[]): Step[] {
  return steps.flatMap((s) => ('repeat' in s ? [s, ...flatSteps(s.repeat.steps)] : [s]));
}

/** One line per worker of a fan-out that a merge consumed: the merge carries the content. */
function rollCall(items: readonly WorkerOut[]): string {
  return items
    .map((o) => {
      const j = o.json as { findings?: unknown[]; claims?: unknown[] } | null;
      const count = j?.findings
        ? `, ${j.findings.length} findings`
        : j?.claims
          ? `, ${j.claims.length} claims`
          : '';
      const why = o.ok ? '' : `: ${o.reason ?? ''}`;
      return `- ${o.item ?? o.role} — \`${o.label}\`: ${o.state}${count}${why}`;
    })
    .join('\n');
}

function section(step: Step, outputs: StepOutputs, merged: ReadonlySet<string>): string | null {
  const out = outputs[step.id];
  if (!out) return null;
  if ('merge' in step) return String(out['report'] ?? '').replace(/^# .*\n+/, '');
  if (merged.has(step.id)) return `### ${step.id}\n${rollCall((out['items'] ?? []) as WorkerOut[])}`;
  if ('repeat' in step)
    return `### ${step.id}\n${String(out['rounds'])} round(s); passed: ${String(out['passed'])}`;
  if ('select' in step)
    return `### ${step.id}\nChose option ${String(out['choice'])} of ${String(out['options'])}: ${String(out['why'])}`;
  if ('worker' in step)
    return `### ${step.id} — ${String(out['label'])} (${String(out['role'])})\n${renderResult(out as unknown as WorkerOut)}`;
  const items = (out['items'] ?? []) as WorkerOut[];
  return [
    `### ${step.id}`,
    ...items.map((o) => `#### ${o.item ?? o.label} — ${o.label}\n${renderResult(o)}`),
  ].join('\n\n');
}

/** The one next step when no merge proposed one: fix what failed, else the workflow's own. */
function nextStep(input: ReportInput): string {
  const failed = input.workers.find((w) => !w.ok);
  const lastVerdict = [...input.workers].reverse().find((w) => w.verdict !== null);
  if (lastVerdict?.verdict === 'fail') {
    const issue = (lastVerdict.json as { issues?: { title: string; fix: string }[] }).issues?.[0];
    return issue
      ? `Fix "${issue.title}": ${issue.fix}`
      : `Address the verifier's findings in ${lastVerdict.label}.`;
  }
  if (input.failure || failed) {
    const who = failed ? `${failed.label} (${failed.state}: ${failed.reason ?? ''})` : input.failure;
    return `Look at ${who} and re-run it with better context: baton retry ${failed?.label ?? '<worker>'} --note "…".`;
  }
  return input.next ?? 'Review the results above and act on them.';
}

/** " · $0.0123" summed over the workers whose backend reports a cost; "" when none does. */
function costNote(workers: readonly WorkerOut[]): string {
  const priced = workers.flatMap((w) => (w.costUsd === null ? [] : [w.costUsd]));
  return priced.length === 0 ? '' : ` · $${priced.reduce((sum, c) => sum + c, 0).toFixed(4)}`;
}

/**
 * The run's one curated report: plan, who ran, each step's result (bounded, never raw dumps),
 * and exactly one recommended next step at the end.
 */
export function renderRunReport(input: ReportInput): string {
  const tokens = input.workers.reduce((sum, w) => sum + w.tokens, 0);
  const parts = [
    `# ${input.workflow.name}: ${input.state}`,
    `${input.workflow.summary}\n\nRun \`${input.runId}\` · ${input.workers.length} workers · ${tokens} tokens${costNote(input.workers)} · ${formatElapsed(input.elapsedMs)}`,
    ['## Plan', ...input.plan.map((s, i) => `- ${MARK[s.status]} ${i + 1}. ${s.step}`)].join('\n'),
  ];
  if (input.failure) parts.push(`**Stopped:** ${input.failure}`);
  const steps = flatSteps(input.workflow.steps);
  const merged = new Set(steps.flatMap((s) => ('merge' in s ? [s.merge.from] : [])));
  const sections = steps
    .map((s) => section(s, input.outputs, merged))
    .filter((s): s is string => s !== null && s.trim() !== '');
  parts.push('## Results', ...sections);
  const body = parts.join('\n\n');
  if (body.includes(NEXT_HEADING)) return `${body.trim()}\n`;
  return `${body}\n\n${NEXT_HEADING}\n\n${nextStep(input)}\n`;
}
