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
}

/**
 * Resumability for one session: keeps the last `capacity` SSE events so a client reconnecting with
 * `Last-Event-ID` gets what it missed. Bounded, so a long session cannot grow memory without limit.
 */
export function createMemoryEventStore(capacity = 512): EventStore & { size(): number } {
  const events: StoredEvent[] = [];
  let counter = 0;
  const streamOf = (eventId: EventId) => eventId.slice(0, eventId.lastIndexOf("_"));
  return {
    async storeEvent(streamId, message) {
      const id = `${streamId}_${(++counter).toString(36).padStart(8, "0")}`;
      events.push({ id, streamId, message });
      if (events.length > capacity) events.splice(0, events.length - capacity);
      return id;
    },
    async getStreamIdForEventId(eventId) {
      const streamId = streamOf(eventId);
      return streamId || undefined;
    },
    async replayEventsAfter(lastEventId, { send }) {
      const streamId = streamOf(lastEventId);
      const index = events.findIndex((e) => e.id === lastEventId);
      const after = index >= 0 ? events.slice(index + 1) : events;
      for (const event of after) {
        if (event.streamId === streamId) await send(event.id, event.message);
      }
      return streamId;
    },
    size: () => events.length,
  };
}
