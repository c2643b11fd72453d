import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { startDryRun } from '../../src/index.js';
import { resolveCodexBinary } from '../../src/backends/codex/binary.js';
import { installSkill } from '../../src/skill/install.js';
import { baton } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const root = tempDir('baton-skill-');
const SHIPPED = readFileSync(path.resolve(import.meta.dirname, '../../assets/skill/SKILL.md'), 'utf8');
let n = 0;
const fresh = (name: string) => {
  const dir = path.join(root, `${name}-${++n}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

const changeSchema = z.object({
  for: z.enum(['codex', 'claude']),
  what: z.literal('skill'),
  file: z.string(),
  action: z.enum(['added', 'updated', 'unchanged']),
});

describe('the shipped SKILL.md', () => {
  it('has the front matter agents index skills by', () => {
    const m = /^---\n([\s\S]*?)\n---\n/.exec(SHIPPED);
    const front = z.object({ name: z.string(), description: z.string() }).parse(parseYaml(m?.[1] ?? ''));
    expect(front.name).toBe('baton');
    expect(front.description.length).toBeGreaterThan(100);
    expect(front.description.length).toBeLessThan(1024);
  });

  it("teaches the method through baton's tools", () => {
    for (const needle of [
      'spawn_worker',
      'wait_workers',
      'get_result',
      'exec_command',
      'context_file',
      'Many readers, one writer',
      'Wait without blocking',
      'Read only final messages',
      'Curate before you answer',
      'baton spawn',
    ]) {
      expect(SHIPPED, needle).toContain(needle);
    }
    expect(baton(['skill', 'show']).stdout).toBe(SHIPPED);
  });
});

const skillFor = (
  agent: 'codex' | 'claude',
  env: NodeJS.ProcessEnv,
  extra: { dir?: string; force?: boolean } = {},
) => installSkill({ agent, env, ...extra });

describe('baton skill install', () => {
  it('writes $CODEX_HOME/skills/baton/SKILL.md once; reruns change nothing', () => {
    const codexHome = fresh('codex');
    const file = path.join(codexHome, 'skills', 'baton', 'SKILL.md');
    expect(skillFor('codex', { CODEX_HOME: codexHome })).toMatchObject({ file, action: 'added' });
    expect(readFileSync(file, 'utf8')).toBe(SHIPPED);
    expect(skillFor('codex', { CODEX_HOME: codexHome }).action).toBe('unchanged');
  });

  it('defaults to ~/.codex and ~/.claude, honours CLAUDE_CONFIG_DIR and --dir', () => {
    const home = fresh('home');
    const env = { HOME: home };
    expect(skillFor('codex', env).file).toBe(path.join(home, '.codex/skills/baton/SKILL.md'));
    expect(skillFor('claude', env).file).toBe(path.join(home, '.claude/skills/baton/SKILL.md'));
    const configDir = fresh('claude-config');
    const viaVar = skillFor('claude', { ...env, CLAUDE_CONFIG_DIR: configDir });
    expect(viaVar.file).toBe(path.join(configDir, 'skills/baton/SKILL.md'));
    const project = fresh('project');
    const viaDir = skillFor('claude', env, { dir: path.join(project, '.claude/skills') });
    expect(viaDir.file).toBe(path.join(project, '.claude/skills/baton/SKILL.md'));
  });

  it('refreshes its own older copy but never replaces a SKILL.md it did not write (unless forced)', () => {
    const env = { CODEX_HOME: fresh('codex-own') };
    const file = skillFor('codex', env).file;
    writeFileSync(file, SHIPPED.replace('# Orchestrating with baton', '# An older baton skill'));
    expect(skillFor('codex', env).action).toBe('updated');
    expect(readFileSync(file, 'utf8')).toBe(SHIPPED);
    const mine = '---\nname: baton\ndescription: my own notes\n---\nhands off\n';
    writeFileSync(file, mine);
    expect(() => skillFor('codex', env)).toThrow(/was not written by baton.*--force/);
    expect(readFileSync(file, 'utf8')).toBe(mine);
    expect(skillFor('codex', env, { force: true }).action).toBe('updated');
  });

  it('from the CLI: shows what changed (or --json), exits 2 when it refuses', () => {
    const codexHome = fresh('codex-cli');
    const file = path.join(codexHome, 'skills', 'baton', 'SKILL.md');
    const first = baton(['skill', 'install', '--for', 'codex', '--json'], { env: { CODEX_HOME: codexHome } });
    expect(changeSchema.parse(JSON.parse(first.stdout))).toEqual({
      for: 'codex',
      what: 'skill',
      file,
      action: 'added',
    });
    const human = baton(['skill', 'install', '--for', 'codex'], { env: { CODEX_HOME: codexHome } });
    expect(human.stdout).toBe(`codex: unchanged ${file}\n`);
    writeFileSync(file, 'not ours\n');
    const refused = baton(['skill', 'install', '--for', 'codex'], { env: { CODEX_HOME: codexHome } });
    expect(refused.code).toBe(2);
    expect(baton(['skill', 'install', '--for', 'emacs']).code).toBe(2);
  });
});

const dry = await startDryRun(fresh('state'));
afterAll(() => dry.close());

describe('codex really loads the installed skill', () => {
  it('lists baton among its skills in the request to the model', async () => {
    const codexHome = fresh('codex-live');
    writeFileSync(
      path.join(codexHome, 'config.toml'),
      readFileSync(path.join(dry.env['CODEX_HOME'] ?? '', 'config.toml'), 'utf8'),
    );
    expect(skillFor('codex', { CODEX_HOME: codexHome }).action).toBe('added');
    const work = fresh('work');
    const child = spawn(
      resolveCodexBinary(work),
      ['exec', '--json', '--skip-git-repo-check', '-C', work, 'SCENARIO=say TEXT=skill-run'],
      {
        env: { ...process.env, ...dry.env, CODEX_HOME: codexHome },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    const request = dry.server.requests.find((r) => r.lastUserText.includes('TEXT=skill-run'));
    expect(JSON.stringify(request?.body)).toMatch(
      /- baton: Run parallel coding-agent workers through baton's MCP tools/,
    );
  });
});
