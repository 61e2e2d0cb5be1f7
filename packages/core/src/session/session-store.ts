import {
  closeSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import type { AgentEvent, AgentEventBody } from "../agent/events.ts";
import type { Message } from "../llm/messages.ts";
import type { Redactor } from "../redact/redactor.ts";
import {
  type ReplayedSession,
  replayRecords,
  SESSION_FORMAT_VERSION,
  type SessionMeta,
  type SessionRecord,
  type SessionRecordInput,
} from "./records.ts";
import { repairToolResults } from "./repair-tool-results.ts";
import { acquireSessionLock } from "./session-lock.ts";

export interface SessionStoreOptions {
  /** The state directory (see resolveStateHome); sessions live in `<home>/sessions/<id>/`. */
  home: string;
  /** Everything written passes through it. */
  redactor: Redactor;
  clock?: () => Date;
  idGen?: () => string;
  /** Event types not persisted (default: per-token chunks, which the final assistant_message repeats). */
  skipEventTypes?: readonly string[];
}

export interface NewSessionMeta {
  model: string;
  cwd?: string;
  user?: string | null;
  title?: string;
  /** Reuse a given id (e.g. one already announced to a client). */
  sessionId?: string;
}

export interface LoadedSession extends ReplayedSession {
  meta: SessionMeta;
  /** Just the messages, ready for the agent. */
  history: Message[];
  records: SessionRecord[];
  path: string;
  updatedAt: string;
  /** Unparseable lines in the middle of the file (skipped). */
  droppedLines: number;
  /** The last line was cut short (process killed mid-write) and ignored. */
  tornTail: boolean;
  /** Tool results dropped or stubbed because they did not answer the call before them (e.g. two writers). */
  repairedToolResults: number;
}

export interface SessionSummary {
  id: string;
  title: string;
  model: string;
  createdAt: string;
  updatedAt: string;
  path: string;
  forkedFrom?: string;
}

export type ResolveResult = { ok: true; id: string } | { ok: false; error: string };

export interface SessionStore {
  readonly sessionsDir: string;
  sessionDir(id: string): string;
  transcriptPath(id: string): string;
  create(meta: NewSessionMeta): SessionMeta;
  /**
   * Takes the session's single-writer lock (and opens it for appending) now rather than at the first write,
   * so a second process resuming it is refused up front. Throws SessionLockedError when another writer holds it.
   */
  claim(id: string): void;
  /** Appends one redacted JSON line and flushes it to disk (fsync) before returning. */
  append(id: string, record: SessionRecordInput): void;
  appendMessage(id: string, message: Message): void;
  appendEvent(id: string, event: AgentEvent | AgentEventBody): void;
  /** Records an undo (drop the last turn). */
  undo(id: string): void;
  load(id: string): LoadedSession;
  /** Newest first. */
  list(): SessionSummary[];
  /** By exact id, 1-based index into list(), or unique id prefix. */
  resolve(ref: string): ResolveResult;
  /** A new session starting from a snapshot of `id`'s history. */
  fork(id: string, overrides?: Partial<NewSessionMeta>): SessionMeta;
  /** Saves a tool output under the session folder (redacted) and returns its path. */
  spill(id: string, toolCallId: string, content: string): string;
  /**
   * Saves several tool outputs into one file under the session folder (redacted) and returns, for each,
   * "<path>, lines A-B" (1-based, inclusive) so the model can read it back with offset/limit.
   */
  spillMany(
    id: string,
    items: readonly { toolCallId: string; toolName: string; content: string }[],
  ): string[];
  /** Closes open file handles (one session, or all). */
  close(id?: string): void;
}

const DEFAULT_SKIP = ["assistant_chunk", "thinking_chunk"];
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const LIST_SCAN_BYTES = 256 * 1024;

function assertSafeId(id: string): void {
  if (!SAFE_ID.test(id)) throw new Error(`Invalid session id "${id}".`);
}

function parseLines(text: string): { records: SessionRecord[]; dropped: number; torn: boolean } {
  const lines = text.split("\n");
  const tail = lines.pop() ?? "";
  const records: SessionRecord[] = [];
  let dropped = 0;
  for (const line of lines) {
    if (line.trim() === "") continue;
    try {
      records.push(JSON.parse(line) as SessionRecord);
    } catch {
      dropped++;
    }
  }
  let torn = false;
  if (tail.trim() !== "") {
    try {
      records.push(JSON.parse(tail) as SessionRecord);
    } catch {
      torn = true;
    }
  }
  return { records, dropped, torn };
}

function readHead(path: string, bytes: number): string {
  const fd = openSync(path, "r");
  try {
    const buf = Buffer.alloc(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

function firstPrompt(records: readonly SessionRecord[]): string | undefined {
  for (const r of records) {
    if (r.type === "message" && r.message.role === "user" && !r.message.synthetic) return r.message.content;
    if (r.type === "replace") {
      const m = r.messages.find((x) => x.role === "user" && !x.synthetic);
      if (m) return m.content;
    }
  }
  return undefined;
}

const preview = (text: string, max = 72): string => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

export function createSessionStore(options: SessionStoreOptions): SessionStore {
  const clock = options.clock ?? (() => new Date());
  const idGen = options.idGen ?? (() => crypto.randomUUID());
  const skip = new Set(options.skipEventTypes ?? DEFAULT_SKIP);
  const sessionsDir = join(options.home, "sessions");
  const handles = new Map<string, { fd: number; release: () => void }>();

  const sessionDir = (id: string): string => {
    assertSafeId(id);
    return join(sessionsDir, id);
  };
  const transcriptPath = (id: string): string => join(sessionDir(id), "session.jsonl");

  const handleFor = (id: string, create: boolean): number => {
    const open = handles.get(id);
    if (open !== undefined) return open.fd;
    const path = transcriptPath(id);
    if (!create) statSync(path); // throws ENOENT for unknown sessions
    mkdirSync(sessionDir(id), { recursive: true });
    const release = acquireSessionLock(id, join(sessionDir(id), "session.lock"));
    let fd: number;
    try {
      fd = openSync(path, "a+");
    } catch (error) {
      release();
      throw error;
    }
    // A previous process may have died mid-line: start on a fresh line so the torn fragment stays isolated.
    const size = fstatSync(fd).size;
    if (size > 0) {
      const last = Buffer.alloc(1);
      readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== 0x0a) writeSync(fd, "\n");
    }
    handles.set(id, { fd, release });
    return fd;
  };

  const write = (id: string, record: SessionRecordInput, create = false): void => {
    const stamped = { ...record, at: record.at ?? clock().toISOString() } as SessionRecord;
    const line = `${JSON.stringify(options.redactor.redactDeep(stamped))}\n`;
    const fd = handleFor(id, create);
    writeSync(fd, line);
    fsyncSync(fd);
  };

  const load = (id: string): LoadedSession => {
    const path = transcriptPath(id);
    const text = readFileSync(path, "utf8");
    const { records, dropped, torn } = parseLines(text);
    const replayed = replayRecords(records);
    if (!replayed.meta) throw new Error(`Session file ${path} has no metadata line.`);
    const repaired = repairToolResults(replayed.messages.map((t) => t.message));
    return {
      ...replayed,
      meta: replayed.meta,
      history: repaired.messages,
      repairedToolResults: repaired.repaired,
      records,
      path,
      updatedAt: statSync(path).mtime.toISOString(),
      droppedLines: dropped,
      tornTail: torn,
    };
  };

  const list = (): SessionSummary[] => {
    let ids: string[];
    try {
      ids = readdirSync(sessionsDir);
    } catch {
      return [];
    }
    const out: SessionSummary[] = [];
    for (const id of ids) {
      if (!SAFE_ID.test(id)) continue;
      const path = join(sessionsDir, id, "session.jsonl");
      try {
        const stat = statSync(path);
        const { records } = parseLines(readHead(path, LIST_SCAN_BYTES));
        const { meta } = replayRecords(records.filter((r) => r.type === "meta" || r.type === "meta_update"));
        if (!meta) continue;
        out.push({
          id,
          title: preview(meta.title ?? firstPrompt(records) ?? "(no prompt yet)"),
          model: meta.model,
          createdAt: meta.created_at,
          updatedAt: stat.mtime.toISOString(),
          path,
          ...(meta.forked_from ? { forkedFrom: meta.forked_from } : {}),
        });
      } catch {
        // Unreadable session folders are not listed.
      }
    }
    return out.sort(
      (a, b) => b.updatedAt.localeCompare(a.updatedAt) || b.createdAt.localeCompare(a.createdAt),
    );
  };

  const create = (input: NewSessionMeta, forkedFrom?: string): SessionMeta => {
    const id = input.sessionId ?? idGen();
    assertSafeId(id);
    const meta: SessionMeta = {
      version: SESSION_FORMAT_VERSION,
      session_id: id,
      created_at: clock().toISOString(),
      model: input.model,
      ...(input.cwd !== undefined ? { cwd: input.cwd } : {}),
      ...(input.user !== undefined ? { user: input.user } : {}),
      ...(input.title !== undefined ? { title: input.title } : {}),
      ...(forkedFrom !== undefined ? { forked_from: forkedFrom } : {}),
    };
    write(id, { type: "meta", meta, at: meta.created_at }, true);
    return meta;
  };

  return {
    sessionsDir,
    sessionDir,
    transcriptPath,
    create: (meta) => create(meta),
    claim(id) {
      handleFor(id, false);
    },
    append: (id, record) => write(id, record),
    appendMessage: (id, message) => write(id, { type: "message", message }),
    appendEvent(id, event) {
      if (skip.has(event.type)) return;
      write(id, { type: "event", event });
    },
    undo: (id) => write(id, { type: "undo" }),
    load,
    list,
    resolve(ref) {
      const trimmed = ref.trim();
      if (trimmed === "") return { ok: false, error: "Give a session id, id prefix or list number." };
      const sessions = list();
      const exact = sessions.find((s) => s.id === trimmed);
      if (exact) return { ok: true, id: exact.id };
      if (/^\d+$/.test(trimmed)) {
        const index = Number(trimmed);
        const hit = sessions[index - 1];
        if (hit && index >= 1) return { ok: true, id: hit.id };
      }
      const matches = sessions.filter((s) => s.id.startsWith(trimmed));
      if (matches.length === 1) return { ok: true, id: matches[0]!.id };
      if (matches.length > 1) {
        const ids = matches
          .slice(0, 5)
          .map((s) => s.id)
          .join(", ");
        return {
          ok: false,
          error: `"${trimmed}" matches ${matches.length} sessions (${ids}); give more characters.`,
        };
      }
      return {
        ok: false,
        error: `No session matches "${trimmed}". ${sessions.length} saved session(s); list them to pick one.`,
      };
    },
    fork(id, overrides = {}) {
      const source = load(id);
      const meta = create(
        {
          model: overrides.model ?? source.meta.model,
          cwd: overrides.cwd ?? source.meta.cwd,
          user: overrides.user !== undefined ? overrides.user : source.meta.user,
          title: overrides.title ?? source.meta.title,
          sessionId: overrides.sessionId,
        },
        id,
      );
      write(meta.session_id, { type: "replace", reason: "fork", messages: source.history });
      return meta;
    },
    spill(id, toolCallId, content) {
      const dir = join(sessionDir(id), "tool-outputs");
      mkdirSync(dir, { recursive: true });
      const safe = toolCallId.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 120) || "output";
      const path = join(dir, `${safe}.txt`);
      writeFileSync(path, options.redactor.redact(content));
      return path;
    },
    spillMany(id, items) {
      if (items.length === 0) return [];
      const dir = join(sessionDir(id), "tool-outputs");
      mkdirSync(dir, { recursive: true });
      const path = join(dir, `pruned-${clock().getTime()}-${idGen().slice(0, 8)}.txt`);
      const chunks: string[] = [];
      const locations: string[] = [];
      let line = 1;
      for (const item of items) {
        const body = options.redactor.redact(item.content).replace(/\n?$/, "\n");
        const header = `===== ${item.toolName} output for ${item.toolCallId} =====\n`;
        const bodyLines = body.split("\n").length - 1;
        locations.push(`${path}, lines ${line + 1}-${line + bodyLines}`);
        chunks.push(header, body);
        line += 1 + bodyLines;
      }
      writeFileSync(path, chunks.join(""));
      return locations;
    },
    close(id) {
      for (const [key, handle] of handles) {
        if (id !== undefined && key !== id) continue;
        closeSync(handle.fd);
        handle.release();
        handles.delete(key);
      }
    },
  };
}

/** Resuming someone else's session (or an anonymous one as a user) forks it instead of continuing it. */
export function resumeMode(meta: SessionMeta, currentUser: string | null | undefined): "continue" | "fork" {
  return (meta.user ?? null) === (currentUser ?? null) ? "continue" : "fork";
}
