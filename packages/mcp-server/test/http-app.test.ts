import { describe, expect, test } from "bun:test";
import {
  buildMcpRequest,
  initializeRequest,
  mcpPost,
  openMcpSession,
  parseSse,
} from "@ml-intern/testing/mcp/mcp-http";
import { createMcpHttpApp, type McpHttpAppDeps } from "../src/http-app.ts";
import { createSampleTools } from "./lib/sample-tools.ts";

const URL_ = "http://127.0.0.1:8080/mcp";

function makeApp(overrides: Partial<McpHttpAppDeps> = {}) {
  const sample = createSampleTools();
  const http = createMcpHttpApp({ tools: sample.tools, bindHost: "127.0.0.1", ...overrides });
  return { http, probe: sample.probe, fetch: (r: Request) => http.app.request(r) };
}

const listTools = { jsonrpc: "2.0", id: 2, method: "tools/list" };
const callEcho = (token?: string) => ({
  jsonrpc: "2.0",
  id: 3,
  method: "tools/call",
  params: { name: "echo_text", arguments: { text: token ?? "hi" } },
});

describe("createMcpHttpApp: stateful sessions", () => {
  test("initialize issues a session id; later requests use it; DELETE ends it", async () => {
    const { http, fetch } = makeApp();
    const sessionId = await openMcpSession(fetch, URL_);
    expect(sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(http.sessionCount()).toBe(1);
    const list = await mcpPost(fetch, URL_, listTools, { sessionId: sessionId! });
    expect(list.status).toBe(200);
    const tools = list.messages[0]!.result!.tools as { name: string }[];
    expect(tools.map((t) => t.name)).toContain("echo_text");
    const del = await fetch(buildMcpRequest(URL_, undefined, { sessionId: sessionId!, method: "DELETE" }));
    expect(del.status).toBe(200);
    expect(http.sessionCount()).toBe(0);
    const after = await mcpPost(fetch, URL_, listTools, { sessionId: sessionId! });
    expect(after.status).toBe(404);
    await http.close();
  });

  test("a non-initialize request without a session is 400; an unknown session is 404", async () => {
    const { http, fetch } = makeApp();
    const none = await mcpPost(fetch, URL_, listTools);
    expect(none.status).toBe(400);
    expect(none.messages[0]!.error!.message).toContain("Mcp-Session-Id");
    const unknown = await mcpPost(fetch, URL_, listTools, { sessionId: "no-such-session" });
    expect(unknown.status).toBe(404);
    const garbage = await fetch(
      new Request(URL_, {
        method: "POST",
        headers: {
          host: "127.0.0.1:8080",
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
        },
        body: "{not json",
      }),
    );
    expect(garbage.status).toBe(400);
    await http.close();
  });

  test("idle sessions are closed by the sweeper (injected clock)", async () => {
    let now = 1_000;
    const { http, fetch } = makeApp({ now: () => now, sessionIdleMs: 60_000 });
    const sessionId = await openMcpSession(fetch, URL_);
    now += 30_000;
    expect(await http.sweepIdle()).toBe(0);
    await mcpPost(fetch, URL_, listTools, { sessionId: sessionId! });
    now += 59_000;
    expect(await http.sweepIdle()).toBe(0);
    now += 2_000;
    expect(await http.sweepIdle()).toBe(1);
    expect((await mcpPost(fetch, URL_, listTools, { sessionId: sessionId! })).status).toBe(404);
    await http.close();
  });

  test("beyond maxSessions the least recently used session is closed", async () => {
    let now = 0;
    const { http, fetch } = makeApp({ maxSessions: 2, now: () => ++now });
    const a = await openMcpSession(fetch, URL_);
    const b = await openMcpSession(fetch, URL_);
    await mcpPost(fetch, URL_, listTools, { sessionId: a! });
    await openMcpSession(fetch, URL_);
    expect(http.sessionCount()).toBe(2);
    expect((await mcpPost(fetch, URL_, listTools, { sessionId: b! })).status).toBe(404);
    expect((await mcpPost(fetch, URL_, listTools, { sessionId: a! })).status).toBe(200);
    await http.close();
  });

  test("/health reports mode, sessions and tool count", async () => {
    const { http, fetch } = makeApp();
    await openMcpSession(fetch, URL_);
    const res = await fetch(
      new Request("http://127.0.0.1:8080/health", { headers: { host: "127.0.0.1:8080" } }),
    );
    expect(await res.json()).toEqual({
      status: "ok",
      name: "ml-intern",
      version: "0.1.0",
      mode: "stateful",
      sessions: 1,
      tools: 6,
    });
    await http.close();
  });
});

describe("createMcpHttpApp: resumability", () => {
  test("a client that lost its stream resumes with Last-Event-ID and gets the missed progress and result", async () => {
    const { http, fetch, probe } = makeApp();
    const sessionId = await openMcpSession(fetch, URL_);
    const call = {
      jsonrpc: "2.0",
      id: 5,
      method: "tools/call",
      params: { name: "gated_job", arguments: {}, _meta: { progressToken: "p1" } },
    };
    const response = await fetch(buildMcpRequest(URL_, call, { sessionId: sessionId! }));
    expect(response.headers.get("content-type")).toContain("text/event-stream");
    const reader = response.body!.getReader();
    let text = "";
    let events = parseSse(text);
    while (!events.some((e) => e.message.method === "notifications/progress")) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
      events = parseSse(text);
    }
    const lastId = events.at(-1)!.id!;
    expect(lastId).toBeTruthy();
    await reader.cancel();
    probe.release();

    const resumed = await fetch(
      buildMcpRequest(URL_, undefined, {
        sessionId: sessionId!,
        method: "GET",
        headers: { "last-event-id": lastId, accept: "text/event-stream" },
      }),
    );
    expect(resumed.status).toBe(200);
    const again = resumed.body!.getReader();
    let replay = "";
    while (!parseSse(replay).some((e) => e.message.id === 5)) {
      const { value, done } = await again.read();
      if (done) break;
      replay += new TextDecoder().decode(value);
    }
    await again.cancel();
    const messages = parseSse(replay).map((e) => e.message);
    expect(
      messages.map((m) => (m.params as { message?: string } | undefined)?.message).filter(Boolean),
    ).toEqual(["second half"]);
    expect(JSON.stringify(messages.find((m) => m.id === 5)!.result)).toContain("gated done");
    await http.close();
  });
});

