import type { Scenario, Step, StepContext } from './scenarios.js';
import { outputSection, summarizeTask } from './transcript.js';

/** The value of a `KEY: value` line in the prompt (the role templates write such lines). */
function field(task: string, key: string): string | null {
  const m = new RegExp(`^${key}:[ \\t]*(.+)$`, 'm').exec(task);
  return m?.[1]?.trim() ?? null;
}

function shellWord(word: string): string {
  return /^[A-Za-z0-9._@%+=:,/-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

const SEVERITY: Record<string, string> = { FIXME: 'high', XXX: 'high', HACK: 'medium', TODO: 'medium' };

/** A scripted reviewer: greps the PATHS for TODO/FIXME-style markers and reports them with evidence. */
function reviewer(ctx: StepContext): Step {
  const paths = (field(ctx.task, 'PATHS') ?? '.').split(/[,\s]+/).filter(Boolean);
  if (ctx.step === 0) {
    const targets = paths.map(shellWord).join(' ');
    return { exec: `grep -rnE 'TODO|FIXME|XXX|HACK' -- ${targets} 2>/dev/null | head -20` };
  }
  const lens = field(ctx.task, 'LENS') ?? 'general';
  const findings = outputSection(ctx.lastToolOutput)
    .split('\n')
    .map((line) => /^(.+?):(\d+):(.*)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => {
      const quote = (m[3] ?? '').trim();
      const marker = /TODO|FIXME|XXX|HACK/.exec(quote)?.[0] ?? 'TODO';
      return {
        title: `${marker} left in ${m[1]}: ${quote.replace(/^.*?(TODO|FIXME|XXX|HACK)[:\s]*/, '').slice(0, 80) || marker}`,
        severity: SEVERITY[marker] ?? 'low',
        evidence: [{ path: m[1] ?? '', line: Number(m[2]), quote }],
        recommendation: `Resolve the ${marker} (seen through the ${lens} lens).`,
      };
    });
  const summary = `[dry-run] ${lens} review of ${paths.join(', ')}: ${findings.length} marker(s) found`;
  return { say: JSON.stringify({ summary, findings }) };
}

const verifier: Scenario = [
  {
    say: JSON.stringify({ verdict: 'pass', summary: '[dry-run] scripted verifier: checks pass', issues: [] }),
  },
];

function research(ctx: StepContext): Step {
  const question = field(ctx.task, 'QUESTION') ?? summarizeTask(ctx.task);
  const angle = field(ctx.task, 'ANGLE') ?? 'general';
  return {
    say: JSON.stringify({
      summary: `[dry-run] ${angle}: a scripted answer to "${question}"`,
      claims: [
        {
          claim: `[dry-run] From the angle "${angle}", the question needs real sources.`,
          confidence: 'low',
          sources: [{ ref: 'dry-run://scripted-model', note: 'scripted offline answer, not research' }],
        },
      ],
      disagreements: [],
      open_questions: [`Run without --dry-run to research "${question}" for real.`],
    }),
  };
}

function scout(ctx: StepContext): Step {
  if (ctx.step === 0) return { exec: 'ls -1 | head -30' };
  const files = outputSection(ctx.lastToolOutput).split('\n').filter(Boolean);
  return { say: `[dry-run] scout: ${files.length} entries here: ${files.slice(0, 10).join(', ')}` };
}

/**
 * The dry-run model's answer when the prompt names no scenario: it plays the worker's role from
 * baton's templates (reviewers grep for real markers and cite them, verifiers pass, researchers
 * return a schema-valid brief, judges pick option 1), and never edits files.
 */
export const roleScenario: Scenario = (ctx) => {
  const kind = field(ctx.task, 'TASK KIND') ?? '';
  if (ctx.task.includes('CHOOSE ONE OF THESE')) {
    return { say: JSON.stringify({ choice: 1, why: '[dry-run] the scripted judge always picks option 1' }) };
  }
  if (kind.startsWith('Review')) return reviewer(ctx);
  if (kind.startsWith('Verify')) return verifier[0] ?? { say: '' };
  if (kind.startsWith('Research')) return research(ctx);
  if (kind.startsWith('Scout')) return scout(ctx);
  if (kind.startsWith('Implement')) {
    const scope = field(ctx.task, 'SCOPE') ?? 'the working directory';
    return { say: `[dry-run] implementer (scope: ${scope}): no files were edited in a dry run.` };
  }
  return { say: `[dry-run] ${summarizeTask(ctx.task)}` };
};
