import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI entry (npm test builds before running vitest). */
export const BATON_BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/baton.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `baton ARGS…` as a real process and waits for it. */
export function baton(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): CliResult {
  const r = spawnSync(process.execPath, [BATON_BIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `baton ARGS…` without waiting (e.g. to SIGKILL it midway). */
export function batonAsync(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  return spawn(process.execPath, [BATON_BIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
