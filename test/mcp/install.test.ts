import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Engine, startDryRun } from '../../src/index.js';
import { resolveCodexBinary } from '../../src/backends/codex/binary.js';
import { installClaudeServer } from '../../src/mcp/install/claude.js';
import { installCodexServer } from '../../src/mcp/install/codex.js';
import { BATON_BIN, baton } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { connect, serverEnv } from './mcp-client.js';

const root = tempDir('baton-install-');
/** Claude Code, when installed (a devDependency): checks the entry the way the agent reads it. */
const CLAUDE_BIN = path.resolve(import.meta.dirname, '../../node_modules/.bin/claude');
let n = 0;
/** A fresh folder per case, so cases cannot see each other's files. */
const fresh = (name: string) => {
  const dir = path.join(root, `${name}-${++n}`);
  mkdirSync(dir, { recursive: true });
  return dir;
};

const USER_CONFIG = `# my codex settings
model = "o3"   # keep this comment

[profiles.fast]
model = "gpt-5.5"

[mcp_servers.other]
command = "other-server"
args = ["--flag"]

[mcp_servers.other.env]
TOKEN = "abc"

# notes that belong to [tui]
[tui]
notifications = true
`;

const installCodex = (codexHome: string, force = false) =>
  installCodexServer({ env: { CODEX_HOME: codexHome }, force });

const changeSchema = z.object({
  for: z.string(),
  what: z.string(),
  file: z.string(),
  action: z.enum(['added', 'updated', 'unchanged']),
  written: z.string(),
});

