import { clusterFindings, toRawFinding, type RawFinding } from './cluster.js';
import { EvidenceChecker } from './evidence.js';
import { parseReport } from './parse.js';
import {
  reviewerReportSchema,
  severityRank,
  type MergedFinding,
  type RejectedReport,
  type ReviewerInput,
  type ReviewMerge,
} from './review-schema.js';
import { collapse, compareText } from './text.js';

export {
  SEVERITIES,
  evidenceSchema,
  findingSchema,
  reviewerReportSchema,
  severityRank,
  type Evidence,
  type Finding,
  type MergedFinding,
  type RejectedReport,
  type ReviewerInput,
  type ReviewerReport,
  type ReviewMerge,
  type Severity,
  type VerifiedEvidence,
} from './review-schema.js';
export { verifyEvidence, EvidenceChecker } from './evidence.js';
export { renderReviewMarkdown, type ReviewMeta } from './render-review.js';

/** Options for mergeReviews. */
export interface MergeReviewsOptions {
  /** The directory evidence paths are relative to; nothing outside it is read. */
  root: string;
}

const verifiedCount = (f: MergedFinding): number => f.evidence.filter((e) => e.verified).length;

/**
 * Rank order: verified before unverified (always), then severity, then how many lenses agree,
 * then verified evidence, then text so equal findings never swap places between runs.
 */
export function compareFindings(a: MergedFinding, b: MergedFinding): number {
  return (
    Number(b.verified) - Number(a.verified) ||
    severityRank(b.severity) - severityRank(a.severity) ||
    b.agreement - a.agreement ||
    verifiedCount(b) - verifiedCount(a) ||
    compareText(a.title, b.title) ||
    compareText(a.recommendation, b.recommendation) ||
    b.mergedFrom - a.mergedFrom ||
    compareText(JSON.stringify(a.evidence), JSON.stringify(b.evidence))
  );
}

/**
 * The deterministic curated merge of a review fan-out: validate each report, check every piece
 * of evidence against the files, cluster duplicates across workers and rank the result. The
 * output does not depend on the order of `inputs`.
 */
export function mergeReviews(inputs: ReviewerInput[], opts: MergeReviewsOptions): ReviewMerge {
  const checker = new EvidenceChecker(opts.root);
  const raw: RawFinding[] = [];
  const rejected: RejectedReport[] = [];
  for (const input of inputs) {
    const worker = collapse(input.worker);
    const parsed = parseReport(reviewerReportSchema, input.report);
    if (!parsed.ok) {
      rejected.push({ worker, reason: parsed.reason });
      continue;
    }
    const lens = collapse(input.lens) || worker;
    for (const finding of parsed.data.findings) {
      raw.push(
        toRawFinding(
          worker,
          lens,
          finding,
          finding.evidence.map((e) => checker.check(e)),
        ),
      );
    }
  }
  const findings = clusterFindings(raw)
    .sort(compareFindings)
    .map((f, i) => ({ ...f, id: `F${i + 1}` }));
  return {
    findings,
    rejected: rejected.sort((a, b) => compareText(a.worker, b.worker) || compareText(a.reason, b.reason)),
    stats: {
      raw: raw.length,
      merged: findings.length,
      unverified: findings.filter((f) => !f.verified).length,
    },
  };
}
