import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { describe, expect, it, type ExpectStatic } from 'vitest';
import { BACKEND_NAMES, ROLE_NAMES, SANDBOXES, startDryRun } from '../../src/index.js';
import { baton, batonAsync, type CliResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

// Bad input is refused before anything is written: exit 2, one line on stderr that names what was
// wrong (and what is allowed), nothing on stdout, no file created or changed outside the state dir.

const root = tempDir('baton-bad-input-');
let cases = 0;

/** A fresh, empty working directory for one CLI call. */
function freshDir(): string {
  const dir = path.join(root, `case-${++cases}`);
  mkdirSync(dir);
  return dir;
}

/** Every path under `dir` (the `.baton` state dir left out) with what it holds. */
function snapshot(dir: string, rel = ''): Record<string, string> {
  const tree: Record<string, string> = {};
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const name = path.join(rel, entry.name);
    const full = path.join(dir, name);
    if (name === '.baton') continue;
    if (entry.isDirectory()) {
      tree[name] = 'dir';
      Object.assign(tree, snapshot(dir, name));
    } else if (entry.isSymbolicLink()) {
      tree[name] = `link -> ${readlinkSync(full)}`;
    } else {
      const hash = createHash('sha256').update(readFileSync(full)).digest('hex');
      tree[name] = `file ${hash} ${statSync(full).mtimeMs}`;
    }
  }
  return tree;
}

/** The CLI with state in ./.baton of `cwd` (BATON_HOME unset) and outside any worker. */
const cleanEnv = { BATON_HOME: undefined, BATON_WORKER: undefined, BATON_ALLOW_NESTED: undefined };

function cli(cwd: string, args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  return baton(args, { cwd, env: { ...cleanEnv, ...env } });
}

