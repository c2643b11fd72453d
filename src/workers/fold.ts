import type { WorkerFacts } from '../backends/types.js';
import { addUsage, describeEvent, type BatonEvent } from '../events.js';
import type { WorkerRecord } from '../store/workers.js';

/** The fields of a worker row that events update. */
export type FoldedFields = WorkerFacts & { lastActivity: string | null };

/** Starts a fold from what the row already holds. */
export function factsOf(record: WorkerRecord): FoldedFields {
  return {
    threadId: record.threadId,
    finalMessage: record.finalMessage,
    usage: record.usage,
    turnStatus: record.turnStatus,
    turnError: record.turnError,
    lastActivity: record.lastActivity,
  };
}

/**
 * Applies one event to the facts: the last agent message wins; usage is the latest total a turn
 * reported, plus what `usage` events (one model request each) added since.
 */
export function foldEvent(facts: FoldedFields, event: BatonEvent): FoldedFields {
  // Per-request usage is bookkeeping, not activity: `ps` keeps showing what the agent last did.
  if (event.type === 'usage') return { ...facts, usage: addUsage(facts.usage, event.usage) };
  const next = { ...facts, lastActivity: describeEvent(event) };
  switch (event.type) {
    case 'thread.started':
      return { ...next, threadId: event.threadId };
    case 'message':
      return { ...next, finalMessage: event.text };
    case 'turn.completed':
      return { ...next, usage: event.usage ?? next.usage, turnStatus: 'completed' };
    case 'turn.failed':
      return { ...next, turnStatus: 'failed', turnError: event.message };
    case 'turn.started':
      // A new turn (e.g. a resumed thread) has no verdict until it ends.
      return { ...next, turnStatus: null, turnError: null };
    default:
      return next;
  }
}
