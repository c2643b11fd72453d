import { clip, code, count, inline, nextStep } from './markdown.js';
import type { MergedFinding, ReviewMerge, VerifiedEvidence } from './review-schema.js';

/** What the report header names: the run's title, its lenses and how each worker ended. */
export interface ReviewMeta {
  title: string;
  lenses: string[];
  workers: { label: string; lens: string; state: string }[];
}

/** Quotes longer than this are cut in the report (the --json output keeps them whole). */
const QUOTE_CHARS = 120;

function place(e: VerifiedEvidence, line = e.line): string {
  const file = e.path || '(no path)';
  return line === null ? file : `${file}:${line}`;
}

/** "src/a.ts:12 ✓ — `quote`" or "✗ … — note". */
function evidenceLine(e: VerifiedEvidence): string {
  const parts = [`${e.verified ? '✓' : '✗'} ${code(place(e))}`];
  if (e.quote !== null) parts.push(code(clip(e.quote, QUOTE_CHARS)));
  if (e.note !== null) parts.push(inline(e.note));
  return `  - ${parts.join(' — ')}`;
}

function whoAgrees(f: MergedFinding): string {
  const lenses = f.lenses.map(inline).join(', ');
  const label = f.agreement > 1 ? `**Agreed by ${f.agreement} lenses:**` : '**Lens:**';
  const merged = f.mergedFrom > 1 ? ` · merged from ${f.mergedFrom} findings` : '';
  return `- ${label} ${lenses} (${f.workers.map(inline).join(', ')})${merged}`;
}

function findingBlock(f: MergedFinding): string {
  const lines = [`### ${f.id} · ${f.severity} · ${inline(f.title)}`, '', whoAgrees(f)];
  if (f.evidence.length === 0) lines.push('- **Evidence:** none cited');
  else lines.push('- **Evidence:**', ...f.evidence.map(evidenceLine));
  lines.push(`- **Recommendation:** ${inline(f.recommendation) || '(none given)'}`);
  if (f.alsoTitled.length > 0) lines.push(`- **Also reported as:** ${f.alsoTitled.map(inline).join('; ')}`);
  return lines.join('\n');
}

function header(merge: ReviewMerge, meta: ReviewMeta): string {
  const workers = meta.workers.map(
    (w) => `- ${code(w.label)} — ${inline(w.lens) || 'no lens'} — ${inline(w.state)}`,
  );
  const { raw, merged, unverified } = merge.stats;
  const summary =
    `${count(raw, 'raw finding')} → ${count(merged, 'merged finding')}` +
    (unverified > 0 ? `, ${unverified} unverified` : '') +
    (merge.rejected.length > 0 ? `; ${count(merge.rejected.length, 'report')} rejected` : '') +
    '.';
  return [
    `# ${inline(meta.title) || 'Review'}`,
    '',
    `**Lenses:** ${meta.lenses.map(inline).join(', ') || 'none'}`,
    '',
    '**Workers:**',
    '',
    ...(workers.length > 0 ? workers : ['- none']),
    '',
    summary,
  ].join('\n');
}

/** The single next step: fix the top verified finding, or say there is nothing to fix. */
export function reviewNextStep(merge: ReviewMerge): string {
  const top = merge.findings.find((f) => f.verified);
  if (top) {
    const where = top.evidence.find((e) => e.verified);
    const at = where ? ` at ${code(place(where, where.foundLine ?? where.line))}` : '';
    const agreed = top.agreement > 1 ? `, ${top.agreement} lenses agree` : '';
    const action = inline(top.recommendation) || `address "${inline(top.title)}".`;
    return `Fix ${top.id} (${top.severity}${agreed})${at}: ${action}`;
  }
  const { unverified } = merge.stats;
  if (merge.findings.length === 0 && merge.rejected.length > 0) {
    return `Nothing to fix in the reports received, but ${count(merge.rejected.length, 'report')} failed the schema: re-run those reviewers before relying on this review.`;
  }
  if (unverified > 0) {
    return `Nothing to fix: no finding could be verified against the files (${count(unverified, 'unverified finding')} listed above); check by hand only if one looks important.`;
  }
  return 'Nothing to fix: the reviewers reported no findings.';
}

/**
 * The curated review as markdown: header with lenses and worker states, verified findings in
 * rank order, then unverified ones, rejected reports, and exactly one recommended next step.
 */
export function renderReviewMarkdown(merge: ReviewMerge, meta: ReviewMeta): string {
  const verified = merge.findings.filter((f) => f.verified);
  const unverified = merge.findings.filter((f) => !f.verified);
  const sections = [header(merge, meta), '## Findings'];
  sections.push(verified.length > 0 ? verified.map(findingBlock).join('\n\n') : '_No verified findings._');
  if (unverified.length > 0) {
    sections.push(
      '## Unverified',
      '_The evidence cited for these does not exist in the files as quoted; treat them with suspicion._',
      unverified.map(findingBlock).join('\n\n'),
    );
  }
  if (merge.rejected.length > 0) {
    sections.push(
      '## Rejected reports',
      merge.rejected.map((r) => `- ${code(r.worker)}: ${inline(r.reason)}`).join('\n'),
    );
  }
  sections.push(nextStep(reviewNextStep(merge)));
  return sections.join('\n\n');
}
