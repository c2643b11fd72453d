import { z } from 'zod';
import { BACKEND_NAMES, builtinWorkflowNames, loadWorkflow, runWorkflow } from '../../index.js';
import { bounded } from '../reply.js';
import { defineTool, maxOutputTokens } from './define.js';

/** Patterns A–F (or a workflow file) as one call that returns the curated report only. */
export const runPatternTool = defineTool({
  name: 'run_pattern',
  title: 'Run an orchestration pattern',
  description:
    'Run a pattern to the end and return its curated markdown report (never raw worker output), ending ' +
    'in one recommended next step. Patterns: review {paths, lenses} · fix {paths, rounds, lens} · task ' +
    '{goal, scope, success} · split {task, sections} · research {question, angles} · options {problem, n}, ' +
    'or a workflow file path. Long: it returns when the run ends.',
  input: {
    pattern: z
      .string()
      .min(1)
      .describe(`A built-in (${builtinWorkflowNames().join(', ')}) or a workflow file.`),
    params: z
      .record(z.string(), z.union([z.string(), z.number(), z.array(z.string())]))
      .default({})
      .describe('The pattern parameters, e.g. {"paths": ["src"], "lenses": ["security", "clarity"]}.'),
    cwd: z.string().optional().describe('Where the workers work (default: the server directory).'),
    backends: z
      .array(z.string())
      .optional()
      .describe(
        `Backends spread round-robin over each fan-out; single workers use the first (default codex). ` +
          `One of: ${BACKEND_NAMES.filter((b) => b !== 'shell').join(', ')}; "name=model" also picks the model ` +
          `(e.g. "claude=claude-opus-4-1").`,
      ),
    context_file: z.string().optional().describe('A context pack every worker gets.'),
    dry_run: z
      .boolean()
      .default(false)
      .describe('Use the scripted offline models (one per agent API, every backend covered).'),
    max_output_tokens: maxOutputTokens(4000),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  async run(args, { engine }) {
    const result = await runWorkflow(engine, loadWorkflow(args.pattern), args.params, {
      cwd: args.cwd,
      backends: args.backends,
      contextFile: args.context_file,
      dryRun: args.dry_run,
    });
    const report = bounded(result.report, args.max_output_tokens ?? 4000);
    return {
      text: report.text,
      data: {
        run: result.runId,
        state: result.state,
        failure: result.failure,
        report_file: result.reportFile,
      },
    };
  },
});
