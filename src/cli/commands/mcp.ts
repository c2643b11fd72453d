import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { Engine } from '../../index.js';
import { installClaudeServer, type ClaudeScope } from '../../mcp/install/claude.js';
import { installCodexServer } from '../../mcp/install/codex.js';
import type { InstallChange } from '../../mcp/install/files.js';
import { serveStdio } from '../../mcp/server.js';
import { TOOLS } from '../../mcp/tools/index.js';
import { printJson, printLines } from '../output.js';

/** Commander parser for a closed set of words (`--for codex|claude`). */
export function oneOf<T extends string>(flag: string, values: readonly T[]) {
  return (value: string): T => {
    const found = values.find((v) => v === value);
    if (!found) throw new InvalidArgumentError(`${flag}: "${value}" is not one of ${values.join(', ')}`);
    return found;
  };
}

/** What the CLI prints after an install: the verdict, the file, and the text that is now there. */
export function showChange(change: InstallChange, json: boolean | undefined, next: string): void {
  if (json) return printJson(change);
  const verb = change.action === 'unchanged' ? 'already up to date in' : `${change.action} in`;
  printLines(
    `${change.for}: ${change.what} ${verb} ${change.file}`,
    ...change.written.split('\n').map((l) => `  ${l}`),
    next,
  );
}

const NEXT: Record<'codex' | 'claude', string> = {
  codex: 'next: start codex; the tools appear under the "baton" MCP server (check with /mcp)',
  claude: 'next: start claude in that project; approve the "baton" server when asked (check with /mcp)',
};

interface InstallOptions {
  for: 'codex' | 'claude';
  scope: ClaudeScope;
  dir?: string;
  force?: boolean;
  json?: boolean;
}

/** `baton mcp`: serve baton's tools to any coding agent over stdio; `baton mcp install` registers it. */
export function registerMcp(program: Command, engine: () => Engine): void {
  const mcp = program
    .command('mcp')
    .summary('serve baton to coding agents over MCP (stdio); `mcp install` registers it')
    .description(
      'Serve baton as an MCP server on stdin/stdout, for agents to start (not for typing at).\n' +
        `Tools: ${TOOLS.map((t) => t.name).join(', ')}.\n` +
        'Workers it starts are ordinary baton workers: `baton ps` lists them and they outlive the server.',
    )
    .addHelpText('after', '\nRegister it once:\n  baton mcp install --for codex\n  baton mcp install --for claude')
    .action(async () => {
      if (process.stdin.isTTY) {
        process.stderr.write('baton mcp: serving MCP on stdio for an agent; to register it run: baton mcp install --help\n');
      }
      await serveStdio(engine());
    });

  mcp
    .command('install')
    .summary('register the server with codex or Claude Code (idempotent)')
    .description(
      'Register `baton mcp` with an agent. Codex: writes [mcp_servers.baton] into\n' +
        '$CODEX_HOME/config.toml (default ~/.codex), forwarding BATON_HOME, CODEX_HOME and API keys\n' +
        'to the server, with tool approval "approve". Claude Code: writes mcpServers.baton into the\n' +
        "project's .mcp.json (--scope project) or ~/.claude.json (--scope user; $CLAUDE_CONFIG_DIR\n" +
        'is honoured). Only baton\'s own entry is touched; running it again changes nothing.',
    )
    .requiredOption('--for <agent>', 'codex | claude', oneOf('--for', ['codex', 'claude'] as const))
    .option('--scope <scope>', 'claude: project | user', oneOf('--scope', ['project', 'user'] as const), 'project')
    .option('--dir <dir>', 'claude --scope project: the project folder (default: here)')
    .option('--force', 'replace an existing "baton" entry that does not run baton')
    .option('--json', 'print {for, what, file, action, written} as JSON')
    .action((opts: InstallOptions) => {
      const change =
        opts.for === 'codex'
          ? installCodexServer({ env: process.env, force: opts.force })
          : installClaudeServer({
              env: process.env,
              scope: opts.scope,
              projectDir: opts.dir ?? process.cwd(),
              force: opts.force,
            });
      showChange(change, opts.json, NEXT[opts.for]);
    });
}
