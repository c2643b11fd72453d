import { chmodSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** What an install did to one file; `unchanged` means it was already right and nothing was written. */
export type InstallAction = 'added' | 'updated' | 'unchanged';

/** One install step, as printed by the CLI (`--json` prints this object). */
export interface InstallChange {
  /** The agent this is for: codex or claude. */
  for: string;
  /** What was installed: the MCP server entry or the skill. */
  what: 'mcp-server' | 'skill';
  file: string;
  action: InstallAction;
  /** The text written (the TOML table, JSON entry or skill path), for showing the user. */
  written: string;
}

/** The user's home as the environment says (tests point HOME at a temp dir). */
export function homeDir(env: NodeJS.ProcessEnv): string {
  return env['HOME'] || os.homedir();
}

/** `$CODEX_HOME`, else `~/.codex`: where codex keeps config.toml and skills. */
export function codexHome(env: NodeJS.ProcessEnv): string {
  return path.resolve(env['CODEX_HOME'] || path.join(homeDir(env), '.codex'));
}

/** `$CLAUDE_CONFIG_DIR`, else `~/.claude`: where Claude Code keeps skills (and, with the variable set, .claude.json). */
export function claudeConfigDir(env: NodeJS.ProcessEnv): string {
  return path.resolve(env['CLAUDE_CONFIG_DIR'] || path.join(homeDir(env), '.claude'));
}

export function readIfExists(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
    throw error;
  }
}

/**
 * Writes a file whole or not at all (temp file + rename), keeping the old file's permissions:
 * a config that holds secrets (~/.claude.json is 0600) stays private.
 */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.baton-${process.pid}.tmp`;
  writeFileSync(temp, text, { mode: 0o644 });
  try {
    chmodSync(temp, statSync(file).mode & 0o7777);
  } catch {
    // a new file keeps the default mode
  }
  renameSync(temp, file);
}

/** Lines telling a person what an install did: the verdict and file, then what is there now. */
export function describeChange(change: InstallChange): string[] {
  const head = `${change.for}: ${change.action} ${change.file}`;
  if (change.action === 'unchanged' || change.written === change.file) return [head];
  return [head, ...change.written.split('\n').map((l) => `  ${l}`)];
}
