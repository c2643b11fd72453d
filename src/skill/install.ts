import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BatonError } from '../index.js';
import {
  claudeConfigDir,
  codexHome,
  readIfExists,
  writeAtomic,
  type InstallChange,
} from '../mcp/install/files.js';
import { PACKAGE_ROOT } from '../mcp/package-root.js';

/** The shipped skill: assets/skill/SKILL.md (name/description front matter, then the method). */
export const SKILL_SOURCE = path.join(PACKAGE_ROOT, 'assets', 'skill', 'SKILL.md');

/** Present in every SKILL.md baton writes: a file without it is someone else's and is never replaced. */
const OWNER_MARK = 'Installed by `baton skill install`';

export type SkillAgent = 'codex' | 'claude';

export function skillText(): string {
  return readFileSync(SKILL_SOURCE, 'utf8');
}

/**
 * Where the skill goes: `<skills dir>/baton/SKILL.md`. The skills dir is `--dir`, else
 * `$CODEX_HOME/skills` for codex or `$CLAUDE_CONFIG_DIR/skills` (default ~/.claude/skills) for Claude Code.
 */
export function skillFile(agent: SkillAgent, env: NodeJS.ProcessEnv, dir?: string): string {
  const skills = dir
    ? path.resolve(dir)
    : path.join(agent === 'codex' ? codexHome(env) : claudeConfigDir(env), 'skills');
  return path.join(skills, 'baton', 'SKILL.md');
}

/** Writes (or refreshes) baton's SKILL.md; a same-named skill that baton did not write is left alone. */
export function installSkill(opts: {
  agent: SkillAgent;
  env: NodeJS.ProcessEnv;
  dir?: string;
  force?: boolean;
}): InstallChange {
  const file = skillFile(opts.agent, opts.env, opts.dir);
  const text = skillText();
  const existing = readIfExists(file);
  const change = { for: opts.agent, what: 'skill', file, written: file } as const;
  if (existing === text) return { ...change, action: 'unchanged' };
  if (existing !== null && !existing.includes(OWNER_MARK) && !opts.force) {
    throw new BatonError(
      'CONFLICT',
      `${file} exists and was not written by baton; move it away, or rerun with --force to replace it`,
    );
  }
  writeAtomic(file, text);
  return { ...change, action: existing === null ? 'added' : 'updated' };
}
