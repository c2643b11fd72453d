import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll } from 'vitest';
import { z } from 'zod';
import { BATON_BIN } from '../helpers/cli.js';

/** A tool call's reply, flattened for assertions. */
export interface Reply {
  text: string;
  data: Record<string, unknown>;
  isError: boolean;
}

const replySchema = z.object({
  content: z.array(z.looseObject({ type: z.string(), text: z.string().optional() })),
  structuredContent: z.record(z.string(), z.unknown()).optional(),
  isError: z.boolean().optional(),
});

/** The server's environment: this one minus any worker marker, plus what the test adds. */
export function serverEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && k !== 'BATON_WORKER') env[k] = v;
  return { ...env, ...extra };
}

/** `node bin/baton.js mcp` (or a configured launch line) behind the SDK's stdio client, closed after the file. */
export async function connect(
  env: Record<string, string>,
  launch: { command: string; args: string[] } = { command: process.execPath, args: [BATON_BIN, 'mcp'] },
): Promise<{
  client: Client;
  transport: StdioClientTransport;
  call(name: string, args: Record<string, unknown>): Promise<Reply>;
}> {
  const transport = new StdioClientTransport({
    command: launch.command,
    args: launch.args,
    env,
    stderr: 'pipe',
  });
  const client = new Client({ name: 'baton-test', version: '1.0.0' });
  await client.connect(transport);
  afterAll(() => client.close());
  return {
    client,
    transport,
    async call(name, args) {
      const raw = replySchema.parse(await client.callTool({ name, arguments: args }));
      const text = raw.content.map((c) => c.text ?? '').join('\n');
      return { text, data: raw.structuredContent ?? {}, isError: raw.isError === true };
    },
  };
}
