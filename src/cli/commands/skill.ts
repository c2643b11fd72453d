import { Option, type Command } from 'commander';
import { describeChange } from '../../mcp/install/files.js';
import { installSkill, skillText, type SkillAgent } from '../../skill/install.js';
import { printJson, printLines } from '../output.js';

interface SkillInstallOptions {
  for: SkillAgent;
  dir?: string;
  force?: boolean;
  json?: boolean;
}

/** `baton skill`: the orchestration method as an agent skill (SKILL.md), installed or printed. */
export function registerSkill(program: Command): void {
  const skill = program
    .command('skill')
    .summary('install the orchestration skill (SKILL.md) for codex or Claude Code')
    .description(
      "baton's agent skill teaches a coding agent when to fan out, how to brief workers, how to " +
        "wait without blocking and how to curate results, through baton's MCP tools.",
    );

  skill
    .command('install')
    .summary('write SKILL.md where the agent finds it (idempotent)')
    .description(
      "Write baton/SKILL.md into the agent's skills folder: $CODEX_HOME/skills (default " +
        '~/.codex/skills) for codex, $CLAUDE_CONFIG_DIR/skills (default ~/.claude/skills) for ' +
        'Claude Code, or --dir.\n' +
        'Running it again changes nothing; a SKILL.md that baton did not write is never replaced.',
    )
    .addOption(new Option('--for <agent>', 'the agent').choices(['codex', 'claude']).makeOptionMandatory())
    .option('--dir <dir>', 'skills folder to write into instead, e.g. .claude/skills of a project')
    .option('--force', 'replace a baton/SKILL.md that baton did not write')
    .option('--json', 'print {for, what, file, action, written} as JSON')
    .addHelpText('after', '\nPair it with the tools: baton mcp install --for codex')
    .action((opts: SkillInstallOptions) => {
      const change = installSkill({ agent: opts.for, env: process.env, dir: opts.dir, force: opts.force });
      if (opts.json) return printJson(change);
      printLines(...describeChange(change));
    });

  skill
    .command('show')
    .summary('print the skill (to paste into AGENTS.md, CLAUDE.md, …)')
    .action(() => {
      process.stdout.write(skillText());
    });
}
