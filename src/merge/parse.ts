import type { z } from 'zod';

/** A worker report after schema validation: the data, or why it was refused. */
export type Parsed<T> = { ok: true; data: T } | { ok: false; reason: string };

/** Strips a ```json fence: models add one even when told to reply with JSON only. */
function unfence(text: string): string {
  const fenced = /^\s*```[\w-]*\s*\n([\s\S]*?)\n?\s*```\s*$/u.exec(text);
  return fenced?.[1] ?? text;
}

function describeIssues(error: z.ZodError): string {
  const issues = error.issues.map((issue) => {
    const where = issue.path.length === 0 ? '(top level)' : issue.path.map(String).join('.');
    return `${where}: ${issue.message}`;
  });
  const shown = issues.slice(0, 3).join('; ');
  return issues.length > 3 ? `${shown}; and ${issues.length - 3} more` : shown;
}

/**
 * Validates a report against its schema. Accepts the parsed JSON or the raw final message (a
 * JSON string, optionally fenced); the reason names what is wrong, for the "rejected" list.
 */
export function parseReport<T>(schema: z.ZodType<T>, report: unknown): Parsed<T> {
  let value = report;
  if (report === undefined || report === null) return { ok: false, reason: 'no final message' };
  if (typeof report === 'string') {
    if (report.trim() === '') return { ok: false, reason: 'final message is empty' };
    try {
      value = JSON.parse(unfence(report));
    } catch {
      const head = report.trim().replace(/\s+/gu, ' ').slice(0, 80);
      return { ok: false, reason: `final message is not JSON: "${head}"` };
    }
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, reason: `does not match the schema: ${describeIssues(parsed.error)}` };
}
