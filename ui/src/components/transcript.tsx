import { FitAddon } from '@xterm/addon-fit';
import { Terminal } from '@xterm/xterm';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EventRow, WorkerSummary } from '../../../src/ui/wire';
import { api } from '../api';

type Source = 'events' | 'stdout' | 'stderr';

const ESC = '\x1b[';
const paint = (code: string, text: string) => `${ESC}${code}m${text}${ESC}0m`;

/** An event as terminal text: commands like a shell session, messages in bold, errors in red. */
function ansi(e: EventRow): string {
  switch (e.type) {
    case 'command.started':
      return `${paint('1;36', `$ ${e.command ?? ''}`)}\n`;
    case 'command.completed': {
      const out = e.detail ? `${paint('2', e.detail.replace(/\n$/, ''))}\n` : '';
      return `${out}${paint(e.exitCode === 0 ? '32' : '31', `[exit ${e.exitCode ?? '?'}]`)}\n`;
    }
    case 'message':
      return `\n${paint('1', e.detail ?? e.text)}\n\n`;
    case 'reasoning':
      return `${paint('2;3', e.detail ?? e.text)}\n`;
    case 'file_change':
      return `${paint('33', e.detail ?? e.text)}\n`;
    case 'error':
    case 'turn.failed':
      return `${paint(e.tone === 'warn' ? '33' : '31', e.text)}\n`;
    case 'worker.ended':
      return `${paint(e.tone === 'ok' ? '32' : '31', `— ${e.text}`)}\n`;
    default:
      return `${paint('90', e.text)}\n`;
  }
}

/**
 * The worker's transcript in a real terminal emulator (xterm.js), so PTY sessions with colours
 * and cursor movement look as they did. Event-stream workers (codex) can also be shown as a
 * shell-like rendering of their events.
 */
export function Transcript({ worker, events }: { worker: WorkerSummary; events: readonly EventRow[] }) {
  const [source, setSource] = useState<Source>(worker.streamsEvents ? 'events' : 'stdout');
  const host = useRef<HTMLDivElement>(null);
  const term = useRef<Terminal | null>(null);
  const written = useRef(0);
  const offset = useRef<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Raw output is pulled by one loop at a time; a change while it runs asks it to go round again,
  // and a switch of source or worker (a new generation) makes it drop what it fetched.
  const want = useRef({ gen: 0, id: worker.id, source });
  const pulling = useRef(false);
  const again = useRef(false);

  useEffect(() => {
    const el = host.current;
    if (!el) return;
    const t = new Terminal({
      convertEol: true,
      disableStdin: true,
      scrollback: 50_000,
      fontSize: 13,
      theme: { background: '#0d1117', foreground: '#d6dde6' },
    });
    const fit = new FitAddon();
    t.loadAddon(fit);
    t.open(el);
    const refit = () => {
      try {
        fit.fit();
      } catch {
        // not laid out yet
      }
    };
    refit();
    const ro = new ResizeObserver(refit);
    ro.observe(el);
    term.current = t;
    return () => {
      ro.disconnect();
      t.dispose();
      term.current = null;
    };
  }, []);

  const pull = async (): Promise<void> => {
    if (pulling.current) {
      again.current = true;
      return;
    }
    pulling.current = true;
    const { gen, id, source: from } = want.current;
    try {
      if (from === 'events') return;
      do {
        again.current = false;
        for (;;) {
          const chunk = await api.output(id, from, offset.current);
          if (want.current.gen !== gen) return;
          if (chunk.data.length > 0) term.current?.write(chunk.data);
          offset.current = chunk.next;
          setError(null);
          if (chunk.next >= chunk.size) break;
        }
      } while (again.current);
    } catch (e) {
      if (want.current.gen === gen) setError((e as Error).message);
    } finally {
      pulling.current = false;
      if (want.current.gen !== gen) void pull();
    }
  };

  useEffect(() => {
    term.current?.reset();
    written.current = 0;
    offset.current = null;
    want.current = { gen: want.current.gen + 1, id: worker.id, source };
  }, [source, worker.id]);

  useEffect(() => {
    const t = term.current;
    if (source !== 'events' || !t) return;
    let text = '';
    for (let i = written.current; i < events.length; i++) {
      const e = events[i];
      if (e) text += ansi(e);
    }
    written.current = events.length;
    if (text) t.write(text);
  }, [source, worker.id, events.length]);

  useEffect(() => {
    if (source === 'events') return;
    void pull();
    if (worker.endedAt !== null) return;
    const timer = setInterval(() => void pull(), 1000);
    return () => clearInterval(timer);
  }, [source, worker.id, worker.outputBytes, worker.endedAt]);

  const choices: Source[] = worker.streamsEvents ? ['events', 'stdout', 'stderr'] : ['stdout', 'stderr'];
  return (
    <div class="transcript">
      <div class="toolbar">
        {choices.map((c) => (
          <button key={c} class={c === source ? 'tab active' : 'tab'} onClick={() => setSource(c)}>
            {c === 'events' ? 'rendered' : c}
          </button>
        ))}
        {error && <span class="tone-error">{error}</span>}
      </div>
      <div class="term-box" ref={host} data-testid="terminal" />
    </div>
  );
}
