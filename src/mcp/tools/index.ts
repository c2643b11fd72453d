import type { BatonTool } from './define.js';
import { execCommandTool } from './exec-command.js';
import { followupWorkerTool } from './followup-worker.js';
import { getPlanTool, updatePlanTool } from './plan.js';
import { retryWorkerTool } from './retry-worker.js';
import { runPatternTool } from './run-pattern.js';
import { getResultTool } from './get-result.js';
import { listWorkersTool } from './list-workers.js';
import { sendInputTool } from './send-input.js';
import { spawnWorkerTool } from './spawn-worker.js';
import { stopWorkerTool } from './stop-worker.js';
import { waitWorkersTool } from './wait-workers.js';
import { writeStdinTool } from './write-stdin.js';

/** Every tool the server offers, in the order clients list them. A new tool is one file plus a line here. */
export const TOOLS: readonly BatonTool[] = [
  spawnWorkerTool,
  listWorkersTool,
  waitWorkersTool,
  getResultTool,
  sendInputTool,
  stopWorkerTool,
  retryWorkerTool,
  followupWorkerTool,
  execCommandTool,
  writeStdinTool,
  updatePlanTool,
  getPlanTool,
  runPatternTool,
];

export { defineTool, maxOutputTokens, type BatonTool, type ToolContext, type ToolSpec } from './define.js';
