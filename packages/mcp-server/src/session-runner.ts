import { createHash } from "node:crypto";
import type { Agent, ToolAuth } from "@ml-intern/core";
import type { RunAgent } from "./agent-run.ts";
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

/**
 * A RunAgent over an agent factory: keeps recent sessions alive in memory (so a session id continues
 * the same conversation), refuses concurrent runs on one session and disposes the least recently used
 * session beyond `maxLive`.
 */
export function createSessionRunner(options: { open: OpenAgent; maxLive?: number }): SessionRunner {
  const maxLive = options.maxLive ?? 8;
  const sessions = new Map<string, OpenedAgent>();
  /** Who opened each live session: a hash of the caller's token ("" for the server's own). */
  const owners = new Map<string, string>();
  const ownerOf = (auth: ToolAuth | undefined): string =>
    auth?.hfToken ? createHash("sha256").update(auth.hfToken).digest("hex") : "";
  const busy = new Set<string>();

  const evict = async () => {
    for (const [id, opened] of sessions) {
      if (sessions.size <= maxLive) return;
      if (busy.has(id)) continue;
      sessions.delete(id);
      owners.delete(id);
      await opened.dispose().catch(() => {});
    }
  };

  const run: RunAgent = async (request) => {
    if (request.sessionId && busy.has(request.sessionId)) {
      throw new Error(`Session ${request.sessionId} is already running a task; wait for it to finish.`);
    }
    let opened = request.sessionId ? sessions.get(request.sessionId) : undefined;
    if (opened && owners.get(opened.agent.sessionId) !== ownerOf(request.auth)) {
      // A live session keeps the credentials of whoever opened it: never lend them to another caller.
      throw new Error(`Session ${request.sessionId} belongs to another caller; start a new session instead.`);
    }
    if (!opened) {
      const openRequest: OpenAgentRequest = { interactive: request.elicit !== undefined };
      if (request.sessionId) openRequest.sessionId = request.sessionId;
      if (request.auth) openRequest.auth = request.auth;
      opened = await options.open(openRequest);
    }
    const id = opened.agent.sessionId;
    sessions.delete(id);
    sessions.set(id, opened);
    owners.set(id, ownerOf(request.auth));
    busy.add(id);
    try {
      return await driveAgentTurn(opened.agent, request);
    } finally {
      busy.delete(id);
      await evict();
    }
  };

  return {
    run,
    live: () => [...sessions.keys()],
    async dispose() {
      const all = [...sessions.values()];
      sessions.clear();
      owners.clear();
      await Promise.all(all.map((o) => o.dispose().catch(() => {})));
    },
  };
}
