import { badInput } from '../errors.js';

/** Values a template can reach: parameters, loop variables and `steps.<id>.<field>` outputs. */
export type Scope = Record<string, unknown>;

function lookup(scope: Scope, path: string): unknown {
  let value: unknown = scope;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function render(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map(render).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Fills `{{name}}` / `{{steps.id.field}}`; a name that does not exist is a workflow error unless
 * marked optional with `?` (`{{steps.verify.result?}}` gives "(none)").
 */
export function interpolate(text: string, scope: Scope, where: string): string {
  return text.replace(/\{\{\s*([A-Za-z_][\w.]*)(\?)?\s*\}\}/g, (_, path: string, optional?: string) => {
    const value = lookup(scope, path);
    if (value === undefined && optional) return '(none)';
    if (value === undefined)
      throw badInput(`workflow: ${where} uses {{${path}}}, which is not defined there`);
    return render(value);
  });
}

/** Like interpolate, but a template that is exactly one placeholder keeps a list as a list. */
export function interpolateList(text: string | string[], scope: Scope, where: string): string[] {
  const items = Array.isArray(text) ? text : [text];
  return items.flatMap((item) => {
    const whole = /^\{\{\s*([A-Za-z_][\w.]*)\s*\}\}$/.exec(item.trim());
    if (whole) {
      const value = lookup(scope, whole[1] ?? '');
      if (Array.isArray(value)) return value.map(render);
    }
    return [interpolate(item, scope, where)];
  });
}

/** Evaluates `steps.verify.verdict == pass` (or `!=`) for repeat loops. */
export function condition(expr: string, scope: Scope): boolean {
  const m = /^\s*([\w.]+)\s*(==|!=)\s*(.+?)\s*$/.exec(expr);
  if (!m) throw badInput(`workflow: condition "${expr}" must look like steps.verify.verdict == pass`);
  const left = render(lookup(scope, m[1] ?? ''));
  const right = (m[3] ?? '').replace(/^['"]|['"]$/g, '');
  return m[2] === '==' ? left === right : left !== right;
}
