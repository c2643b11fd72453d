import { z } from 'zod';

/** A worker inside a workflow step; every text field may use {{placeholders}}. */
export const workerTemplateSchema = z.strictObject({
  role: z.string().default('worker'),
  task: z.string(),
  lens: z.string().optional(),
  success: z.string().optional(),
  /** Write scope: a path, a list of paths, or a placeholder that expands to a list. */
  writes: z.union([z.string(), z.array(z.string())]).optional(),
  backend: z.string().optional(),
  sandbox: z.string().optional(),
  /** Answer in prose even where the role has a schema. */
  free_form: z.boolean().optional(),
  /** A JSON Schema for the answer: a shipped one by name (reviewer, verifier, research, select) or a path. */
  schema: z.string().optional(),
});
export type WorkerTemplate = z.infer<typeof workerTemplateSchema>;

const base = { id: z.string().regex(/^[a-z][a-z0-9_]*$/), plan: z.number().int().positive().optional() };

/** One worker. */
const workerStep = z.strictObject({ ...base, worker: workerTemplateSchema });
/** Many workers at once, one per item of a list parameter (or 1..n for a number). */
const fanoutBody = z.strictObject({ over: z.string(), as: z.string(), worker: workerTemplateSchema });
const fanoutStep = z.strictObject({ ...base, fanout: fanoutBody });
/** Fan-out over sections, each worker owning its own slice (its write scope). */
const mapStep = z.strictObject({ ...base, map: fanoutBody });
/** A judge worker picks one of a fan-out's results. */
const selectStep = z.strictObject({
  ...base,
  select: z.strictObject({ from: z.string(), judge: workerTemplateSchema }),
});
/** Deterministic merge of a fan-out's structured results. */
const mergeStep = z.strictObject({
  ...base,
  merge: z.strictObject({ kind: z.enum(['review', 'research', 'list']), from: z.string() }),
});

export type Step =
  | z.infer<typeof workerStep>
  | z.infer<typeof fanoutStep>
  | z.infer<typeof mapStep>
  | z.infer<typeof selectStep>
  | z.infer<typeof mergeStep>
  | RepeatStep;

/** Runs its steps again until a condition holds or the rounds run out. */
export interface RepeatStep {
  id: string;
  plan?: number | undefined;
  repeat: { max: string | number; until: string; steps: Step[] };
}

export const stepSchema: z.ZodType<Step> = z.lazy(() =>
  z.union([
    workerStep,
    fanoutStep,
    mapStep,
    selectStep,
    mergeStep,
    z.strictObject({
      ...base,
      repeat: z.strictObject({
        max: z.union([z.string(), z.number().int().positive()]),
        until: z.string(),
        steps: z.array(stepSchema).min(1),
      }),
    }),
  ]),
);

const paramSchema = z.strictObject({
  kind: z.enum(['list', 'text', 'number']),
  required: z.boolean().default(false),
  default: z.union([z.string(), z.number(), z.array(z.string())]).optional(),
  min: z.number().int().optional(),
  max: z.number().int().optional(),
  help: z.string().optional(),
});
export type ParamSpec = z.infer<typeof paramSchema>;

/** A workflow file: the six patterns are written in this format, and so are users' own. */
export const workflowSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]*$/),
  summary: z.string(),
  params: z.record(z.string(), paramSchema).default({}),
  plan: z.array(z.string()).min(1).max(6),
  steps: z.array(stepSchema).min(1),
  /** The one recommended next step when the run succeeds and no merge proposes one. */
  next: z.string().optional(),
});
export type Workflow = z.infer<typeof workflowSchema>;
