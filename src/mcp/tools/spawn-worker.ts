import { z } from 'zod';
import { BACKEND_NAMES, ROLE_NAMES, SANDBOXES, toView } from '../../index.js';
import { bounded, DEFAULT_REPLY_TOKENS } from '../reply.js';
import { defineTool, maxOutputTokens } from './define.js';
import { summarize, summaryLine } from './worker-summary.js';

/** Starts one worker detached (the same as `baton spawn`); returns at once with its label. */
export const spawnWorkerTool = defineTool({
  name: 'spawn_worker',
  title: 'Start a worker in the background',
  description:
    'Start a coding-agent worker (codex exec by default) on a focused task and return at once with ' +
    'its label. It runs detached: it outlives this server and shows in `baton ps`. Give each worker ' +
    'one job and the context it cannot infer; readers default to a read-only sandbox. Then ' +
    'wait_workers and get_result. Refused inside a worker (workers never spawn workers).',
  input: {
    task: z
      .string()
      .min(1)
      .describe(
        'What the worker should do, with the context it needs (for backend "shell": the command line).',
      ),
    label: z.string().optional().describe('Name for the worker (letters, digits, _ . -); default W1, W2, …'),
    backend: z
      .enum(BACKEND_NAMES)
      .optional()
      .describe(
        'Agent CLI to run: codex (default), claude, gemini or opencode; shell runs the task as a command line.',
      ),
    role: z
      .enum(ROLE_NAMES)
      .optional()
      .describe('Worker role: picks the prompt template and default sandbox (default worker).'),
    cwd: z
      .string()
      .optional()
      .describe('Directory the worker works in (absolute is safest; default: the server’s).'),
    sandbox: z.enum(SANDBOXES).optional().describe('Sandbox (default: the role’s; readers are read-only).'),
    writes: z
      .array(z.string())
      .optional()
      .describe('Paths this worker may write; overlapping writers queue instead of running at once.'),
    lens: z.string().optional().describe('Reviewer lens, e.g. "security" or "correctness".'),
    success: z.string().optional().describe('Verifier success check, e.g. "npm test passes".'),
    context_file: z
      .string()
      .optional()
      .describe('Context pack file (markdown, or JSON/YAML with goal, constraints, pointers, …).'),
    schema_file: z.string().optional().describe('JSON Schema file the final message must match.'),
    timeout_ms: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Wall-clock limit (agents default to 30 min).'),
    model: z.string().optional().describe("Model for the agent CLI (default: the CLI's own)."),
    max_output_tokens: maxOutputTokens(DEFAULT_REPLY_TOKENS),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
  run(args, { engine }) {
    const shell = args.backend === 'shell';
    const w = engine.spawn({
      label: args.label,
      backend: args.backend,
      role: args.role,
      cwd: args.cwd,
      sandbox: args.sandbox,
      writes: args.writes,
      lens: args.lens,
      success: args.success,
      contextFile: args.context_file,
      schemaFile: args.schema_file,
      timeoutMs: args.timeout_ms,
      model: args.model,
      task: shell ? '' : args.task,
      extraArgs: shell ? ['sh', '-c', args.task] : [],
    });
    const queued = w.state === 'queued' ? engine.queueStatus(w.label) : undefined;
    const summary = summarize(toView(w), queued?.waitingFor);
    return {
      text: bounded(
        `${summaryLine(summary)}\nnext: wait_workers {"labels":["${w.label}"]}, then get_result {"label":"${w.label}"}`,
        args.max_output_tokens ?? DEFAULT_REPLY_TOKENS,
      ).text,
      data: { ...summary, sandbox: w.sandbox, cwd: w.cwd, queue_position: queued?.position ?? null },
    };
  },
});
