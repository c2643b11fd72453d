import { mergeReviews, renderReviewMarkdown } from '../merge/findings.js';
import { mergeResearch, renderResearchMarkdown } from '../merge/research.js';
import type { StepOutputs, WorkerOut } from './outputs.js';

function list(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : [];
}

/**
 * The boss rule as a step: a fan-out's structured results become one curated report, merged
 * deterministically (no LLM), never forwarded raw.
 */
export function mergeStep(
  body: { kind: 'review' | 'research' | 'list'; from: string },
  outputs: StepOutputs,
  params: Record<string, unknown>,
  cwd: string,
): Record<string, unknown> {
  const items = (outputs[body.from]?.['items'] ?? []) as WorkerOut[];
  const states = items.map((o) => ({ label: o.label, lens: o.item ?? '', state: o.state }));
  if (body.kind === 'review') {
    const ok = items.filter((o) => o.ok);
    const merge = mergeReviews(
      ok.map((o) => ({ worker: o.label, lens: o.item ?? o.role, report: o.json })),
      { root: cwd },
    );
    const lenses = items.map((o) => o.item ?? o.role);
    return { merge, report: renderReviewMarkdown(merge, { title: 'Review', lenses, workers: states }) };
  }
  if (body.kind === 'research') {
    const ok = items.filter((o) => o.ok);
    const merge = mergeResearch(ok.map((o) => ({ worker: o.label, angle: o.item ?? '', report: o.json })));
    const question = String(params['question'] ?? '');
    return { merge, report: renderResearchMarkdown(merge, { question, angles: list(params['angles']) }) };
  }
  const report = items
    .map(
      (o) => `## ${o.item ?? o.label}\n\n${o.ok ? o.result : `_${o.label} ${o.state}: ${o.reason ?? ''}_`}`,
    )
    .join('\n\n');
  return { report };
}
