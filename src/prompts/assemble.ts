import type { Role } from './roles.js';

/** The seed's worker preamble: every worker prompt starts with it. */
export const WORKER_PREAMBLE = [
  'CONTEXT: WORKER',
  'ROLE: You are a sub-agent run by the ORCHESTRATOR. Do only the assigned task.',
  'RULES: No extra scope, no other workers.',
  'Your final output will be provided back to the ORCHESTRATOR.',
].join('\n');

/**
 * Builds the prompt an agent worker receives: preamble, role duty, scope, then the task verbatim
 * (it is never re-quoted or passed through a shell).
 */
export function assemblePrompt(role: Role, task: string, sandbox: string | null): string {
  const scope =
    role.reader || sandbox === 'read-only' ? 'read-only' : 'may edit files in the working directory';
  return `${WORKER_PREAMBLE}\nWORKER ROLE: ${role.name} — ${role.duty}\nSCOPE: ${scope}\nTASK: ${task}`;
}