describe("createMcpHttpApp: stateless", () => {
  test("every POST is served without a session; GET is 405", async () => {
    const { http, fetch } = makeApp({ stateless: true });
    const init = await mcpPost(fetch, URL_, initializeRequest());
    expect(init.status).toBe(200);
    expect(init.sessionId).toBeNull();
    const call = await mcpPost(fetch, URL_, callEcho("x"));
    expect(call.status).toBe(200);
    expect(call.messages[0]!.result!.structuredContent).toEqual({ text: "x", length: 1 });
    const get = await fetch(buildMcpRequest(URL_, undefined, { method: "GET" }));
    expect(get.status).toBe(405);
    expect(http.sessionCount()).toBe(0);
    await http.close();
  });
});

describe("createMcpHttpApp: JSON responses", () => {
  test("stateless JSON mode answers with application/json; stateful JSON mode is refused", async () => {
    const { http, fetch } = makeApp({ stateless: true, jsonResponse: true });
    const call = await mcpPost(fetch, URL_, callEcho("j"));
    expect(call.response.headers.get("content-type")).toContain("application/json");
    expect(call.messages[0]!.result!.structuredContent).toEqual({ text: "j", length: 1 });
    await http.close();
    expect(() => makeApp({ jsonResponse: true })).toThrow(/--stateless/);
  });
});