describe('baton mcp install --for codex', () => {
  it('appends [mcp_servers.baton] and keeps the rest of config.toml byte for byte; a rerun changes nothing', () => {
    const dir = fresh('codex');
    const file = path.join(dir, 'config.toml');
    writeFileSync(file, USER_CONFIG);
    expect(installCodex(dir)).toMatchObject({ action: 'added', file });
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(`${USER_CONFIG}\n[mcp_servers.baton]\n`)).toBe(true);
    const doc = z.object({ mcp_servers: z.object({ baton: z.unknown() }) }).parse(parseToml(text));
    const server = z
      .object({
        command: z.string(),
        args: z.array(z.string()),
        env_vars: z.array(z.string()),
        default_tools_approval_mode: z.literal('approve'),
        tool_timeout_sec: z.number(),
      })
      .parse(doc.mcp_servers.baton);
    expect(server.command).toBe(process.execPath);
    expect(server.args).toEqual([BATON_BIN, 'mcp']);
    expect(server.env_vars).toEqual(
      expect.arrayContaining(['BATON_HOME', 'CODEX_HOME', 'OPENAI_API_KEY', 'BATON_WORKER']),
    );
    expect(installCodex(dir).action).toBe('unchanged');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it("replaces only baton's own table in the middle of the file, sub-tables included", () => {
    const dir = fresh('codex-mid');
    const file = path.join(dir, 'config.toml');
    const before = '# head\nmodel = "o3"\n\n';
    const after = '\n# about tui\n[tui]\nnotifications = true\n';
    const stale =
      '[mcp_servers.baton]\ncommand = "/old/node"\nargs = ["/old/bin/baton.js", "mcp"]\n\n[mcp_servers.baton.env]\nX = "1"\n';
    writeFileSync(file, before + stale + after);
    expect(installCodex(dir).action).toBe('updated');
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith(`${before}[mcp_servers.baton]\n`)).toBe(true);
    expect(text.endsWith(`tool_timeout_sec = 900\n${after}`)).toBe(true);
    expect(text).not.toContain('/old/');
    expect(text).not.toContain('[mcp_servers.baton.env]');
  });

  it('forwards the env_key of every model provider in the config', () => {
    const dir = fresh('codex-provider');
    writeFileSync(
      path.join(dir, 'config.toml'),
      '[model_providers.corp]\nname = "corp"\nbase_url = "http://x/v1"\nenv_key = "CORP_KEY"\n',
    );
    expect(installCodex(dir).written).toMatch(/^env_vars = \[.*"CORP_KEY"\]$/m);
  });

  it('creates config.toml (and CODEX_HOME) when missing, and keeps CRLF files CRLF', () => {
    const dir = path.join(fresh('codex-new'), 'nested');
    expect(installCodex(dir).action).toBe('added');
    expect(readFileSync(path.join(dir, 'config.toml'), 'utf8')).toMatch(/^\[mcp_servers\.baton\]\n/);
    const crlf = fresh('codex-crlf');
    writeFileSync(path.join(crlf, 'config.toml'), 'model = "o3"\r\n');
    expect(installCodex(crlf).action).toBe('added');
    const text = readFileSync(path.join(crlf, 'config.toml'), 'utf8');
    expect(text.startsWith('model = "o3"\r\n\r\n[mcp_servers.baton]\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(installCodex(crlf).action).toBe('unchanged');
  });

  it('never clobbers: a foreign "baton" server, an inline definition or broken TOML leave the file untouched', () => {
    const cases: [string, RegExp][] = [
      ['[mcp_servers.baton]\ncommand = "something-else"\n', /does not run baton.*--force/],
      ['mcp_servers = { baton = { command = "baton" } }\n', /without a \[mcp_servers\.baton\] header/],
      ['model = "unterminated\n', /not valid TOML/],
    ];
    for (const [content, message] of cases) {
      const dir = fresh('codex-conflict');
      const file = path.join(dir, 'config.toml');
      writeFileSync(file, content);
      expect(() => installCodex(dir), content).toThrow(message);
      expect(readFileSync(file, 'utf8')).toBe(content);
    }
    const dir = fresh('codex-force');
    writeFileSync(path.join(dir, 'config.toml'), cases[0]?.[0] ?? '');
    expect(installCodex(dir, true).action).toBe('updated');
  });
});

describe('the install CLI', () => {
  it('shows what changed (or --json), and exits 2 when it refuses', () => {
    const dir = fresh('codex-cli');
    const r = baton(['mcp', 'install', '--for', 'codex'], { env: { CODEX_HOME: dir } });
    expect(r.stdout).toMatch(/^codex: added .*config\.toml\n {2}\[mcp_servers\.baton\]\n/);
    const again = baton(['mcp', 'install', '--for', 'codex', '--json'], { env: { CODEX_HOME: dir } });
    expect(changeSchema.parse(JSON.parse(again.stdout)).action).toBe('unchanged');
    const project = fresh('project-cli');
    writeFileSync(path.join(project, '.mcp.json'), '{ nope');
    const refused = baton(['mcp', 'install', '--for', 'claude', '--dir', project]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/not valid JSON/);
    expect(baton(['mcp', 'install', '--for', 'vim']).code).toBe(2);
  });
});

const stateHome = fresh('state');
const dry = await startDryRun(stateHome);
afterAll(() => dry.close());

describe('the installed codex config really starts the server', () => {
  it('codex exec forwards BATON_HOME, CODEX_HOME and the provider key to baton, which runs a worker', async () => {
    const codexHome = fresh('codex-live');
    // A user's config with a custom provider; install must forward its env_key to the server.
    const provider = readFileSync(path.join(dry.env['CODEX_HOME'] ?? '', 'config.toml'), 'utf8');
    writeFileSync(path.join(codexHome, 'config.toml'), provider);
    expect(installCodex(codexHome).action).toBe('added');
    // Room for a slow machine: the table is the user's now, so a test may edit it like one.
    const file = path.join(codexHome, 'config.toml');
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('startup_timeout_sec = 30', 'startup_timeout_sec = 60'),
    );
    const run = await codexExec(codexHome, stateHome, 'SCENARIO=orchestrate TEXTS=via-install PREFIX=I');
    expect(run.code, run.stderr.slice(-1500)).toBe(0);
    expect(run.stdout).toContain('FINAL orchestrator\\nI1: via-install');
    const engine = new Engine({ home: stateHome });
    expect(engine.get('I1')).toMatchObject({
      backend: 'codex',
      state: 'succeeded',
      finalMessage: 'via-install',
    });
    engine.close();
  });
});

function codexExec(codexHome: string, batonHome: string, prompt: string) {
  const work = fresh('work');
  const child = spawn(
    resolveCodexBinary(work),
    ['exec', '--json', '--skip-git-repo-check', '-C', work, prompt],
    {
      cwd: work,
      env: { ...serverEnv({}), CODEX_HOME: codexHome, BATON_HOME: batonHome, BATON_DRYRUN_KEY: 'dry-run' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code) => resolve({ code, stdout, stderr })),
  );
}

const claudeEntry = z.object({
  type: z.literal('stdio'),
  command: z.string(),
  args: z.array(z.string()),
  env: z.record(z.string(), z.string()),
});
const claudeConfig = z.looseObject({ mcpServers: z.record(z.string(), z.unknown()) });

const installProject = (projectDir: string, force = false) =>
  installClaudeServer({ env: {}, scope: 'project', projectDir, force });

describe('baton mcp install --for claude', () => {
  it("writes the project's .mcp.json, keeping other servers and the file's indentation; a rerun changes nothing", () => {
    const project = fresh('project');
    const file = path.join(project, '.mcp.json');
    const original = { mcpServers: { other: { command: 'x', args: [] } }, extra: true };
    writeFileSync(file, `${JSON.stringify(original, null, 4)}\n`);
    expect(installProject(project)).toMatchObject({ action: 'added', file });
    const text = readFileSync(file, 'utf8');
    expect(text).toMatch(/^{\n {4}"mcpServers": {\n {8}"other"/);
    const doc = claudeConfig.parse(JSON.parse(text));
    expect(doc['extra']).toBe(true);
    expect(doc.mcpServers['other']).toEqual(original.mcpServers.other);
    expect(claudeEntry.parse(doc.mcpServers['baton'])).toEqual({
      type: 'stdio',
      command: process.execPath,
      args: [BATON_BIN, 'mcp'],
      env: {},
    });
    expect(installProject(project).action).toBe('unchanged');
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it('writes ~/.claude.json for --scope user, honouring CLAUDE_CONFIG_DIR and keeping the file private', () => {
    const home = fresh('home');
    const user = (env: NodeJS.ProcessEnv) => installClaudeServer({ env, scope: 'user', projectDir: '.' });
    expect(user({ HOME: home }).file).toBe(path.join(home, '.claude.json'));
    const configDir = fresh('claude-config');
    const file = path.join(configDir, '.claude.json');
    writeFileSync(file, JSON.stringify({ numStartups: 7, projects: { '/x': { allowedTools: [] } } }), {
      mode: 0o600,
    });
    expect(user({ HOME: home, CLAUDE_CONFIG_DIR: configDir })).toMatchObject({ action: 'added', file });
    const doc = claudeConfig.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(doc['numStartups']).toBe(7);
    expect(doc['projects']).toEqual({ '/x': { allowedTools: [] } });
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('leaves a foreign "baton" entry and broken JSON alone unless forced', () => {
    const project = fresh('project-conflict');
    const file = path.join(project, '.mcp.json');
    const foreign = JSON.stringify({ mcpServers: { baton: { command: 'not-it' } } });
    writeFileSync(file, foreign);
    expect(() => installProject(project)).toThrow(/does not run baton/);
    expect(readFileSync(file, 'utf8')).toBe(foreign);
    expect(installProject(project, true).action).toBe('updated');
    const broken = fresh('project-broken');
    writeFileSync(path.join(broken, '.mcp.json'), '{ nope');
    expect(() => installProject(broken)).toThrow(/not valid JSON/);
    expect(readFileSync(path.join(broken, '.mcp.json'), 'utf8')).toBe('{ nope');
  });

  it.skipIf(!existsSync(CLAUDE_BIN))('Claude Code itself connects to the server it finds there', () => {
    const project = fresh('project-claude');
    const configDir = fresh('claude-home');
    const env = { HOME: configDir, CLAUDE_CONFIG_DIR: configDir, BATON_HOME: path.join(project, '.baton') };
    installClaudeServer({ env, scope: 'user', projectDir: project });
    installProject(project);
    const claude = (...args: string[]) =>
      spawnSync(CLAUDE_BIN, args, {
        cwd: project,
        env: { ...serverEnv(env), DISABLE_TELEMETRY: '1', CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1' },
        encoding: 'utf8',
        timeout: 30_000,
      });
    // User scope: Claude starts it and checks its health.
    expect(claude('mcp', 'list').stdout).toMatch(/^baton: .*baton\.js mcp - ✔ Connected$/m);
    // Project scope: recognised, waiting for the user's approval as every .mcp.json server does.
    const rm = claude('mcp', 'remove', 'baton', '-s', 'user');
    expect(rm.status, rm.stderr).toBe(0);
    expect(claude('mcp', 'get', 'baton').stdout).toMatch(/Scope: Project config/);
  });

  it('the written entry starts a working server', async () => {
    const project = fresh('project-live');
    installProject(project);
    const doc = claudeConfig.parse(JSON.parse(readFileSync(path.join(project, '.mcp.json'), 'utf8')));
    const entry = claudeEntry.parse(doc.mcpServers['baton']);
    const mcp = await connect(serverEnv({ BATON_HOME: path.join(project, '.baton'), ...entry.env }), entry);
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name)).toContain('spawn_worker');
    expect((await mcp.call('list_workers', {})).text).toBe('no workers');
  });
});
