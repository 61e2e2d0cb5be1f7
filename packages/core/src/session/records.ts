import type { AgentEvent, AgentEventBody } from "../agent/events.ts";
import type { Message } from "../llm/messages.ts";

export const SESSION_FORMAT_VERSION = 1;

export interface SessionMeta {
  version: number;
  session_id: string;
  created_at: string;
  model: string;
  cwd?: string;
  /** The HF user who owns the session (null when anonymous); resuming as someone else forks. */
  user?: string | null;
  title?: string;
  forked_from?: string;
}

/** One line of a session's JSONL file. `at` is an ISO timestamp stamped by the store. */
export type SessionRecord =
  | { type: "meta"; at: string; meta: SessionMeta }
  | { type: "meta_update"; at: string; patch: Partial<Pick<SessionMeta, "model" | "title" | "user">> }
  | { type: "message"; at: string; message: Message }
  | { type: "event"; at: string; event: AgentEvent | AgentEventBody }
  /** Drops the last turn (undo). */
  | { type: "undo"; at: string }
  /** Replaces the whole history (compaction, fork snapshot). */
  | {
      type: "replace";
      at: string;
      reason: "compaction" | "fork" | "truncate" | "undo" | "new";
      messages: Message[];
    };

/** A record as handed to the store, before it is timestamped. */
export type SessionRecordInput = SessionRecord extends infer R
  ? R extends SessionRecord
    ? Omit<R, "at"> & { at?: string }
    : never
  : never;

export interface TimedMessage {
  message: Message;
  at: string;
}

export interface ReplayedSession {
  meta: SessionMeta | undefined;
  messages: TimedMessage[];
  events: { at: string; event: AgentEvent | AgentEventBody }[];
}

/**
 * Removes the last turn: messages from the end up to and including the last message the user typed
 * (synthetic harness messages do not count as a turn's start). Returns how many were removed.
 */
export function dropLastTurn<T>(items: T[], messageOf: (item: T) => Message): number {
  let removed = 0;
  while (items.length > 0) {
    const m = messageOf(items.pop()!);
    removed++;
    if (m.role === "user" && !m.synthetic) break;
  }
  return removed;
}

/** Rebuilds the conversation a record stream describes. */
export function replayRecords(records: Iterable<SessionRecord>): ReplayedSession {
  let meta: SessionMeta | undefined;
  let messages: TimedMessage[] = [];
  const events: ReplayedSession["events"] = [];
  for (const r of records) {
    switch (r.type) {
      case "meta":
        meta = r.meta;
        break;
      case "meta_update":
        if (meta) meta = { ...meta, ...r.patch };
        break;
      case "message":
        messages.push({ message: r.message, at: r.at });
        break;
      case "event":
        events.push({ at: r.at, event: r.event });
        break;
      case "undo":
        dropLastTurn(messages, (t) => t.message);
        break;
      case "replace":
        messages = r.messages.map((message) => ({ message, at: r.at }));
        break;
    }
  }
  return { meta, messages, events };
}