describe("createMcpHttpApp: DNS rebinding, auth and CORS", () => {
  test("on loopback, foreign Host or Origin is 403 and localhost forms pass", async () => {
    const { http, fetch } = makeApp();
    const evilHost = await mcpPost(fetch, URL_, initializeRequest(), {
      headers: { host: "evil.example:8080" },
    });
    expect(evilHost.status).toBe(403);
    const evilOrigin = await mcpPost(fetch, URL_, initializeRequest(), {
      headers: { origin: "http://evil.example" },
    });
    expect(evilOrigin.status).toBe(403);
    for (const host of ["localhost:8080", "127.0.0.1:8080", "[::1]:8080", "localhost"]) {
      const ok = await mcpPost(fetch, URL_, initializeRequest(), {
        headers: { host, origin: `http://${host}` },
      });
      expect(ok.status).toBe(200);
    }
    await http.close();
  });

  test("off loopback an access token is mandatory", () => {
    const { tools } = createSampleTools();
    expect(() => createMcpHttpApp({ tools, bindHost: "0.0.0.0" })).toThrow(/ML_INTERN_MCP_TOKEN/);
  });

  test("with an access token: 401 without or with a wrong one; the caller's HF token comes from X-HF-Token", async () => {
    const { http, fetch, probe } = makeApp({ bindHost: "0.0.0.0", accessToken: "s3cret" });
    const url = "http://mcp.example.com/mcp";
    const missing = await mcpPost(fetch, url, initializeRequest());
    expect(missing.status).toBe(401);
    expect(missing.response.headers.get("www-authenticate")).toContain("Bearer");
    const wrong = await mcpPost(fetch, url, initializeRequest(), {
      headers: { authorization: "Bearer nope" },
    });
    expect(wrong.status).toBe(401);
    const headers = { authorization: "Bearer s3cret" };
    const sessionId = await openMcpSession(fetch, url, headers);
    await mcpPost(fetch, url, callEcho(), { sessionId: sessionId!, headers });
    const alice = { ...headers, "x-hf-token": "hf_alice" };
    const aliceSession = await openMcpSession(fetch, url, alice);
    await mcpPost(fetch, url, callEcho(), { sessionId: aliceSession!, headers: alice });
    expect(probe.seenAuth).toEqual([undefined, "hf_alice"]);
    // A session is bound to the caller who opened it: the other caller's id is unknown to each.
    const crossed = await mcpPost(fetch, url, callEcho(), { sessionId: aliceSession!, headers });
    expect(crossed.status).toBe(404);
    const crossed2 = await mcpPost(fetch, url, callEcho(), { sessionId: sessionId!, headers: alice });
    expect(crossed2.status).toBe(404);
    expect(probe.seenAuth).toEqual([undefined, "hf_alice"]);
    await http.close();
  });

  test("without an access token, Authorization: Bearer is the caller's own HF token, per request", async () => {
    const { http, fetch, probe } = makeApp();
    const bob = { authorization: "Bearer hf_bob" };
    const bobSession = await openMcpSession(fetch, URL_, bob);
    await mcpPost(fetch, URL_, callEcho(), { sessionId: bobSession!, headers: bob });
    const sessionId = await openMcpSession(fetch, URL_);
    await mcpPost(fetch, URL_, callEcho(), { sessionId: sessionId! });
    expect(probe.seenAuth).toEqual(["hf_bob", undefined]);
    // Without bob's token, bob's session id is not found (and nothing ran).
    expect((await mcpPost(fetch, URL_, callEcho(), { sessionId: bobSession! })).status).toBe(404);
    expect(probe.seenAuth).toEqual(["hf_bob", undefined]);
    await http.close();
  });

  test("one caller flooding initialize is rate-limited and, at the session limit, evicts only its own sessions", async () => {
    let clock = 0;
    const { http, fetch } = makeApp({
      now: () => clock,
      maxSessions: 6,
      maxSessionsPerCaller: 4,
      initializeRate: { burst: 5, perSecond: 1 },
    });
    const victim = { authorization: "Bearer hf_victim" };
    const victimSession = await openMcpSession(fetch, URL_, victim);
    const flooder = { authorization: "Bearer hf_flooder" };
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      clock += 10;
      statuses.push((await mcpPost(fetch, URL_, initializeRequest(), { headers: flooder })).status);
    }
    // Burst of 5, then 429 with Retry-After until the bucket refills.
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    expect(statuses.slice(5)).toEqual([429, 429, 429]);
    const limited = await mcpPost(fetch, URL_, initializeRequest(), { headers: flooder });
    expect(limited.response.headers.get("retry-after")).toBe("1");
    for (let i = 0; i < 20; i++) {
      clock += 1000;
      expect((await mcpPost(fetch, URL_, initializeRequest(), { headers: flooder })).status).toBe(200);
    }
    // The flooder holds at most its own quota; the victim's session survived all of it.
    expect(http.sessionCount()).toBe(5);
    expect(
      (await mcpPost(fetch, URL_, callEcho(), { sessionId: victimSession!, headers: victim })).status,
    ).toBe(200);
    await http.close();
  });

  test("CORS preflight allows the MCP headers for a loopback origin and exposes the session id", async () => {
    const { http, fetch } = makeApp();
    const res = await fetch(
      new Request(URL_, {
        method: "OPTIONS",
        headers: {
          host: "127.0.0.1:8080",
          origin: "http://localhost:6274",
          "access-control-request-method": "POST",
          "access-control-request-headers": "content-type,mcp-session-id",
        },
      }),
    );
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("http://localhost:6274");
    expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("mcp-session-id");
    const init = await mcpPost(fetch, URL_, initializeRequest(), {
      headers: { origin: "http://localhost:6274" },
    });
    expect(init.response.headers.get("access-control-expose-headers")?.toLowerCase()).toContain(
      "mcp-session-id",
    );
    await http.close();
  });
});
