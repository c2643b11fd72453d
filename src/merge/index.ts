// The curated merge: deterministic (no LLM) clustering, ranking and evidence checking of
// structured worker reports. Pattern runs import from here (or findings.ts / research.ts).
export * from './findings.js';
export * from './research.js';
export { compareEvidence, evidenceStrength, type CheckedEvidence } from './evidence.js';
export { normalizeCitedPath, FileCache, MAX_FILE_BYTES } from './files.js';
export { NEARBY_LINES } from './cluster.js';
export { SIMILAR_TITLES, contentTokens, jaccard, similarText } from './text.js';
