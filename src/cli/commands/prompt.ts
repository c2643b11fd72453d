import type { Command } from 'commander';
import { ROLE_NAMES, type Engine } from '../../index.js';
import { printJson } from '../output.js';

interface PromptOptions {
  role: string;
  backend: string;
  lens?: string;
  success?: string;
  context?: string;
  writes?: string[];
  sandbox?: string;
  cwd?: string;
  freeForm?: boolean;
  json?: boolean;
}

/** `baton prompt`: print the exact prompt a worker would get, without running anything. */
export function registerPrompt(program: Command, engine: () => Engine): void {
  program
    .command('prompt')
    .summary('print the exact prompt a worker would receive (runs nothing)')
    .description(
      'Print the prompt baton would give a worker: preamble, role template, context pack, task.\n' +
        'Templates ship with baton; override one by writing .baton/templates/<name>.md\n' +
        `(names: preamble, ${ROLE_NAMES.join(', ')}).`,
    )
    .argument('<task...>', 'the task')
    .option('-r, --role <role>', `worker role: ${ROLE_NAMES.join(' | ')}`, 'worker')
    .option('-b, --backend <name>', 'backend (prompts differ only for shell)', 'codex')
    .option('--lens <lens>', 'reviewer lens, e.g. security')
    .option('--success <check>', 'verifier success check')
    .option('--context <file>', 'context pack (markdown, JSON or YAML)')
    .option('-w, --writes <paths...>', 'write scope, shown as the SCOPE line')
    .option('-s, --sandbox <mode>', 'read-only | workspace-write | danger-full-access')
    .option('-C, --cwd <dir>', 'directory the worker would work in')
    .option('--free-form', 'prose output even where the role has a JSON schema')
    .option('--json', 'print {prompt, sandbox, schema, writes} as JSON')
    .action((words: string[], opts: PromptOptions) => {
      const preview = engine().preview({
        role: opts.role,
        backend: opts.backend,
        lens: opts.lens,
        success: opts.success,
        contextFile: opts.context,
        writes: opts.writes,
        sandbox: opts.sandbox,
        cwd: opts.cwd,
        freeForm: opts.freeForm,
        task: words.join(' '),
      });
      if (opts.json) return printJson(preview);
      process.stdout.write(`${preview.prompt}\n`);
    });
}
