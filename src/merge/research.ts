import { clip } from './markdown.js';
import { parseReport } from './parse.js';
import {
  CONFIDENCES,
  confidenceRank,
  researchReportSchema,
  type Claim,
  type ClaimVote,
  type Confidence,
  type MergedClaim,
  type MergedSource,
  type ResearchInput,
  type ResearchMerge,
  type ResearchNote,
  type Source,
} from './research-schema.js';
import type { RejectedReport } from './review-schema.js';
import { normalizeRef } from './refs.js';
import {
  collapse,
  compareText,
  contentTokens,
  foldKey,
  isNegated,
  jaccard,
  otherWordings,
  similarText,
  SIMILAR_TITLES,
} from './text.js';
import { clusterBy } from './union-find.js';

export * from './research-schema.js';
export { renderResearchMarkdown, type ResearchMeta } from './render-research.js';

interface RawClaim {
  worker: string;
  angle: string;
  text: string;
  confidence: Confidence;
  sources: Source[];
  key: string;
  tokens: Set<string>;
}

interface RawNote {
  worker: string;
  text: string;
}

/** A disagreement names a claim when it holds most (≥ 60%, at least 2) of the claim's content words. */
function mentions(disagreement: Set<string>, claim: Set<string>): boolean {
  let shared = 0;
  for (const token of claim) if (disagreement.has(token)) shared++;
  return shared >= 2 && shared / claim.size >= SIMILAR_TITLES;
}

function sameClaim(a: RawClaim, b: RawClaim): boolean {
  return (a.key !== '' && a.key === b.key) || jaccard(a.tokens, b.tokens) >= SIMILAR_TITLES;
}

/** Every source once (by normalised ref), with each worker that cited it and their distinct notes. */
function mergeSources(members: RawClaim[]): MergedSource[] {
  const byRef = new Map<string, { notes: Set<string>; workers: Set<string> }>();
  for (const m of members) {
    for (const s of m.sources) {
      const ref = normalizeRef(s.ref);
      if (ref === '') continue;
      const held = byRef.get(ref) ?? { notes: new Set<string>(), workers: new Set<string>() };
      const note = s.note === null ? '' : collapse(s.note);
      if (note !== '') held.notes.add(note);
      held.workers.add(m.worker);
      byRef.set(ref, held);
    }
  }
  return [...byRef.entries()]
    .map(([ref, { notes, workers }]) => ({
      ref,
      note: notes.size === 0 ? null : [...notes].sort(compareText).join('; '),
      workers: [...workers].sort(compareText),
    }))
    .sort((a, b) => b.workers.length - a.workers.length || compareText(a.ref, b.ref));
}

/** The most common rating; ties go to the lower one, so a split never overstates certainty. */
function consensus(votes: ClaimVote[]): Confidence {
  const tally = (c: Confidence) => votes.filter((v) => v.confidence === c).length;
  return [...CONFIDENCES].reverse().reduce((best, c) => (tally(c) > tally(best) ? c : best), 'low');
}

function disputesOf(votes: ClaimVote[], tokens: Set<string>, notes: RawNote[]): string[] {
  const out: string[] = [];
  const ranks = votes.map((v) => confidenceRank(v.confidence));
  if (Math.max(...ranks) - Math.min(...ranks) >= 2) {
    const who = (c: Confidence) => votes.filter((v) => v.confidence === c).map((v) => v.worker);
    const groups = CONFIDENCES.filter((c) => who(c).length > 0).map((c) => `${c} (${who(c).join(', ')})`);
    out.push(`confidence differs: ${groups.join(' vs ')}`);
  }
  const deniers = votes.filter((v) => v.negated).map((v) => v.worker);
  if (deniers.length > 0 && deniers.length < votes.length) {
    out.push(
      `stated both ways: ${[...new Set(deniers)].join(', ')} ${deniers.length === 1 ? 'says' : 'say'} the opposite`,
    );
  }
  const named = notes
    .filter((note) => mentions(contentTokens(note.text), tokens))
    .map((note) => `${note.worker} notes: ${clip(note.text, 200)}`);
  return [...new Set([...out, ...named.sort(compareText)])];
}

function byWording(a: RawClaim, b: RawClaim): number {
  return (
    Number(a.text === '') - Number(b.text === '') ||
    confidenceRank(b.confidence) - confidenceRank(a.confidence) ||
    a.text.length - b.text.length ||
    compareText(a.text, b.text)
  );
}

