import { badInput } from '../errors.js';
import type { Sandbox } from '../backends/types.js';

/** A worker role from the seed's templates; readers never write (many readers, one writer). */
export interface Role {
  name: string;
  reader: boolean;
  /** The sandbox the role gets unless `--sandbox` says otherwise. */
  sandbox: Sandbox;
  /** The OUTPUT section when the agent answers in prose. */
  output: string;
  /** When the role expects structure: its schema file (in assets/schemas) and the OUTPUT section. */
  structured: { schema: string; output: string } | null;
}

const ROLES: readonly Role[] = [
  {
    name: 'worker',
    reader: true,
    sandbox: 'read-only',
    output: '- What you did or found\n- Evidence (paths, commands, output)',
    structured: null,
  },
  {
    name: 'scout',
    reader: true,
    sandbox: 'read-only',
    output: '- Condensed context: key files, facts, current state (brief)\n- Open questions, if any',
    structured: null,
  },
  {
    name: 'reviewer',
    reader: true,
    sandbox: 'read-only',
    output:
      '- Top findings (ranked, brief)\n- Evidence (where you saw it)\n- Recommended fixes (concise, actionable)\n- Optional: quick rewrite or outline snippet',
    structured: {
      schema: 'reviewer.json',
      output:
        'Reply with JSON only, matching the response schema: {"summary": string, "findings": [{"title", ' +
        '"severity": "critical"|"high"|"medium"|"low", "evidence": [{"path", "line": int|null, "quote": string|null}], ' +
        '"recommendation"}]}, findings ranked by impact.',
    },
  },
  {
    name: 'research',
    reader: true,
    sandbox: 'read-only',
    output:
      '- 5 to 10 bullet synthesis\n- Key sources (with short notes on why they matter)\n- Uncertainty or disagreements between sources',
    structured: null,
  },
  {
    name: 'verifier',
    reader: true,
    sandbox: 'read-only',
    output: '- Pass/fail summary\n- Issues with repro steps or concrete examples\n- Suggested fixes (brief)',
    structured: {
      schema: 'verifier.json',
      output:
        'Reply with JSON only, matching the response schema: {"verdict": "pass"|"fail", "summary": string, ' +
        '"issues": [{"title", "repro", "fix"}]}.',
    },
  },
  {
    name: 'implementer',
    reader: false,
    sandbox: 'workspace-write',
    output:
      '- What you changed or produced\n- Where it lives (paths, filenames)\n- How to reproduce (commands, steps) if relevant\n- Risks or follow-ups (brief)',
    structured: null,
  },
];

/** Names accepted by `--role`. */
export const ROLE_NAMES: readonly string[] = ROLES.map((r) => r.name);

/** Looks a role up; unknown roles are bad input naming the known ones. */
export function getRole(name: string): Role {
  const role = ROLES.find((r) => r.name === name);
  if (!role) throw badInput(`unknown role "${name}"; use one of: ${ROLE_NAMES.join(', ')}`);
  return role;
}
