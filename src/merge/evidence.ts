import { FileCache, normalizeCitedPath, type LoadedFile, type TextFile } from './files.js';
import { findQuote, type LineRange } from './quote.js';
import type { Evidence, VerifiedEvidence } from './review-schema.js';
import { collapse, compareText } from './text.js';

/** Checked evidence plus where it points (quote match, else cited line), for clustering. */
export interface CheckedEvidence {
  evidence: VerifiedEvidence;
  at: LineRange | null;
}

/** Models often write "src/a.ts:12" or "src/a.ts#L12" as the path; used only if the path is missing. */
const LINE_SUFFIX = /^(.+?)(?::(\d+)(?::\d+)?|#L(\d+)(?:-L?\d+)?)$/u;

/** What checking found: the outcome, its caveat, where it points and where a quote matched. */
interface Verdict {
  verified: boolean;
  note: string | null;
  at: LineRange | null;
  foundLine: number | null;
}

function joinNotes(...notes: (string | null)[]): string | null {
  const kept = notes.filter((n): n is string => n !== null && n !== '');
  return kept.length === 0 ? null : kept.join('; ');
}

function lineProblem(line: number | null, file: TextFile): string | null {
  if (line === null) return null;
  if (line < 1) return `line ${line} is not a line number`;
  if (line > file.lineCount) return `line ${line} past end (${file.lineCount} lines)`;
  return null;
}

/** The verdict on a readable text file: the quote decides when there is one, else the line. */
function checkText(file: TextFile, line: number | null, quote: string | null): Verdict {
  const problem = lineProblem(line, file);
  const cited = line !== null && problem === null ? { start: line, end: line } : null;
  if (quote === null) return { verified: problem === null, note: problem, at: cited, foundLine: null };
  const found = findQuote(file, quote, cited?.start ?? null);
  if (found === null) {
    return {
      verified: false,
      note: joinNotes(problem, 'quote not found in file'),
      at: cited,
      foundLine: null,
    };
  }
  const covers = cited !== null && found.start <= cited.start && cited.start <= found.end;
  let where: string | null = null;
  if (cited !== null && !covers) where = `quote found at line ${found.start} (cited ${cited.start})`;
  else if (problem !== null) where = `quote found at line ${found.start}`;
  return { verified: true, note: joinNotes(problem, where), at: found, foundLine: found.start };
}

/** The verdict when the file cannot be read as text: only a bare path can still check out. */
function checkUnreadable(
  file: Extract<LoadedFile, { kind: 'unreadable' }>,
  line: number | null,
  quote: string | null,
): Verdict {
  const bare = line === null && quote === null;
  const at = line !== null && line >= 1 ? { start: line, end: line } : null;
  const note = bare || !file.exists ? file.note : `${file.note}; line and quote not checked`;
  return { verified: file.exists && bare, note, at, foundLine: null };
}

/**
 * Checks evidence against the files under one root, reading each file once and each distinct
 * citation once. Paths are normalised; anything outside the root is refused, never read.
 */
export class EvidenceChecker {
  readonly files: FileCache;
  private readonly results = new Map<string, CheckedEvidence>();

  constructor(root: string) {
    this.files = new FileCache(root);
  }

  check(e: Evidence): CheckedEvidence {
    const quote = e.quote === null || collapse(e.quote) === '' ? null : collapse(e.quote);
    const key = JSON.stringify([e.path, e.line, quote]);
    let result = this.results.get(key);
    if (!result) {
      result = this.compute(e.path, e.line, quote);
      this.results.set(key, result);
    }
    return result;
  }

  private compute(rawPath: string, rawLine: number | null, quote: string | null): CheckedEvidence {
    const cited = normalizeCitedPath(rawPath, this.files.roots());
    const make = (path: string, line: number | null, verdict: Verdict) => ({
      evidence: {
        path,
        line,
        quote,
        verified: verdict.verified,
        note: verdict.note,
        foundLine: verdict.foundLine,
      },
      at: verdict.at,
    });
    if (!cited.ok) {
      const at = rawLine !== null && rawLine >= 1 ? { start: rawLine, end: rawLine } : null;
      return make(cited.rel, rawLine, { verified: false, note: cited.note, at, foundLine: null });
    }
    let path = cited.rel;
    let line = rawLine;
    let file = this.files.load(path);
    const suffix = LINE_SUFFIX.exec(path);
    if (file.kind === 'unreadable' && !file.exists && suffix?.[1] !== undefined) {
      const stripped = this.files.load(suffix[1]);
      if (stripped.kind === 'text' || stripped.exists) {
        [path, file, line] = [suffix[1], stripped, line ?? Number(suffix[2] ?? suffix[3])];
      }
    }
    return make(
      path,
      line,
      file.kind === 'text' ? checkText(file, line, quote) : checkUnreadable(file, line, quote),
    );
  }
}

/** Checks one evidence item against the files under `root` (see EvidenceChecker for the rules). */
export function verifyEvidence(e: Evidence, root: string): VerifiedEvidence {
  return new EvidenceChecker(root).check(e).evidence;
}

/** How much an evidence item proves: verified, then a matched quote, a valid line, no caveat. */
export function evidenceStrength(e: VerifiedEvidence): number {
  const validLine = e.line !== null && e.line >= 1;
  return (e.verified ? 8 : 0) + (e.quote !== null ? 4 : 0) + (validLine ? 2 : 0) + (e.note === null ? 1 : 0);
}

/** Strongest first; path, line and quote break ties so the order never depends on input order. */
export function compareEvidence(a: VerifiedEvidence, b: VerifiedEvidence): number {
  return (
    evidenceStrength(b) - evidenceStrength(a) ||
    compareText(a.path, b.path) ||
    (a.line ?? 0) - (b.line ?? 0) ||
    compareText(a.quote ?? '', b.quote ?? '')
  );
}
