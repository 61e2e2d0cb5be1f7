import type {
  CreateTaskOptions,
  TaskStore,
} from "@modelcontextprotocol/sdk/experimental/tasks/interfaces.js";
import {
  ErrorCode,
  McpError,
  type Request,
  type RequestId,
  type Result,
  type Task,
} from "@modelcontextprotocol/sdk/types.js";

export interface McpTaskStoreOptions {
  /** How long a finished task and its result are kept when the client asks for no ttl (default 1 h). */
  defaultTtlMs?: number;
  /** The longest ttl granted, whatever the client asks (default 24 h). */
  maxTtlMs?: number;
  /** Suggested interval between tasks/get polls (default 1 s). */
  pollIntervalMs?: number;
  /** Tasks still working at once per session; one more is refused (default 8). */
  maxWorkingTasks?: number;
  /** Tasks kept per session, finished ones included; the oldest finished go first (default 100). */
  maxTasks?: number;
  now?: () => number;
}

/** The SDK's task store plus what the server needs to run tasks: cancellation hooks and progress lines. */
export interface McpTaskStore extends TaskStore {
  /** Runs `listener` once when the task is cancelled (tasks/cancel); returns an unsubscribe function. */
  onCancel(taskId: string, listener: () => void): () => void;
  /** Records the latest progress line of a working task as its statusMessage (no notification). */
  setStatusMessage(taskId: string, message: string, sessionId?: string): void;
  /** Tasks still working, across sessions (an HTTP session holding one is not idle). */
  workingCount(sessionId?: string): number;
  /** Cancels every working task (the server is closing). */
  cancelAll(reason: string): void;
}

interface Entry {
  task: Task;
  sessionId: string | undefined;
  result?: Result;
  cancelListeners: Set<() => void>;
}

const TERMINAL = new Set<Task["status"]>(["completed", "failed", "cancelled"]);
export const isTerminalStatus = (status: Task["status"]): boolean => TERMINAL.has(status);

/**
 * In-memory task state for one MCP server instance (a stdio process or an HTTP session), so a client that
 * drops its connection and comes back to the same session finds its tasks. Bounded: ttl clamped, working
 * and kept tasks capped per session, finished tasks expire ttl after they finish (a working task never
 * expires under a long run). A cancelled task keeps the result its work produced once it stopped.
 */
