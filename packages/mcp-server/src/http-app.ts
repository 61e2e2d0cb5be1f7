import type { AnyToolDefinition } from "@ml-intern/core";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import {
  type EventStore,
  WebStandardStreamableHTTPServerTransport,
} from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import { AjvJsonSchemaValidator } from "@modelcontextprotocol/sdk/validation/ajv-provider.js";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { bearerToken, tokensEqual } from "./bearer.ts";
import { callerKey } from "./caller-identity.ts";
import { createMemoryEventStore } from "./event-store.ts";
import { createHostGuard, isLoopbackHost } from "./host-guard.ts";
import {
  createMcpServer,
  type McpServerDeps,
  SERVER_NAME,
  SERVER_VERSION,
  servedToolDefinitions,
} from "./server.ts";
import { createMcpTaskStore, type McpTaskStore } from "./task-store.ts";
import { toolListResult } from "./tool-list.ts";
import { createToolsListFastPath, type ToolsListFastPath } from "./tools-list-fast-path.ts";

export interface McpHttpAppDeps
  extends Omit<McpServerDeps, "getAuth" | "jsonSchemaValidator" | "tools" | "tasks"> {
  tools: readonly AnyToolDefinition[];
  /** The address the server listens on; loopback enables DNS-rebinding checks, anything else needs accessToken. */
  bindHost: string;
  /** Required bearer token (ML_INTERN_MCP_TOKEN); mandatory on non-loopback addresses. */
  accessToken?: string;
  /** No sessions: a fresh server per request (for replicas behind a load balancer). */
  stateless?: boolean;
  /**
   * Stateless only: answer POSTs with plain JSON instead of an SSE stream (no progress streaming).
   * Refused in stateful mode: SDK 1.32's JSON mode never frees a session transport's per-request stream
   * entry, so a long session's memory grows with every request.
   */
  jsonResponse?: boolean;
  allowedHosts?: readonly string[];
  allowedOrigins?: readonly string[];
  /** CORS origins for browser clients; default: loopback origins on loopback, "*" elsewhere. */
  corsOrigins?: readonly string[];
  /** Sessions with no request and no streamed event for this long are closed (default 30 min). */
  sessionIdleMs?: number;
  /**
   * Beyond this many sessions in all, the least recently used session of the caller (or address) holding the
   * most is closed (default 1000), so one flooding client cannot push everyone else's sessions out.
   */
  maxSessions?: number;
  /** Sessions one caller (caller key, see callerKey) may hold; beyond it its own oldest is closed (default 100). */
  maxSessionsPerCaller?: number;
  /** Sessions one client address may hold (default 200); beyond it that address's oldest is closed. */
  maxSessionsPerAddress?: number;
  /** initialize requests per caller and per address: a burst, refilled per second (default 30, 5/s); then 429. */
  initializeRate?: { burst: number; perSecond: number };
  /** SSE events kept per session for Last-Event-ID resumption (default 256 events, 256 KiB). */
  eventsPerSession?: { maxEvents?: number; maxBytes?: number };
  keepAliveMs?: number;
  /**
   * Answers plain `tools/list` requests from one pre-serialised result, with the SDK transport's exact bytes
   * (default: createToolsListFastPath over the served tools). false sends every request through the SDK.
   */
  toolsListFastPath?: ToolsListFastPath | false;
  now?: () => number;
  log?: (message: string) => void;
}

/** What the HTTP server knows about the connection (Bun.serve's requestIP). */
export interface ConnectionInfo {
  address?: string;
}

export interface McpHttpApp {
  app: Hono<{ Bindings: ConnectionInfo }>;
  fetch(request: Request, connection?: ConnectionInfo): Promise<Response>;
  sessionCount(): number;
  /** Closes sessions idle beyond sessionIdleMs; returns how many. (Also runs on a timer.) */
  sweepIdle(): Promise<number>;
  close(): Promise<void>;
}

interface LiveSession {
  transport: WebStandardStreamableHTTPServerTransport;
  eventStore: EventStore;
  close(): Promise<void>;
  lastSeen: number;
  /** The session's MCP tasks: one still working keeps the session from being swept as idle. */
  tasks: McpTaskStore;
  /** Caller key of whoever initialized it: another caller presenting its id gets 404. */
  owner: string;
  address: string;
}

interface Bucket {
  tokens: number;
  at: number;
}

const CALLER_TOKEN_HEADER = "x-hf-token";

function rpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}

function loopbackOrigin(origin: string): boolean {
  // hono's cors passes "" when there is no Origin header (the usual case): no URL parse, no exception.
  if (!origin) return false;
  try {
    return isLoopbackHost(new URL(origin).hostname);
  } catch {
    return false;
  }
}

/**
 * ML Intern over Streamable HTTP on hono: `/mcp` (stateful sessions with resumability, or stateless),
 * `/health`, CORS, DNS-rebinding checks on loopback, a bearer token elsewhere, and the caller's own
 * HF token (Authorization when no access token is configured, else `X-HF-Token`) passed to tools.
 */
