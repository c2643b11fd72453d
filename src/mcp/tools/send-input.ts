import { z } from 'zod';
import { BatonError, DEFAULT_MAX_OUTPUT_TOKENS } from '../../index.js';
import { defineTool, maxOutputTokens } from './define.js';
import { typeInto } from './write-stdin.js';

/** Input for a running worker: terminal sessions take keystrokes; agent workers not yet. */
export const sendInputTool = defineTool({
  name: 'send_input',
  title: 'Send input to a worker',
  description:
    'Send text to a running worker. Terminal sessions (from exec_command) receive it as typed input ' +
    'and the reply carries their new output. Agent workers (codex) do not take input yet: stop the ' +
    'worker and spawn a new one with the extra context instead.',
  input: {
    label: z.string().min(1).describe('The worker or session, e.g. "S1".'),
    text: z.string().describe('Text to send; include "\\n" to press Enter.'),
    yield_time_ms: z
      .number()
      .int()
      .nonnegative()
      .max(600_000)
      .optional()
      .describe('How long to wait for output afterwards (default 250).'),
    max_output_tokens: maxOutputTokens(DEFAULT_MAX_OUTPUT_TOKENS),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
  run(args, { engine }) {
    const w = engine.get(args.label);
    if (w.io === 'none' && w.backend !== 'shell') {
      throw new BatonError(
        'BAD_INPUT',
        `send_input to agent workers is not supported yet (${w.label} is a ${w.backend} worker); ` +
          'wait for its result, or stop_worker it and spawn_worker again with the added context',
      );
    }
    if (w.io === 'none') {
      throw new BatonError(
        'BAD_INPUT',
        `${w.label} reads no input (a shell worker); start commands that need input with exec_command`,
      );
    }
    return typeInto(engine, w.label, args.text, args.yield_time_ms, args.max_output_tokens);
  },
});
