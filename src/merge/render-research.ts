import { clip, code, count, inline, nextStep } from './markdown.js';
import { isUrl } from './refs.js';
import type { MergedClaim, MergedSource, ResearchMerge } from './research-schema.js';

/** What the brief header names: the question asked and the angles researched. */
export interface ResearchMeta {
  question: string;
  angles: string[];
}

function sourceText(s: MergedSource): string {
  const ref = isUrl(s.ref) && !/[\s<>]/u.test(s.ref) ? `<${s.ref}>` : code(s.ref);
  return s.note === null ? ref : `${ref} — ${inline(s.note)}`;
}

function claimBlock(c: MergedClaim, index: number): string {
  const agree = c.agreement > 1 ? `${c.agreement} workers agree` : `1 worker (${inline(c.workers[0] ?? '')})`;
  const flag = c.disputed ? ' ⚠ disputed' : '';
  const lines = [
    `${index + 1}. **${c.id}** — ${inline(c.claim)} _(${c.confidence} confidence · ${agree})_${flag}`,
  ];
  if (c.sources.length === 0) lines.push('   - Sources: none given');
  else lines.push('   - Sources:', ...c.sources.map((s) => `     - ${sourceText(s)}`));
  if (c.alsoStated.length > 0)
    lines.push(`   - Also stated as: ${c.alsoStated.map((t) => `“${inline(t)}”`).join('; ')}`);
  return lines.join('\n');
}

function disagreementLines(merge: ResearchMerge): string[] {
  const fromClaims = merge.claims
    .filter((c) => c.disputed)
    .map((c) => `- **${c.id}** (${clip(c.claim, 80)}): ${c.disputes.map(inline).join('; ')}`);
  const stated = merge.disagreements
    .filter((d) => d.about.length === 0)
    .map((d) => `- ${inline(d.text)} _(${d.workers.map(inline).join(', ')})_`);
  return [...fromClaims, ...stated];
}

function firstSource(c: MergedClaim): string {
  const s = c.sources[0];
  return s === undefined ? 'a primary source' : isUrl(s.ref) ? `<${s.ref}>` : code(s.ref);
}

/** The single next step: settle a disagreement that matters, confirm a weak lead, or proceed. */
export function researchNextStep(merge: ResearchMerge): string {
  const top = merge.claims[0];
  if (top === undefined) {
    return merge.rejected.length > 0
      ? `No usable claims came back and ${count(merge.rejected.length, 'report')} failed the schema: re-run the research, with a narrower question if it was broad.`
      : 'No claims came back: re-run the research with a narrower question.';
  }
  const disputed = merge.claims.slice(0, 3).find((c) => c.disputed);
  if (disputed) {
    return `Settle ${disputed.id} before deciding (${clip(disputed.claim, 100)}): ${inline(disputed.disputes[0] ?? '')}; check ${firstSource(disputed)}.`;
  }
  if (top.confidence === 'low' || top.sources.length === 0) {
    return `Confirm ${top.id} against ${firstSource(top)} before acting on it: ${clip(top.claim, 160)}`;
  }
  const agree = top.agreement > 1 ? `, ${top.agreement} workers agree` : '';
  return `Proceed on ${top.id} (${top.confidence} confidence${agree}; see ${firstSource(top)}): ${clip(top.claim, 160)}`;
}

/**
 * A decision-ready brief: key points in rank order with their sources, disagreements called
 * out, open questions, rejected reports, and exactly one recommended next step.
 */
export function renderResearchMarkdown(merge: ResearchMerge, meta: ResearchMeta): string {
  const { raw, merged, disputed } = merge.stats;
  const summary =
    `${count(raw, 'claim')} → ${count(merged, 'key point')}` +
    (disputed > 0 ? `, ${disputed} disputed` : '') +
    (merge.rejected.length > 0 ? `; ${count(merge.rejected.length, 'report')} rejected` : '') +
    '.';
  const sections = [
    `# Research brief: ${inline(meta.question) || '(no question given)'}`,
    `**Angles:** ${meta.angles.map(inline).join(', ') || 'none'}\n\n${summary}`,
    '## Key points',
    merge.claims.length > 0 ? merge.claims.map(claimBlock).join('\n') : '_No claims came back._',
  ];
  const disagreements = disagreementLines(merge);
  if (disagreements.length > 0) sections.push('## Disagreements', disagreements.join('\n'));
  if (merge.openQuestions.length > 0) {
    const open = merge.openQuestions.map(
      (q) => `- ${inline(q.text)} _(${q.workers.map(inline).join(', ')})_`,
    );
    sections.push('## Open questions', open.join('\n'));
  }
  if (merge.rejected.length > 0) {
    sections.push(
      '## Rejected reports',
      merge.rejected.map((r) => `- ${code(r.worker)}: ${inline(r.reason)}`).join('\n'),
    );
  }
  sections.push(nextStep(researchNextStep(merge)));
  return sections.join('\n\n');
}