function mergeClaim(members: RawClaim[], notes: RawNote[]): MergedClaim {
  const head = [...members].sort(byWording)[0];
  const claim = head?.text || '(empty claim)';
  const negated = isNegated(claim);
  const votes = members
    .map((m) => ({
      worker: m.worker,
      angle: m.angle,
      confidence: m.confidence,
      negated: isNegated(m.text) !== negated,
    }))
    .sort(
      (a, b) =>
        compareText(a.worker, b.worker) ||
        confidenceRank(b.confidence) - confidenceRank(a.confidence) ||
        Number(a.negated) - Number(b.negated),
    );
  const workers = [...new Set(members.map((m) => m.worker))].sort(compareText);
  const disputes = disputesOf(votes, contentTokens(claim), notes);
  const alsoStated = otherWordings(
    members.map((m) => m.text),
    claim,
  );
  return {
    id: '',
    claim,
    confidence: consensus(votes),
    votes,
    workers,
    angles: [...new Set(members.map((m) => m.angle))].sort(compareText),
    agreement: workers.length,
    sources: mergeSources(members),
    disputed: disputes.length > 0,
    disputes,
    mergedFrom: members.length,
    alsoStated,
  };
}

/** Rank: how many workers agree, then confidence, then sourced claims and source count, then text. */
export function compareClaims(a: MergedClaim, b: MergedClaim): number {
  return (
    b.agreement - a.agreement ||
    confidenceRank(b.confidence) - confidenceRank(a.confidence) ||
    Number(b.sources.length > 0) - Number(a.sources.length > 0) ||
    b.sources.length - a.sources.length ||
    compareText(a.claim, b.claim) ||
    b.mergedFrom - a.mergedFrom
  );
}

/**
 * Deduplicates free-text notes (the fullest wording is kept, most-shared first) and links each
 * to the claims it names, so a brief can show a disagreement next to its claim once.
 */
function mergeNotes(notes: RawNote[], claims: MergedClaim[]): ResearchNote[] {
  const claimTokens = claims.map((c) => ({ id: c.id, tokens: contentTokens(c.claim) }));
  return clusterBy(notes, (a, b) => similarText(a.text, b.text))
    .map((group) => {
      const texts = group.map((n) => contentTokens(n.text));
      return {
        text: group.map((n) => n.text).sort((a, b) => b.length - a.length || compareText(a, b))[0] ?? '',
        workers: [...new Set(group.map((n) => n.worker))].sort(compareText),
        about: claimTokens.filter((c) => texts.some((t) => mentions(t, c.tokens))).map((c) => c.id),
      };
    })
    .sort((a, b) => b.workers.length - a.workers.length || compareText(a.text, b.text));
}

function toRawClaim(worker: string, angle: string, c: Claim): RawClaim {
  const text = collapse(c.claim);
  const { confidence, sources } = c;
  return { worker, angle, text, confidence, sources, key: foldKey(text), tokens: contentTokens(text) };
}

/**
 * The deterministic curated merge of a research fan-out: validate each report, cluster
 * duplicate claims across workers (keeping every source), flag disputed claims and rank by
 * agreement and confidence. The output does not depend on the order of `inputs`.
 */
export function mergeResearch(inputs: ResearchInput[]): ResearchMerge {
  const claims: RawClaim[] = [];
  const disagreements: RawNote[] = [];
  const questions: RawNote[] = [];
  const summaries: ResearchMerge['summaries'] = [];
  const rejected: RejectedReport[] = [];
  for (const input of inputs) {
    const worker = collapse(input.worker);
    const angle = collapse(input.angle) || worker;
    const parsed = parseReport(researchReportSchema, input.report);
    if (!parsed.ok) {
      rejected.push({ worker, reason: parsed.reason });
      continue;
    }
    const { summary, claims: made, disagreements: dis, open_questions: open } = parsed.data;
    summaries.push({ worker, angle, summary: collapse(summary) });
    claims.push(...made.map((c) => toRawClaim(worker, angle, c)));
    disagreements.push(...dis.map((d) => ({ worker, text: collapse(d) })).filter((d) => d.text !== ''));
    questions.push(...open.map((q) => ({ worker, text: collapse(q) })).filter((q) => q.text !== ''));
  }
  const merged = clusterBy(claims, sameClaim)
    .map((group) => mergeClaim(group, disagreements))
    .sort(compareClaims)
    .map((c, i) => ({ ...c, id: `C${i + 1}` }));
  return {
    claims: merged,
    disagreements: mergeNotes(disagreements, merged),
    openQuestions: mergeNotes(questions, merged),
    summaries: summaries.sort((a, b) => compareText(a.worker, b.worker) || compareText(a.summary, b.summary)),
    rejected: rejected.sort((a, b) => compareText(a.worker, b.worker) || compareText(a.reason, b.reason)),
    stats: { raw: claims.length, merged: merged.length, disputed: merged.filter((c) => c.disputed).length },
  };
}