export function createMcpHttpApp(deps: McpHttpAppDeps): McpHttpApp {
  const loopback = isLoopbackHost(deps.bindHost);
  if (deps.jsonResponse && !deps.stateless) {
    throw new Error(
      "JSON responses are only supported with --stateless (they leak memory in stateful sessions).",
    );
  }
  if (!loopback && !deps.accessToken) {
    throw new Error(
      `Refusing to serve MCP on non-loopback address ${deps.bindHost} without an access token: set ML_INTERN_MCP_TOKEN.`,
    );
  }
  const now = deps.now ?? Date.now;
  const idleMs = deps.sessionIdleMs ?? 30 * 60_000;
  const maxSessions = deps.maxSessions ?? 1000;
  const maxPerCaller = deps.maxSessionsPerCaller ?? 100;
  const maxPerAddress = deps.maxSessionsPerAddress ?? 200;
  const rate = deps.initializeRate ?? { burst: 30, perSecond: 5 };
  const buckets = new Map<string, Bucket>();
  /** Token bucket per key; true when one initialize may proceed. */
  const takeInitialize = (key: string): boolean => {
    const t = now();
    const b = buckets.get(key) ?? { tokens: rate.burst, at: t };
    b.tokens = Math.min(rate.burst, b.tokens + ((t - b.at) / 1000) * rate.perSecond);
    b.at = t;
    buckets.set(key, b);
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  };
  const validator = new AjvJsonSchemaValidator();
  const sessions = new Map<string, LiveSession>();
  const served = servedToolDefinitions(deps);
  const toolCount = served.length;
  const fastList =
    deps.toolsListFastPath === false
      ? undefined
      : (deps.toolsListFastPath ??
        createToolsListFastPath(() => toolListResult(served, { tasks: !deps.stateless })));

  const serverDeps: McpServerDeps = {
    ...deps,
    jsonSchemaValidator: validator,
    getAuth: (extra) => (extra.authInfo?.token ? { hfToken: extra.authInfo.token } : undefined),
  };

  const callerAuth = (request: Request): AuthInfo | undefined => {
    const explicit = request.headers.get(CALLER_TOKEN_HEADER)?.trim();
    const token =
      explicit || (deps.accessToken ? undefined : bearerToken(request.headers.get("authorization")));
    return token ? { token, clientId: "mcp-http", scopes: [] } : undefined;
  };

  const closeSession = async (id: string) => {
    const live = sessions.get(id);
    if (!live) return;
    sessions.delete(id);
    await live.close().catch(() => {});
  };

  const oldestOf = (match: (s: LiveSession) => boolean) =>
    [...sessions.entries()].filter(([, s]) => match(s)).sort((a, b) => a[1].lastSeen - b[1].lastSeen)[0];
  const count = (match: (s: LiveSession) => boolean) => [...sessions.values()].filter(match).length;

  /** Makes room for one more session of (owner, address), closing only the sessions of whoever holds too many. */
  const makeRoom = async (owner: string, address: string) => {
    const limits: [(s: LiveSession) => boolean, number, string][] = [
      [(s) => s.owner === owner, maxPerCaller, "per caller"],
      [(s) => s.address === address, maxPerAddress, "per address"],
    ];
    for (const [match, limit, label] of limits) {
      while (count(match) >= limit) {
        const oldest = oldestOf(match);
        if (!oldest) break;
        deps.log?.(`mcp: closing least recently used session ${oldest[0]} (limit ${limit} ${label})`);
        await closeSession(oldest[0]);
      }
    }
    while (sessions.size >= maxSessions) {
      const perOwner = new Map<string, number>();
      for (const s of sessions.values()) perOwner.set(s.owner, (perOwner.get(s.owner) ?? 0) + 1);
      const biggest = [...perOwner.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      const oldest = oldestOf((s) => s.owner === biggest);
      if (!oldest) return;
      deps.log?.(`mcp: closing least recently used session ${oldest[0]} (limit ${maxSessions})`);
      await closeSession(oldest[0]);
    }
  };

  const openSession = async (
    request: Request,
    body: unknown,
    auth: AuthInfo | undefined,
    address: string,
  ) => {
    const owner = callerKey(auth?.token);
    await makeRoom(owner, address);
    const tasks = createMcpTaskStore();
    const server = createMcpServer({ ...serverDeps, tasks });
    let live: LiveSession | undefined;
    const eventStore = createMemoryEventStore({
      ...deps.eventsPerSession,
      // Streamed progress of a long call keeps its session from being swept as idle.
      onStore: () => {
        if (live) live.lastSeen = now();
      },
    });
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: () => crypto.randomUUID(),
      eventStore,
      keepAliveMs: deps.keepAliveMs ?? 15_000,
      onsessioninitialized: (id) => {
        live = { transport, eventStore, close: () => server.close(), lastSeen: now(), tasks, owner, address };
        sessions.set(id, live);
      },
      onsessionclosed: (id) => {
        sessions.delete(id);
      },
    });
    await server.connect(transport);
    return transport.handleRequest(request, { parsedBody: body, authInfo: auth });
  };

  const handleStateless = async (request: Request, body: unknown, auth: AuthInfo | undefined) => {
    if (request.method !== "POST") {
      return rpcError(405, -32000, "Method not allowed: this server is stateless; use POST.", {
        allow: "POST",
      });
    }
    const fast = await fastList?.answer(request, body, { json: deps.jsonResponse ?? false });
    if (fast) return fast;
    const server = createMcpServer({ ...serverDeps, tasks: false });
    const transport = new WebStandardStreamableHTTPServerTransport({
      enableJsonResponse: deps.jsonResponse ?? false,
    });
    await server.connect(transport);
    return transport.handleRequest(request, { parsedBody: body, authInfo: auth });
  };

  const app = new Hono<{ Bindings: ConnectionInfo }>();
  const corsOrigins = deps.corsOrigins;
  app.use(
    "*",
    cors({
      origin: (origin) => {
        if (corsOrigins) return corsOrigins.includes("*") || corsOrigins.includes(origin) ? origin : null;
        if (loopback) return loopbackOrigin(origin) ? origin : null;
        return "*";
      },
      allowMethods: ["GET", "POST", "DELETE", "OPTIONS"],
      allowHeaders: [
        "Content-Type",
        "Accept",
        "Authorization",
        "Mcp-Session-Id",
        "Mcp-Protocol-Version",
        "Last-Event-ID",
        "X-HF-Token",
      ],
      exposeHeaders: ["Mcp-Session-Id", "Mcp-Protocol-Version", "WWW-Authenticate"],
      maxAge: 600,
    }),
  );
  const hostGuard = createHostGuard({
    bindHost: deps.bindHost,
    allowedHosts: deps.allowedHosts,
    allowedOrigins: deps.allowedOrigins,
  });
  app.use("*", async (c, next) => {
    const verdict = hostGuard(c.req.header("host"), c.req.header("origin"));
    if (!verdict.ok) return rpcError(403, -32000, `Forbidden: ${verdict.reason}`);
    await next();
  });

  app.get("/health", (c) =>
    c.json({
      status: "ok",
      name: SERVER_NAME,
      version: SERVER_VERSION,
      mode: deps.stateless ? "stateless" : "stateful",
      sessions: sessions.size,
      tools: toolCount,
    }),
  );

  app.all("/mcp", async (c) => {
    const request = c.req.raw;
    if (deps.accessToken) {
      const presented = bearerToken(request.headers.get("authorization"));
      if (!presented || !tokensEqual(presented, deps.accessToken)) {
        return rpcError(401, -32001, "Unauthorized: send Authorization: Bearer <ML_INTERN_MCP_TOKEN>.", {
          "www-authenticate": 'Bearer realm="ml-intern"',
        });
      }
    }
    const auth = callerAuth(request);
    let body: unknown;
    if (request.method === "POST") {
      try {
        body = await request.json();
      } catch {
        return rpcError(400, -32700, "Parse error: the body is not valid JSON.");
      }
    }
    if (deps.stateless) return handleStateless(request, body, auth);

    const sessionId = request.headers.get("mcp-session-id");
    if (sessionId) {
      const live = sessions.get(sessionId);
      // Another caller's session id is answered like an unknown one: ids are not capabilities.
      if (!live || live.owner !== callerKey(auth?.token)) {
        return rpcError(404, -32001, "Session not found: initialize a new session.");
      }
      live.lastSeen = now();
      const fast = await fastList?.answer(request, body, { sessionId, eventStore: live.eventStore });
      return fast ?? live.transport.handleRequest(request, { parsedBody: body, authInfo: auth });
    }
    const initializing =
      request.method === "POST" &&
      (isInitializeRequest(body) || (Array.isArray(body) && body.some((m) => isInitializeRequest(m))));
    if (!initializing) {
      return rpcError(400, -32000, "Bad Request: no valid Mcp-Session-Id; send initialize first.");
    }
    const address = c.env?.address ?? "";
    if (
      !takeInitialize(`caller:${callerKey(auth?.token)}`) ||
      (address && !takeInitialize(`addr:${address}`))
    ) {
      return rpcError(429, -32000, "Too many new sessions: slow down and reuse your Mcp-Session-Id.", {
        "retry-after": String(Math.max(1, Math.ceil(1 / rate.perSecond))),
      });
    }
    return openSession(request, body, auth, address);
  });

  const sweepIdle = async () => {
    const cutoff = now() - idleMs;
    const stale = [...sessions.entries()]
      .filter(([, s]) => s.lastSeen < cutoff && s.tasks.workingCount() === 0)
      .map(([id]) => id);
    for (const id of stale) await closeSession(id);
    return stale.length;
  };
  const timer = setInterval(() => void sweepIdle(), Math.min(idleMs, 60_000));
  timer.unref?.();

  return {
    app,
    fetch: async (request, connection = {}) => app.fetch(request, connection),
    sessionCount: () => sessions.size,
    sweepIdle,
    async close() {
      clearInterval(timer);
      await Promise.all([...sessions.keys()].map(closeSession));
    },
  };
}
