// The public API of baton. Every export here is a promise to library users; the CLI, the MCP
// server and the dashboard import only from this file.
export { Engine, type EngineOptions, type WaitMode, type WaitResult } from './workers/engine.js';
export { spawnInputSchema, type SpawnInput, DEFAULT_GRACE_MS } from './workers/spawn.js';
export { toView, toResult, totalTokens, type WorkerView, type ResultView } from './workers/view.js';
export type { WorkerRecord } from './store/workers.js';
export { limitLines, MAX_PAUSE_MS, type BackendLimit } from './workers/rate-limit.js';
export type { StoredEvent } from './store/events.js';
export {
  batonEventSchema,
  describeEvent,
  isEnded,
  END_STATES,
  type BatonEvent,
  type EndState,
  type WorkerState,
  type Usage,
} from './events.js';
export { BatonError, INPUT_ERROR_CODES, type BatonErrorCode } from './errors.js';
export { BACKEND_NAMES, getBackend } from './backends/registry.js';
export type { Backend, WorkerSpec, Sandbox } from './backends/types.js';
export { SANDBOXES } from './backends/types.js';
export { ROLE_NAMES, getRole, type Role } from './prompts/roles.js';
export { parseDuration, formatElapsed } from './util/duration.js';
export { boundText } from './util/bounded.js';
export { resolveHome, type BatonHome } from './home.js';
export { WORKER_FILES } from './workers/files.js';
export { startDryRun, type DryRun } from './dryrun/session.js';
export {
  startFakeModel,
  type FakeModelServer,
  type FakeModelOptions,
  type RecordedRequest,
} from './dryrun/responses-server.js';
export { builtinScenarios, type Scenario, type Step, type StepContext } from './dryrun/scenarios.js';
export {
  execCommand,
  writeStdin,
  DEFAULT_EXEC_YIELD_MS,
  DEFAULT_WRITE_YIELD_MS,
  DEFAULT_MAX_OUTPUT_TOKENS,
  type TerminalReply,
  type ExecOptions,
  type WriteOptions,
} from './terminals/sessions.js';
export { buildSpec } from './workers/spawn.js';
export { loadContextPack, type ContextPack } from './prompts/context-pack.js';
export { PlanService, type PlanView } from './plan/service.js';
export {
  validatePlan,
  freshPlan,
  updateStep,
  STEP_STATUSES,
  MAX_STEPS,
  type PlanStep,
  type StepStatus,
} from './plan/plan.js';
export type { PlanUpdate } from './plan/store.js';
export type { RunRecord, RunState } from './store/runs.js';
export { runWorkflow, type PatternOptions, type PatternResult } from './patterns/run.js';
export { backendChoice, checkBackends, PATTERN_BACKENDS } from './patterns/backends.js';
export {
  loadWorkflow,
  parseWorkflow,
  builtinWorkflowNames,
  builtinWorkflowFile,
} from './patterns/catalog.js';
export type { ProgressEvent } from './patterns/runner.js';
export type { Workflow } from './patterns/schema.js';
export type { RawParams } from './patterns/params.js';
export { startFakeAnthropic } from './dryrun/anthropic-server.js';
export { startFakeGemini } from './dryrun/gemini-server.js';
export { startAnthropicDryRun } from './dryrun/anthropic-session.js';
export { startGeminiDryRun } from './dryrun/gemini-session.js';
export type {
  AgentDryRun,
  AgentRecordedRequest,
  ScriptedServer,
  ScriptedServerOptions,
} from './dryrun/scripted-server.js';
