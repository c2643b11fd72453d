import type { Role } from './roles.js';
import type { ContextPack } from './context-pack.js';
import { fillTemplate, loadTemplate } from './templates.js';

/** Everything that shapes a worker's prompt besides the task itself. */
export interface PromptParts {
  role: Role;
  task: string;
  sandbox: string | null;
  /** Write scope (absolute paths); [] for readers. */
  writes: readonly string[];
  /** Reviewer lens, e.g. "security". */
  lens?: string | undefined;
  /** Verifier success check (else the context pack's, else the task's goal). */
  success?: string | undefined;
  context?: ContextPack | undefined;
  /** True when the role answers through its JSON schema. */
  structured: boolean;
  /** `<state dir>/templates`, where a project overrides shipped templates. */
  templatesDir: string | null;
}

function scopeLine(parts: PromptParts): string {
  if (parts.writes.length > 0) return `may edit only: ${parts.writes.join(', ')}`;
  if (parts.role.reader || parts.sandbox === 'read-only' || parts.sandbox === null) return 'read-only';
  return 'may edit files in the working directory';
}

/**
 * The prompt a worker receives: the worker preamble, the role's template (scope, lens, success
 * check, output shape), the context pack if any, then the task verbatim. Never passed through a
 * shell: it travels as one argv entry.
 */
export function assemblePrompt(parts: PromptParts): string {
  const preamble = loadTemplate('preamble', parts.templatesDir).text;
  const output = parts.structured && parts.role.structured ? parts.role.structured.output : parts.role.output;
  const role = fillTemplate(loadTemplate(parts.role.name, parts.templatesDir).text, {
    scope: scopeLine(parts),
    lens: parts.lens ?? 'overall quality: correctness, risks, clarity',
    success: parts.success ?? parts.context?.successCheck ?? 'the goal stated in the task is met',
    output,
  });
  const sections = [preamble, role];
  if (parts.context && parts.context.markdown) sections.push(`CONTEXT PACK:\n${parts.context.markdown}`);
  sections.push(`TASK:\n${parts.task}`);
  return sections.join('\n\n');
}

/** The seed's preamble as shipped (for callers that build prompts by hand). */
export function workerPreamble(templatesDir: string | null = null): string {
  return loadTemplate('preamble', templatesDir).text;
}
