import { compareEvidence, evidenceStrength, type CheckedEvidence } from './evidence.js';
import type { LineRange } from './quote.js';
import { severityRank, type MergedFinding, type Severity, type VerifiedEvidence } from './review-schema.js';
import {
  collapse,
  compareText,
  contentTokens,
  distinctFolded,
  foldKey,
  jaccard,
  otherWordings,
  SIMILAR_TITLES,
} from './text.js';
import { clusterBy } from './union-find.js';

/** One reviewer finding, normalised and with its evidence checked. */
export interface RawFinding {
  worker: string;
  lens: string;
  title: string;
  severity: Severity;
  recommendation: string;
  evidence: CheckedEvidence[];
  titleKey: string;
  tokens: Set<string>;
}

/** Evidence this close (in lines, same file) points at the same spot. */
export const NEARBY_LINES = 3;

function gap(a: LineRange, b: LineRange): number {
  return Math.max(0, b.start - a.end, a.start - b.end);
}

/**
 * Same path, and the same quote or lines within ±3. Nearness only counts between items that
 * both verified or both failed, so a bogus citation cannot borrow credibility from a real one.
 */
function sameSpot(a: CheckedEvidence, b: CheckedEvidence): boolean {
  if (a.evidence.path === '' || a.evidence.path !== b.evidence.path) return false;
  if (a.evidence.quote !== null && a.evidence.quote === b.evidence.quote) return true;
  if (a.evidence.verified !== b.evidence.verified || a.at === null || b.at === null) return false;
  return gap(a.at, b.at) <= NEARBY_LINES;
}

/** Same issue: overlapping evidence, or near-identical titles (token Jaccard ≥ 0.6). */
export function sameIssue(a: RawFinding, b: RawFinding): boolean {
  if (a.evidence.some((ea) => b.evidence.some((eb) => sameSpot(ea, eb)))) return true;
  if (a.titleKey !== '' && a.titleKey === b.titleKey) return true;
  return jaccard(a.tokens, b.tokens) >= SIMILAR_TITLES;
}

/** Normalises one finding for clustering: collapsed text, folded title and its content tokens. */
export function toRawFinding(
  worker: string,
  lens: string,
  finding: { title: string; severity: Severity; recommendation: string },
  evidence: CheckedEvidence[],
): RawFinding {
  const title = collapse(finding.title);
  return {
    worker,
    lens,
    title,
    severity: finding.severity,
    recommendation: collapse(finding.recommendation),
    evidence,
    titleKey: foldKey(title),
    tokens: contentTokens(title),
  };
}

/** One entry per place (path + quote, or path + line), keeping the strongest; strongest first. */
function dedupeEvidence(items: VerifiedEvidence[]): VerifiedEvidence[] {
  const best = new Map<string, VerifiedEvidence>();
  for (const e of items) {
    const key = JSON.stringify([e.path, e.quote ?? `#${e.line ?? ''}`]);
    const held = best.get(key);
    if (!held || compareEvidence(e, held) < 0) best.set(key, e);
  }
  return [...best.values()].sort(compareEvidence);
}

function byTitle(a: RawFinding, b: RawFinding): number {
  const empty = Number(a.title === '') - Number(b.title === '');
  return (
    empty ||
    severityRank(b.severity) - severityRank(a.severity) ||
    a.title.length - b.title.length ||
    compareText(a.title, b.title)
  );
}

function support(f: RawFinding): [number, number] {
  const verified = f.evidence.filter((e) => e.evidence.verified).length;
  return [verified, Math.max(0, ...f.evidence.map((e) => evidenceStrength(e.evidence)))];
}

function byRecommendation(a: RawFinding, b: RawFinding): number {
  const [va, sa] = support(a);
  const [vb, sb] = support(b);
  return (
    Number(a.recommendation === '') - Number(b.recommendation === '') ||
    vb - va ||
    sb - sa ||
    severityRank(b.severity) - severityRank(a.severity) ||
    compareText(a.recommendation, b.recommendation)
  );
}

/** Folds a cluster into one finding (id assigned after ranking). */
export function mergeCluster(members: RawFinding[]): MergedFinding {
  const head = [...members].sort(byTitle)[0];
  const advice = [...members].sort(byRecommendation)[0];
  const evidence = dedupeEvidence(members.flatMap((m) => m.evidence.map((e) => e.evidence)));
  const severity = members.reduce<Severity>(
    (max, m) => (severityRank(m.severity) > severityRank(max) ? m.severity : max),
    'low',
  );
  const title = head?.title || '(untitled finding)';
  const lenses = distinctFolded(members.map((m) => m.lens));
  return {
    id: '',
    title,
    severity,
    lenses,
    workers: [...new Set(members.map((m) => m.worker))].sort(compareText),
    agreement: lenses.length,
    evidence,
    verified: evidence.some((e) => e.verified),
    recommendation: advice?.recommendation ?? '',
    mergedFrom: members.length,
    alsoTitled: otherWordings(
      members.map((m) => m.title),
      title,
    ),
  };
}

/** Clusters raw findings (transitively, order-independent) and merges each cluster. */
export function clusterFindings(raw: RawFinding[]): MergedFinding[] {
  return clusterBy(raw, sameIssue).map(mergeCluster);
}