function runAsync(cwd: string, args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const child = batonAsync(args, { cwd, env: { ...cleanEnv, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

function expectRefused(expect: ExpectStatic, r: CliResult, mentions: readonly string[]): void {
  expect(r.code, r.stderr).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).toMatch(/^baton: [^\n]+\n$/);
  for (const m of mentions) expect(r.stderr).toContain(m);
}

interface BadCase {
  name: string;
  args: string[];
  /** Words the one stderr line must contain: the bad value, and for enumerations every allowed one. */
  mentions: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Files to create in the working directory first. */
  files?: Record<string, string>;
}

const TASK = 'Review src/ for error handling';

const badCases: BadCase[] = [
  {
    name: 'unknown backend',
    args: ['spawn', '--backend', 'nope', TASK],
    mentions: ['"nope"', ...BACKEND_NAMES],
  },
  { name: 'unknown role', args: ['spawn', '--role', 'nope', TASK], mentions: ['"nope"', ...ROLE_NAMES] },
  { name: 'unknown sandbox', args: ['spawn', '--sandbox', 'nope', TASK], mentions: ['"nope"', ...SANDBOXES] },
  { name: 'label with a slash', args: ['spawn', '--label', 'a/b', TASK], mentions: ['label "a/b"'] },
  { name: 'label ..', args: ['spawn', '--label', '..', TASK], mentions: ['label ".."'] },
  { name: 'label with ..', args: ['spawn', '--label', 'a..b', TASK], mentions: ['label "a..b"'] },
  {
    name: 'missing --cwd directory',
    args: ['spawn', '--cwd', 'no-such-dir', TASK],
    mentions: ['--cwd', 'no-such-dir'],
  },
  {
    name: 'missing --schema file',
    args: ['spawn', '--schema', 'no-such-schema.json', TASK],
    mentions: ['--schema', 'no-such-schema.json'],
  },
  {
    name: '--schema file that is not JSON',
    args: ['spawn', '--schema', 'broken.json', TASK],
    mentions: ['--schema', 'broken.json', 'not valid JSON'],
    files: { 'broken.json': '{"type": "object",' },
  },
  { name: 'wait without labels or --all', args: ['wait'], mentions: ['wait', '--all'] },
  { name: 'result of an unknown label', args: ['result', 'ghost'], mentions: ['"ghost"'] },
  { name: 'unknown option', args: ['spawn', '--bogus', TASK], mentions: ['--bogus'] },
  { name: 'bad --timeout', args: ['spawn', '--timeout', 'abc', TASK], mentions: ['--timeout', 'abc'] },
  {
    name: 'shell backend without a command',
    args: ['spawn', '--backend', 'shell'],
    mentions: ['shell', '--'],
  },
  { name: 'codex backend with an empty task', args: ['spawn', '  '], mentions: ['codex', 'task'] },
  {
    name: '--env without KEY=VALUE',
    args: ['spawn', '--env', 'GREETING', '--backend', 'shell', '--', 'true'],
    mentions: ['--env', '"GREETING"', 'KEY=VALUE'],
  },
  {
    name: 'BATON_CLAUDE_ARGS that is not a JSON array',
    args: ['spawn', '--backend', 'claude', TASK],
    mentions: ['BATON_CLAUDE_ARGS', 'JSON array'],
    env: { BATON_CLAUDE_ARGS: '--verbose' },
  },
  {
    name: 'nested spawn from inside a worker',
    args: ['spawn', '--backend', 'shell', '--', 'true'],
    mentions: ['inside a baton worker'],
    env: { BATON_WORKER: '/x' },
  },
];

// Each case has its own directory, so they run side by side (CLI start-up dominates their time).
describe.concurrent('bad input', () => {
  for (const c of badCases) {
    it(`refuses ${c.name}: exit 2, one line naming it, nothing written`, async ({ expect }) => {
      const dir = freshDir();
      for (const [file, text] of Object.entries(c.files ?? {})) writeFileSync(path.join(dir, file), text);
      const before = snapshot(dir);
      expectRefused(expect, await runAsync(dir, c.args, c.env ?? {}), c.mentions);
      expect(snapshot(dir)).toEqual(before);
      // Checks come before any write: not even the state dir is created.
      expect(existsSync(path.join(dir, '.baton'))).toBe(false);
    });
  }
});

describe('a duplicate label', () => {
  it('is refused with exit 2, and the first worker is left alone', () => {
    const dir = freshDir();
    const first = cli(dir, ['spawn', '--label', 'dup', '--backend', 'shell', '--', 'echo', 'first']);
    expect(first.code, first.stderr).toBe(0);
    expect(cli(dir, ['wait', 'dup']).code).toBe(0);
    const before = snapshot(dir);
    const again = cli(dir, ['spawn', '--label', 'dup', '--backend', 'shell', '--', 'echo', 'second']);
    expectRefused(expect, again, ['"dup"', 'already used']);
    expect(snapshot(dir)).toEqual(before);
    expect(cli(dir, ['result', 'dup'])).toEqual({ code: 0, stdout: 'first\n', stderr: '' });
  });
});

describe('a task full of shell metacharacters', () => {
  it('reaches codex verbatim and runs nothing', async () => {
    const dir = freshDir();
    const home = path.join(root, 'fake-home');
    mkdirSync(home);
    writeFileSync(path.join(home, 'canary'), 'still here');
    // Were the task ever run by a shell, `~` would be this throwaway home, never the real one.
    const dry = await startDryRun(path.join(dir, '.baton'));
    try {
      const task = `$(touch pwned); rm -rf ~ | cat \`x\` "q" 'q' && echo`;
      const env = { ...dry.env, HOME: home };
      const before = snapshot(dir);
      const spawned = await runAsync(dir, ['spawn', '--label', 'meta', '-m', dry.model, task], env);
      expect(spawned.code, spawned.stderr).toBe(0);
      const waited = await runAsync(dir, ['wait', 'meta', '--json'], env);
      expect(waited.code, waited.stdout + waited.stderr).toBe(0);

      expect(dry.server.requests.length).toBeGreaterThan(0);
      for (const request of dry.server.requests) expect(request.lastUserText).toContain(task);
      // The scripted model's default answer echoes the task: it comes back unchanged too.
      expect(cli(dir, ['result', 'meta'], env)).toEqual({
        code: 0,
        stdout: `[dry-run] ${task}\n`,
        stderr: '',
      });
      expect(existsSync(path.join(dir, 'pwned'))).toBe(false);
      expect(existsSync(path.join(home, 'pwned'))).toBe(false);
      expect(readFileSync(path.join(home, 'canary'), 'utf8')).toBe('still here');
      expect(snapshot(dir)).toEqual(before);
    } finally {
      await dry.close();
    }
  });
});

describe('--env', () => {
  it('reaches the worker, and repeats', () => {
    const dir = freshDir();
    const env = { BATON_HOME: path.join(dir, '.baton') };
    const args = ['--env', 'GREETING=hello there', '--env', 'WHO=baton', '--backend', 'shell'];
    const r = baton(['spawn', '-l', 'E1', ...args, '--', 'sh', '-c', 'echo "$GREETING, $WHO"'], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(baton(['wait', 'E1'], { env }).code).toBe(0);
    expect(baton(['result', 'E1'], { env }).stdout.trim()).toBe('hello there, baton');
  });
});