export function createMcpTaskStore(options: McpTaskStoreOptions = {}): McpTaskStore {
  const now = options.now ?? Date.now;
  const defaultTtl = options.defaultTtlMs ?? 60 * 60_000;
  const maxTtl = options.maxTtlMs ?? 24 * 60 * 60_000;
  const pollInterval = options.pollIntervalMs ?? 1000;
  const maxWorking = options.maxWorkingTasks ?? 8;
  const maxTasks = options.maxTasks ?? 100;
  const entries = new Map<string, Entry>();

  const iso = () => new Date(now()).toISOString();
  const expired = (e: Entry) =>
    isTerminalStatus(e.task.status) &&
    e.task.ttl !== null &&
    Date.parse(e.task.lastUpdatedAt) + e.task.ttl <= now();
  const purge = () => {
    for (const [id, e] of entries) if (expired(e)) entries.delete(id);
  };
  // A store serves one server instance; the session check keeps stateful HTTP sessions apart all the same.
  const lookup = (taskId: string, sessionId: string | undefined): Entry | undefined => {
    purge();
    const e = entries.get(taskId);
    if (!e || (e.sessionId !== undefined && sessionId !== undefined && e.sessionId !== sessionId))
      return undefined;
    return e;
  };
  const require = (taskId: string, sessionId: string | undefined): Entry => {
    const e = lookup(taskId, sessionId);
    if (!e) throw new McpError(ErrorCode.InvalidParams, `Task not found: ${taskId}`);
    return e;
  };
  const ofSession = (sessionId: string | undefined) =>
    [...entries.values()].filter((e) => sessionId === undefined || e.sessionId === sessionId);
  const touch = (e: Entry) => {
    e.task.lastUpdatedAt = iso();
  };
  const fireCancel = (e: Entry) => {
    const listeners = [...e.cancelListeners];
    e.cancelListeners.clear();
    for (const listener of listeners) listener();
  };

  return {
    async createTask(
      params: CreateTaskOptions,
      _requestId: RequestId,
      _request: Request,
      sessionId?: string,
    ) {
      purge();
      const mine = ofSession(sessionId);
      if (mine.filter((e) => !isTerminalStatus(e.task.status)).length >= maxWorking) {
        throw new McpError(
          ErrorCode.InvalidRequest,
          `Too many tasks running (${maxWorking}): wait for one to finish or cancel one with tasks/cancel.`,
        );
      }
      const finished = mine.filter((e) => isTerminalStatus(e.task.status));
      for (let excess = mine.length - maxTasks + 1; excess > 0 && finished.length > 0; excess--) {
        entries.delete(finished.shift()!.task.taskId);
      }
      const requested = params.ttl === null || params.ttl === undefined ? defaultTtl : params.ttl;
      const at = iso();
      const task: Task = {
        taskId: crypto.randomUUID(),
        status: "working",
        ttl: Math.max(0, Math.min(requested, maxTtl)),
        createdAt: at,
        lastUpdatedAt: at,
        pollInterval: params.pollInterval ?? pollInterval,
      };
      entries.set(task.taskId, { task, sessionId, cancelListeners: new Set() });
      return { ...task };
    },

    async getTask(taskId, sessionId) {
      const e = lookup(taskId, sessionId);
      return e ? { ...e.task } : null;
    },

    async storeTaskResult(taskId, status, result, sessionId) {
      const e = require(taskId, sessionId);
      if (e.result !== undefined) throw new Error(`Task ${taskId} already has a result.`);
      e.result = result;
      // A task cancelled while its work wound down keeps "cancelled" and gains the work's last word.
      if (e.task.status !== "cancelled") e.task.status = status;
      e.cancelListeners.clear();
      touch(e);
    },

    async getTaskResult(taskId, sessionId) {
      const e = require(taskId, sessionId);
      if (e.result !== undefined) return e.result;
      if (e.task.status === "cancelled") {
        return {
          content: [{ type: "text", text: "The task was cancelled before it produced a result." }],
          isError: true,
        };
      }
      throw new McpError(ErrorCode.InvalidParams, `Task ${taskId} has no result yet.`);
    },

    async updateTaskStatus(taskId, status, statusMessage, sessionId) {
      const e = require(taskId, sessionId);
      if (isTerminalStatus(e.task.status)) {
        throw new McpError(ErrorCode.InvalidParams, `Task ${taskId} already ended (${e.task.status}).`);
      }
      e.task.status = status;
      if (statusMessage !== undefined) e.task.statusMessage = statusMessage;
      touch(e);
      if (status === "cancelled") fireCancel(e);
    },

    async listTasks(cursor, sessionId) {
      const PAGE = 50;
      const ids = ofSession(sessionId).map((e) => e.task.taskId);
      let start = 0;
      if (cursor !== undefined) {
        const at = ids.indexOf(cursor);
        if (at < 0) throw new McpError(ErrorCode.InvalidParams, `Invalid cursor: ${cursor}`);
        start = at + 1;
      }
      const page = ids.slice(start, start + PAGE);
      const tasks = page.map((id) => ({ ...entries.get(id)!.task }));
      return start + PAGE < ids.length ? { tasks, nextCursor: page.at(-1)! } : { tasks };
    },

    onCancel(taskId, listener) {
      const e = entries.get(taskId);
      if (!e) return () => {};
      e.cancelListeners.add(listener);
      return () => e.cancelListeners.delete(listener);
    },

    setStatusMessage(taskId, message, sessionId) {
      const e = lookup(taskId, sessionId);
      if (!e || isTerminalStatus(e.task.status)) return;
      e.task.statusMessage = message;
      touch(e);
    },

    workingCount(sessionId) {
      return ofSession(sessionId).filter((e) => !isTerminalStatus(e.task.status)).length;
    },

    cancelAll(reason) {
      for (const e of entries.values()) {
        if (isTerminalStatus(e.task.status)) continue;
        e.task.status = "cancelled";
        e.task.statusMessage = reason;
        touch(e);
        fireCancel(e);
      }
    },
  };
}
