import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { backendChoice, startDryRun, toResult, type DryRun, type Engine } from '../../index.js';
import { printJson, printLines } from '../output.js';
import { watchWorkers } from '../progress.js';
import { backendList } from './patterns.js';

const SAMPLE_FILES: Record<string, string> = {
  'README.md': '# Sample service\n\nA tiny project the demo workers look at.\n',
  'src/server.js': "export function handle(req) {\n  return { status: 200, body: 'ok' };\n}\n",
  'src/db.js': 'export const pool = { size: 4 };\n',
  'test/server.test.js': "import { handle } from '../src/server.js';\nconsole.log(handle({}).status);\n",
};

const LANES = ['scout', 'docs', 'tests', 'review'];

function makeWorkspace(root: string): string {
  for (const lane of LANES) {
    for (const [file, text] of Object.entries(SAMPLE_FILES)) {
      const target = path.join(root, lane, file);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
  }
  return root;
}

/** What started, in the words of the default (codex-only) demo when that is what runs. */
function startedLine(count: number, backends: string[], dry: DryRun): string {
  if (backends.length === 1 && backends[0] === 'codex')
    return `started ${count} codex workers (scripted model at ${dry.server.baseUrl})`;
  return `started ${count} workers on ${backends.join(', ')} (scripted models on 127.0.0.1)`;
}

/** `baton demo`: a small fan-out of real agent workers against the bundled scripted models. */
export function registerDemo(program: Command, engine: () => Engine): void {
  program
    .command('demo')
    .summary('offline demo: four real codex workers on the bundled scripted model')
    .description(
      'Run a small fan-out of real agent workers (codex unless --backend says\n' +
        "otherwise) against baton's scripted local models: no network, no tokens.\n" +
        'Each worker runs a command and writes a file in its own folder under\n' +
        '.baton/demo/; baton tracks them, then prints only their final messages.\n' +
        'With --backend codex,claude,gemini,opencode each worker runs another CLI.',
    )
    .option(
      '-b, --backend <names>',
      'backend, or a comma list the four workers take round-robin (codex, claude, gemini, opencode)',
      'codex',
    )
    .option('--quiet', 'no live progress')
    .option('--json', 'print the results as JSON')
    .action(async (opts: { backend?: string; quiet?: boolean; json?: boolean }) => {
      const backends = backendList(opts.backend);
      const e = engine();
      const stamp = Date.now().toString(36);
      const workspace = makeWorkspace(path.join(e.home.root, 'demo', stamp));
      const dry = await startDryRun(e.home.root);
      try {
        const labels = LANES.map((lane, i) => {
          const backend = backendChoice(backends[i % backends.length] ?? 'codex').backend;
          const w = e.spawn({
            label: `demo-${stamp}-${lane}`,
            backend,
            role: 'implementer',
            cwd: path.join(workspace, lane),
            task: `SCENARIO=demo NAME=${lane} List this folder and leave a short note about it.`,
            env: dry.envByBackend[backend as keyof DryRun['envByBackend']] ?? dry.env,
            model: dry.model,
            timeoutMs: 120_000,
          });
          return w.label;
        });
        if (!opts.json && !opts.quiet) printLines(startedLine(labels.length, backends, dry), '');
        await watchWorkers(e, labels, { quiet: opts.quiet || opts.json });
        const results = labels.map((l) => toResult(e.get(l), 2000));
        process.exitCode = results.every((r) => r.state === 'succeeded') ? 0 : 1;
        if (opts.json) return printJson({ workspace, results });
        printLines('', 'Final messages (only these reach you; full transcripts stay in .baton/):');
        for (const r of results) printLines(`  ${r.label}: ${r.finalMessage ?? `(${r.state}: ${r.reason})`}`);
        printLines(
          '',
          `Files the workers wrote: ${workspace}/*/baton-demo-*.md`,
          `Try: baton ps · baton logs ${labels[0]} --events · baton result ${labels[0]}`,
        );
      } finally {
        await dry.close();
      }
    });
}
