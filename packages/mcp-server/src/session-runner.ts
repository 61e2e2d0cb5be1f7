import type { Agent, ToolAuth } from "@ml-intern/core";
import type { RunAgent } from "./agent-run.ts";
import { callerKey, createMemorySessionOwners, type SessionOwners } from "./caller-identity.ts";
import { driveAgentTurn } from "./drive-turn.ts";

export interface OpenedAgent {
  agent: Agent;
  dispose(): Promise<void>;
}

export interface OpenAgentRequest {
  /** Resume this stored session; absent for a new one. */
  sessionId?: string;
  /** True when approvals will be asked through MCP elicitation; false means the headless policy decides. */
  interactive: boolean;
  auth?: ToolAuth;
}

export type OpenAgent = (request: OpenAgentRequest) => Promise<OpenedAgent>;

export interface SessionRunner {
  run: RunAgent;
  /** Live sessions, oldest first. */
  live(): string[];
  dispose(): Promise<void>;
}

export interface SessionRunnerOptions {
  open: OpenAgent;
  /** Live (in-memory) sessions kept in all (default 8). */
  maxLive?: number;
  /** Live sessions one caller may keep; beyond it that caller's own oldest is closed first (default 4). */
  maxLivePerOwner?: number;
  /** Where each session's owner is recorded (default: in memory); use createFileSessionOwners with a store. */
  owners?: SessionOwners;
}

/**
 * A RunAgent over an agent factory: keeps recent sessions alive in memory (so a session id continues
 * the same conversation), refuses concurrent runs on one session, binds every session (live or stored)
 * to the caller who opened it, and disposes least recently used sessions beyond the limits (a caller's own
 * first, so one caller cannot push everyone else's sessions out).
 */
export function createSessionRunner(options: SessionRunnerOptions): SessionRunner {
  const maxLive = options.maxLive ?? 8;
  const maxPerOwner = Math.min(options.maxLivePerOwner ?? 4, maxLive);
  const sessions = new Map<string, OpenedAgent>();
  const owners = options.owners ?? createMemorySessionOwners();
  /** Owner of each live session (a copy of owners.get, so eviction needs no lookups). */
  const liveOwner = new Map<string, string>();
  const ownerOf = (auth: ToolAuth | undefined): string => callerKey(auth?.hfToken);
  const busy = new Set<string>();

  const close = async (id: string) => {
    const opened = sessions.get(id);
    if (!opened) return;
    sessions.delete(id);
    liveOwner.delete(id);
    await opened.dispose().catch(() => {});
  };
  const evict = async (owner: string) => {
    const own = () => [...liveOwner.entries()].filter(([id, o]) => o === owner && !busy.has(id));
    let mine = own().map(([id]) => id);
    while (mine.length > maxPerOwner) {
      await close(mine[0]!);
      mine = own().map(([id]) => id);
    }
    for (const id of [...sessions.keys()]) {
      if (sessions.size <= maxLive) return;
      if (!busy.has(id)) await close(id);
    }
  };

  const run: RunAgent = async (request) => {
    if (request.sessionId && busy.has(request.sessionId)) {
      throw new Error(`Session ${request.sessionId} is already running a task; wait for it to finish.`);
    }
    const caller = ownerOf(request.auth);
    if (request.sessionId && owners.get(request.sessionId) !== caller) {
      // A session keeps the credentials and transcript of whoever opened it, live or evicted: never lend them.
      throw new Error(`Session ${request.sessionId} belongs to another caller; start a new session instead.`);
    }
    let opened = request.sessionId ? sessions.get(request.sessionId) : undefined;
    if (!opened) {
      const openRequest: OpenAgentRequest = { interactive: request.elicit !== undefined };
      if (request.sessionId) openRequest.sessionId = request.sessionId;
      if (request.auth) openRequest.auth = request.auth;
      opened = await options.open(openRequest);
    }
    const id = opened.agent.sessionId;
    sessions.delete(id);
    sessions.set(id, opened);
    if (liveOwner.get(id) !== caller) {
      liveOwner.set(id, caller);
      if (owners.get(id) !== caller) owners.set(id, caller);
    }
    busy.add(id);
    try {
      return await driveAgentTurn(opened.agent, request);
    } finally {
      busy.delete(id);
      await evict(caller);
    }
  };

  return {
    run,
    live: () => [...sessions.keys()],
    async dispose() {
      const all = [...sessions.values()];
      sessions.clear();
      liveOwner.clear();
      await Promise.all(all.map((o) => o.dispose().catch(() => {})));
    },
  };
}
