import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { EventRow } from '../../../src/ui/wire';

const ROW = 26;
const OVERSCAN = 12;

function clock(ms: number): string {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}

/**
 * The event timeline, virtualized: only the rows in view exist in the DOM, so 10,000 events
 * scroll as smoothly as ten. It follows new events while scrolled to the bottom.
 */
export function EventList({ events }: { events: readonly EventRow[] }) {
  const box = useRef<HTMLDivElement>(null);
  const follow = useRef(true);
  const [top, setTop] = useState(0);
  const [height, setHeight] = useState(400);
  const [selected, setSelected] = useState<EventRow | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  useLayoutEffect(() => {
    const el = box.current;
    if (el && follow.current) el.scrollTop = el.scrollHeight;
  }, [events.length]);

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    follow.current = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW;
    setTop(el.scrollTop);
  };

  const first = Math.max(0, Math.floor(top / ROW) - OVERSCAN);
  const last = Math.min(events.length, Math.ceil((top + height) / ROW) + OVERSCAN);
  const rows = [];
  for (let i = first; i < last; i++) {
    const e = events[i];
    if (!e) continue;
    rows.push(
      <div
        key={e.id}
        class={`event tone-${e.tone}${selected?.id === e.id ? ' selected' : ''}`}
        style={{ top: `${i * ROW}px` }}
        data-testid="event"
        data-type={e.type}
        onClick={() => setSelected(selected?.id === e.id ? null : e)}
      >
        <span class="time">{clock(e.at)}</span>
        <span class="type">{e.type}</span>
        <span class="text">{e.text}</span>
      </div>,
    );
  }
  return (
    <div class="events">
      <div class="events-scroll" ref={box} onScroll={onScroll} data-testid="events">
        <div class="events-inner" style={{ height: `${events.length * ROW}px` }}>
          {rows}
        </div>
      </div>
      {selected && (
        <div class="event-detail">
          <div class="event-detail-head">
            <strong>{selected.type}</strong> <span class="muted">#{selected.id}</span>
            {selected.exitCode !== null && (
              <span class={`tone-${selected.tone}`}> exit {selected.exitCode}</span>
            )}
            <button class="link" onClick={() => setSelected(null)}>
              close
            </button>
          </div>
          {selected.command && <pre class="command">$ {selected.command}</pre>}
          {(selected.detail !== null || selected.command === null) && (
            <pre>{selected.detail ?? selected.text}</pre>
          )}
        </div>
      )}
    </div>
  );
}
