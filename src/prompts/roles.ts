import { badInput } from '../errors.js';
import type { Sandbox } from '../backends/types.js';

/** A worker role from the seed's templates; readers never write (many readers, one writer). */
export interface Role {
  name: string;
  reader: boolean;
  /** The sandbox the role gets unless `--sandbox` says otherwise. */
  sandbox: Sandbox;
  /** One line of guidance placed in the worker prompt. */
  duty: string;
}

const ROLES: readonly Role[] = [
  { name: 'worker', reader: true, sandbox: 'read-only', duty: 'Do the task below.' },
  { name: 'scout', reader: true, sandbox: 'read-only', duty: 'Gather the minimum context the task needs.' },
  {
    name: 'reviewer',
    reader: true,
    sandbox: 'read-only',
    duty: 'Review and rank findings by impact, citing evidence.',
  },
  {
    name: 'research',
    reader: true,
    sandbox: 'read-only',
    duty: 'Find and summarise reliable information, citing sources.',
  },
  {
    name: 'verifier',
    reader: true,
    sandbox: 'read-only',
    duty: 'Check the deliverable against the success check; say pass or fail.',
  },
  {
    name: 'implementer',
    reader: false,
    sandbox: 'workspace-write',
    duty: 'Make the change, proportionate to the request.',
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
