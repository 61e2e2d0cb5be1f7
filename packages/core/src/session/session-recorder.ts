import { existsSync } from "node:fs";
import type { AgentEvent } from "../agent/events.ts";
import type { Message } from "../llm/messages.ts";
import type { NewSessionMeta, SessionStore } from "./session-store.ts";

export interface SessionRecorderOptions {
  store: SessionStore;
  /** The agent's current session id (it changes on new/resume). */
  sessionId: () => string;
  /** Metadata for sessions the recorder has to create. */
  meta: Omit<NewSessionMeta, "sessionId">;
}

/**
 * Writes every message and event to the current session's file as it happens (the agent loop's
 * SessionRecorder hook). Session files are created on first write.
 */
export function createSessionRecorder(options: SessionRecorderOptions) {
  const { store } = options;
  const known = new Set<string>();
  const ensure = (id: string): string => {
    if (known.has(id)) return id;
    if (!existsSync(store.transcriptPath(id))) store.create({ ...options.meta, sessionId: id });
    known.add(id);
    return id;
  };
  return {
    message(message: Message): void {
      store.appendMessage(ensure(options.sessionId()), message);
    },
    event(event: AgentEvent): void {
      store.appendEvent(ensure(event.session_id || options.sessionId()), event);
    },
    replaced(messages: readonly Message[], reason: "undo" | "compaction" | "new"): void {
      // A new conversation gets a fresh id and file; nothing to rewrite in the old one.
      if (reason === "new") return;
      store.append(ensure(options.sessionId()), { type: "replace", reason, messages: [...messages] });
    },
  };
}

/** Resolves a resume reference; another user's session is forked rather than continued. */
export function createSessionLoader(store: SessionStore, currentUser: string | null | undefined) {
  return async (ref: string): Promise<{ sessionId: string; messages: Message[]; forked: boolean }> => {
    const resolved = store.resolve(ref);
    if (!resolved.ok) throw new Error(resolved.error);
    const loaded = store.load(resolved.id);
    if ((loaded.meta.user ?? null) === (currentUser ?? null)) {
      store.claim(resolved.id);
      return { sessionId: resolved.id, messages: loaded.history, forked: false };
    }
    const forked = store.fork(resolved.id, { user: currentUser ?? null });
    return { sessionId: forked.session_id, messages: loaded.history, forked: true };
  };
}
