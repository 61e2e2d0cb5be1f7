import type {
  EventId,
  EventStore,
  StreamId,
} from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";

interface StoredEvent {
  id: EventId;
  streamId: StreamId;
  message: JSONRPCMessage;
  bytes: number;
}

export interface MemoryEventStoreOptions {
  /** Most events kept (default 256). */
  maxEvents?: number;
  /** Most serialised bytes kept (default 256 KiB); big answers must not pin megabytes per session. */
  maxBytes?: number;
  /** Called for every event stored (the session is active: an SSE stream is writing). */
  onStore?: () => void;
}

const resultSizes = new WeakMap<object, number>();

/** Serialised size of a message; a shared result object (the cached tools/list) is measured once. */
function sizeOf(message: JSONRPCMessage): number {
  const result = "result" in message ? message.result : undefined;
  if (result && typeof result === "object") {
    let size = resultSizes.get(result);
    if (size === undefined) {
      size = JSON.stringify(result).length;
      resultSizes.set(result, size);
    }
    return size + 48;
  }
  return JSON.stringify(message).length;
}

/**
 * Resumability for one session: keeps recent SSE events so a client reconnecting with `Last-Event-ID`
 * gets what it missed. Bounded by count and bytes (oldest dropped first), so memory stays flat under load.
 */
export function createMemoryEventStore(
  options: MemoryEventStoreOptions = {},
): EventStore & { size(): number; bytes(): number } {
  const maxEvents = options.maxEvents ?? 256;
  const maxBytes = options.maxBytes ?? 256 * 1024;
  // Evicted slots are cleared at once (so they pin no message) and the array is compacted once half of it is
  // cleared slots.
  const events: (StoredEvent | undefined)[] = [];
  let head = 0;
  let total = 0;
  let counter = 0;
  const streamOf = (eventId: EventId) => eventId.slice(0, eventId.lastIndexOf("_"));
  const live = () => events.length - head;
  const evict = () => {
    while (live() > 0 && (live() > maxEvents || total > maxBytes)) {
      total -= events[head]!.bytes;
      events[head] = undefined;
      head++;
    }
    if (head >= 64 && head * 2 >= events.length) {
      events.splice(0, head);
      head = 0;
    }
  };
  return {
    async storeEvent(streamId, message) {
      options.onStore?.();
      const id = `${streamId}_${(++counter).toString(36).padStart(8, "0")}`;
      const bytes = sizeOf(message);
      events.push({ id, streamId, message, bytes });
      total += bytes;
      evict();
      return id;
    },
    async getStreamIdForEventId(eventId) {
      const streamId = streamOf(eventId);
      return streamId || undefined;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const streamId = streamOf(lastEventId);
      let start = head;
      for (let i = head; i < events.length; i++) {
        if (events[i]!.id === lastEventId) {
          start = i + 1;
          break;
        }
      }
      // A copy: events stored (and evicted) while `send` awaits must not shift what is being replayed.
      const missed = events.slice(start).filter((e): e is StoredEvent => e?.streamId === streamId);
      for (const event of missed) await send(event.id, event.message);
      return streamId;
    },
    size: live,
    bytes: () => total,
  };
}
