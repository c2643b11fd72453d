import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { Engine } from '../../index.js';
import { fail, ok, type ToolReply } from '../reply.js';

/** What a tool may use while it runs: the one Engine, and a signal for "the caller gave up". */
export interface ToolContext {
  engine: Engine;
  /** Aborted when the client cancels the call or the server shuts down. */
  signal: AbortSignal;
}

/** One MCP tool: its contract (name, description, zod input) and what it does. */
export interface ToolSpec<Shape extends z.ZodRawShape> {
  name: string;
  title: string;
  description: string;
  input: Shape;
  annotations: ToolAnnotations;
  run(args: z.output<z.ZodObject<Shape>>, ctx: ToolContext): ToolReply | Promise<ToolReply>;
}

/** A tool ready to be put on a server; the registry is a plain list of these. */
export interface BatonTool {
  readonly name: string;
  register(server: McpServer, engine: Engine, shutdown: AbortSignal): void;
}

/** Wraps a spec so its argument types stay checked and every failure becomes a tool error. */
export function defineTool<Shape extends z.ZodRawShape>(spec: ToolSpec<Shape>): BatonTool {
  const schema = z.object(spec.input);
  // Typed as the general object schema so the SDK's callback type does not depend on Shape.
  const wire: z.ZodObject = schema;
  return {
    name: spec.name,
    register(server, engine, shutdown) {
      server.registerTool(
        spec.name,
        {
          title: spec.title,
          description: spec.description,
          inputSchema: wire,
          annotations: spec.annotations,
        },
        async (raw: unknown, extra: { signal: AbortSignal }) => {
          try {
            const args = schema.parse(raw);
            const signal = AbortSignal.any([extra.signal, shutdown]);
            return ok(await spec.run(args, { engine, signal }));
          } catch (error) {
            return fail(error);
          }
        },
      );
    },
  };
}

/** `max_output_tokens`, shared by every tool so the budget reads the same everywhere. */
export function maxOutputTokens(fallback: number) {
  return z
    .number()
    .int()
    .positive()
    .max(1_000_000)
    .optional()
    .describe(`Bound the reply to about this many tokens (≈4 characters each; default ${fallback}).`);
}
