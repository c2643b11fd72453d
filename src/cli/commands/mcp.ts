import { Option, type Command } from 'commander';
import type { Engine } from '../../index.js';
import { installClaudeServer, type ClaudeScope } from '../../mcp/install/claude.js';
import { installCodexServer } from '../../mcp/install/codex.js';
import { describeChange } from '../../mcp/install/files.js';
import { serveStdio } from '../../mcp/server.js';
import { TOOLS } from '../../mcp/tools/index.js';
import { printJson, printLines } from '../output.js';
import { registerSkill } from './skill.js';

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
    .addHelpText(
      'after',
      '\nRegister it once:\n  baton mcp install --for codex\n  baton mcp install --for claude',
    )
    .action(async () => {
      if (process.stdin.isTTY) {
        process.stderr.write(
          'baton mcp: serving MCP on stdio for an agent; to register it run: baton mcp install --help\n',
        );
      }
      await serveStdio(engine());
    });

  mcp
    .command('install')
    .summary('register the server with codex or Claude Code (idempotent)')
    .description(
      'Register `baton mcp` with an agent.\n' +
        'Codex: writes [mcp_servers.baton] into $CODEX_HOME/config.toml (default ~/.codex), ' +
        'forwarding BATON_HOME, CODEX_HOME and API keys to the server, with tool approval "approve".\n' +
        "Claude Code: writes mcpServers.baton into the project's .mcp.json (--scope project) or " +
        '~/.claude.json (--scope user; $CLAUDE_CONFIG_DIR is honoured).\n' +
        "Only baton's own entry is touched, and running it again changes nothing.",
    )
    .addOption(new Option('--for <agent>', 'the agent').choices(['codex', 'claude']).makeOptionMandatory())
    .addOption(
      new Option('--scope <scope>', 'claude: where to register')
        .choices(['project', 'user'])
        .default('project'),
    )
    .option('--dir <dir>', 'claude --scope project: the project folder (default: here)')
    .option('--force', 'replace an existing "baton" entry that does not run baton')
    .option('--json', 'print {for, what, file, action, written} as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n' +
        '  baton mcp install --for codex\n' +
        '  baton mcp install --for claude                 # ./.mcp.json\n' +
        '  baton mcp install --for claude --scope user    # ~/.claude.json\n' +
        'Then teach the agent the method: baton skill install --for codex',
    )
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
      if (opts.json) return printJson(change);
      printLines(...describeChange(change), NEXT[opts.for]);
    });
}

/** Everything that connects baton to other agents: `baton mcp …` and `baton skill …`. */
export function registerAgentCommands(program: Command, engine: () => Engine): void {
  registerMcp(program, engine);
  registerSkill(program);
}
