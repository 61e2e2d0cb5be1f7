import type { AgentEvent, AgentEventBody } from "./events.ts";

export type EventListener = (event: AgentEvent) => void;

export interface EventBus {
  emit(body: AgentEventBody): AgentEvent;
  subscribe(listener: EventListener): () => void;
  /** An async iterator over events emitted from now on; ends when the bus closes. */
  stream(): AsyncIterableIterator<AgentEvent>;
  close(): void;
}

export function createEventBus(sessionId: () => string, now: () => Date = () => new Date()): EventBus {
  const listeners = new Set<EventListener>();
  let seq = 0;
  let closed = false;
  const streams = new Set<{ push(e: AgentEvent): void; end(): void }>();

  return {
    emit(body) {
      const event = {
        ...body,
        seq: ++seq,
        timestamp: now().toISOString(),
        session_id: sessionId(),
      } as AgentEvent;
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          console.error("[ml-intern] event listener failed:", error);
        }
      }
      for (const s of streams) s.push(event);
      return event;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stream() {
      const buffer: AgentEvent[] = [];
      let wake: (() => void) | undefined;
      let ended = closed;
      const handle = {
        push(e: AgentEvent) {
          buffer.push(e);
          wake?.();
        },
        end() {
          ended = true;
          wake?.();
        },
      };
      streams.add(handle);
      const iterator: AsyncIterableIterator<AgentEvent> = {
        async next() {
          while (buffer.length === 0 && !ended) {
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            wake = undefined;
          }
          const value = buffer.shift();
          if (value) return { value, done: false };
          streams.delete(handle);
          return { value: undefined, done: true };
        },
        async return() {
          streams.delete(handle);
          ended = true;
          return { value: undefined, done: true };
        },
        [Symbol.asyncIterator]() {
          return iterator;
        },
      };
      return iterator;
    },
    close() {
      closed = true;
      for (const s of streams) s.end();
    },
  };
}
