import { describe, expect, it } from 'vitest';
import { geminiToolOutput, readGeminiTurn } from '../../src/dryrun/gemini-transcript.js';
import { readAnthropicTurn } from '../../src/dryrun/anthropic-transcript.js';
import { exampleOf } from '../../src/dryrun/gemini-server.js';

// How the Anthropic and Gemini fakes read what Claude Code, opencode and Gemini CLI send them.
describe('the fake servers read each API', () => {
  it('finds the task past Claude Code context blocks, and the tool results after it', () => {
    const turn = readAnthropicTurn({
      system: [{ type: 'text', text: 'Primary working directory: /w/p' }],
      tools: [{ name: 'Bash' }, { name: 'Write' }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: '<system-reminder>\nctx\n</system-reminder>' },
            { type: 'text', text: 'SCENARIO=exec CMD=ls' },
          ],
        },
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 't', name: 'Bash', input: { command: 'ls' } }],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 't', content: [{ type: 'text', text: 'a.txt' }] }],
        },
      ],
    });
    expect(turn).toEqual({
      scenario: 'exec',
      task: 'SCENARIO=exec CMD=ls',
      toolOutputs: ['a.txt'],
      tools: ['Bash', 'Write'],
      cwd: '/w/p',
    });
  });

  it('reads Gemini CLI turns and strips its shell output framing', () => {
    const output =
      '<untrusted_context>\nOutput: a.txt:1:TODO x\nProcess Group PGID: 12\n</untrusted_context>';
    expect(geminiToolOutput({ output })).toBe('a.txt:1:TODO x');
    expect(geminiToolOutput({ output: 'Output: (empty)\nExit Code: 1' })).toBe('');
    const turn = readGeminiTurn({
      contents: [
        {
          role: 'user',
          parts: [
            { text: '<session_context>\n- **Workspace Directories:**\n  - /w/g\n</session_context>' },
            { text: 'do it' },
          ],
        },
        { role: 'model', parts: [{ functionCall: { name: 'run_shell_command', args: { command: 'ls' } } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'run_shell_command', response: { output } } }] },
      ],
      tools: [{ functionDeclarations: [{ name: 'run_shell_command' }] }],
    });
    expect(turn).toEqual({
      scenario: 'default',
      task: 'do it',
      toolOutputs: ['a.txt:1:TODO x'],
      tools: ['run_shell_command'],
      cwd: '/w/g',
    });
  });

  it('answers Gemini CLI helper calls with JSON that fits the requested schema', () => {
    const schema = {
      type: 'OBJECT',
      properties: {
        reasoning: { type: 'STRING' },
        score: { type: 'INTEGER' },
        next: { type: 'STRING', enum: ['user', 'model'] },
      },
    };
    expect(exampleOf(schema)).toEqual({ reasoning: 'dry-run', score: 1, next: 'user' });
  });
});
