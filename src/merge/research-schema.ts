import { z } from 'zod';
import type { RejectedReport } from './review-schema.js';

/** How sure a researcher is of a claim, most sure first. */
export const CONFIDENCES = ['high', 'medium', 'low'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

/** Higher is surer: high 2, medium 1, low 0. */
export function confidenceRank(c: Confidence): number {
  return CONFIDENCES.length - 1 - CONFIDENCES.indexOf(c);
}

/** Where a claim comes from: a URL or a path, and why it matters (null when nothing to add). */
export const sourceSchema = z.strictObject({ ref: z.string(), note: z.string().nullable() });
export type Source = z.infer<typeof sourceSchema>;

/** One claim with its confidence and sources. */
export const claimSchema = z.strictObject({
  claim: z.string(),
  confidence: z.enum(CONFIDENCES),
  sources: z.array(sourceSchema),
});
export type Claim = z.infer<typeof claimSchema>;

/**
 * A researcher's reply; mirrors assets/schemas/research.json, which is codex-strict (every
 * property required, no extra properties, nullable as ["string","null"]).
 */
export const researchReportSchema = z.strictObject({
  summary: z.string(),
  claims: z.array(claimSchema),
  disagreements: z.array(z.string()),
  open_questions: z.array(z.string()),
});
export type ResearchReport = z.infer<typeof researchReportSchema>;

/** What a pattern run hands the merge for each researcher. */
export interface ResearchInput {
  worker: string;
  angle: string;
  /** The worker's final message parsed as JSON (a JSON string is parsed here); validated here. */
  report: unknown;
}

/** A source after merging: every worker that cited it, and their notes. */
export interface MergedSource {
  ref: string;
  note: string | null;
  workers: string[];
}

/** How one worker rated a merged claim. */
export interface ClaimVote {
  worker: string;
  angle: string;
  confidence: Confidence;
  /** The worker stated the claim negated ("X does not …") relative to the merged wording. */
  negated: boolean;
}

/** One claim after clustering the duplicates every researcher made. */
export interface MergedClaim {
  /** C1, C2, … in rank order. */
  id: string;
  claim: string;
  /** The most common rating; a tie takes the lower one. */
  confidence: Confidence;
  votes: ClaimVote[];
  workers: string[];
  angles: string[];
  /** How many distinct workers made the claim. */
  agreement: number;
  sources: MergedSource[];
  /** Workers disagree: confidence high vs low, stated both ways, or named in a disagreement. */
  disputed: boolean;
  disputes: string[];
  mergedFrom: number;
  /** Other wordings of the claim, so a "not" in one of them stays visible. */
  alsoStated: string[];
}

/** A disagreement or open question, deduplicated across workers. */
export interface ResearchNote {
  text: string;
  workers: string[];
  /** Ids of the claims it names (most of a claim's content words appear in it). */
  about: string[];
}

/** The curated result of a research fan-out, ready to render or print as --json. */
export interface ResearchMerge {
  claims: MergedClaim[];
  disagreements: ResearchNote[];
  openQuestions: ResearchNote[];
  summaries: { worker: string; angle: string; summary: string }[];
  rejected: RejectedReport[];
  stats: { raw: number; merged: number; disputed: number };
}
