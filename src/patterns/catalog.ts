import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { loadYaml } from '../util/lazy.js';
import { BatonError, badInput } from '../errors.js';
import { ASSETS_DIR } from '../prompts/templates.js';
import { workflowSchema, type Workflow } from './schema.js';

const WORKFLOWS_DIR = path.join(ASSETS_DIR, 'workflows');

/** Names of the built-in workflows (the six patterns). */
export function builtinWorkflowNames(): string[] {
  return readdirSync(WORKFLOWS_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** Parses and validates workflow text; errors name the file and the first problem. */
export function parseWorkflow(text: string, source: string): Workflow {
  let data: unknown;
  try {
    data = source.endsWith('.json') ? JSON.parse(text) : loadYaml().parse(text);
  } catch (cause) {
    throw badInput(`workflow ${source}: not valid YAML/JSON (${(cause as Error).message.split('\n')[0]})`);
  }
  const parsed = workflowSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badInput(`workflow ${source}: ${issue?.path.join('.') || '(top)'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** A built-in workflow by name, or a workflow file (YAML or JSON) by path. */
export function loadWorkflow(nameOrFile: string): Workflow {
  const builtin = path.join(WORKFLOWS_DIR, `${nameOrFile}.yaml`);
  const file =
    /^[a-z][a-z0-9-]*$/.test(nameOrFile) && existsSync(builtin) ? builtin : path.resolve(nameOrFile);
  if (!existsSync(file)) {
    throw new BatonError(
      'NOT_FOUND',
      `no workflow "${nameOrFile}": give a YAML/JSON file or one of: ${builtinWorkflowNames().join(', ')}`,
    );
  }
  return parseWorkflow(readFileSync(file, 'utf8'), file);
}

/** Where a built-in lives, so users can copy it: `baton run --show review`. */
export function builtinWorkflowFile(name: string): string {
  return path.join(WORKFLOWS_DIR, `${name}.yaml`);
}
