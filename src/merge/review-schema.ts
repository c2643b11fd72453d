import { z } from 'zod';

/** Reviewer severities, most severe first; the schema rejects synonyms such as "major". */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One place a reviewer saw the problem; mirrors an evidence item in assets/schemas/reviewer.json. */
export const evidenceSchema = z.strictObject({
  path: z.string(),
  // JSON Schema's "integer" (as ajv checks it) has no safe-integer cap, so neither does this.
  line: z.number().refine(Number.isInteger, 'expected an integer').nullable(),
  quote: z.string().nullable(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

/** One reviewer finding, exactly as assets/schemas/reviewer.json allows it. */
export const findingSchema = z.strictObject({
  title: z.string(),
  severity: z.enum(SEVERITIES),
  evidence: z.array(evidenceSchema),
  recommendation: z.string(),
});
export type Finding = z.infer<typeof findingSchema>;

/** A reviewer's whole reply; the engine checks it with ajv, the merge checks it again with zod. */
export const reviewerReportSchema = z.strictObject({
  summary: z.string(),
  findings: z.array(findingSchema),
});
export type ReviewerReport = z.infer<typeof reviewerReportSchema>;

/** What a pattern run hands the merge for each reviewer: who, through which lens, and its reply. */
export interface ReviewerInput {
  worker: string;
  lens: string;
  /** The worker's final message parsed as JSON (a JSON string is parsed here); validated here. */
  report: unknown;
}

/** Evidence after checking it against the files under the run's root. */
export interface VerifiedEvidence extends Evidence {
  verified: boolean;
  /** Why it failed or what was odd, e.g. "line 999 past end (120 lines)"; null when clean. */
  note: string | null;
  /** Where the quote was actually found (first line of the match); null when no quote matched. */
  foundLine: number | null;
}

/** One issue after clustering the duplicates every reviewer reported. */
export interface MergedFinding {
  /** F1, F2, … in rank order. */
  id: string;
  title: string;
  severity: Severity;
  lenses: string[];
  workers: string[];
  /** How many distinct lenses reported it. */
  agreement: number;
  /** Strongest first, deduplicated. */
  evidence: VerifiedEvidence[];
  /** At least one evidence item checked out. */
  verified: boolean;
  recommendation: string;
  /** How many raw findings were merged into this one. */
  mergedFrom: number;
  /** Other titles the merged findings used, so nothing a reviewer said is silently dropped. */
  alsoTitled: string[];
}

/** A report that failed the schema, named so the reader knows what is missing. */
export interface RejectedReport {
  worker: string;
  reason: string;
}

/** The curated result of a review fan-out, ready to render or print as --json. */
export interface ReviewMerge {
  findings: MergedFinding[];
  rejected: RejectedReport[];
  stats: { raw: number; merged: number; unverified: number };
}

/** Higher is more severe: critical 3 … low 0. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.length - 1 - SEVERITIES.indexOf(severity);
}
