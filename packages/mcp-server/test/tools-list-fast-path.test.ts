import { describe, expect, test } from "bun:test";
import { type AnyToolDefinition, defineTool, type ToolFilter } from "@ml-intern/core";
import {
  buildMcpRequest,
  initializeRequest,
  MCP_PROTOCOL_VERSION,
  openMcpSession,
  parseSse,
} from "@ml-intern/testing/mcp/mcp-http";
import { z } from "zod";
import type { RunAgent } from "../src/agent-run.ts";
import { createMcpHttpApp, type McpHttpAppDeps } from "../src/http-app.ts";
import { servedToolDefinitions } from "../src/server.ts";
import { toolListResult } from "../src/tool-list.ts";
import { createToolsListFastPath, type ToolsListFastPath } from "../src/tools-list-fast-path.ts";
import { createSampleTools } from "./lib/sample-tools.ts";

const URL_ = "http://127.0.0.1:8080/mcp";

/** Non-ASCII text makes the serialised list a two-byte string in JS: the UTF-8 encoding must still match. */
const accented = defineTool({
  name: "resume_tool",
  description: "Summarises a résumé → a short note ✓ (non-ASCII text, and a \u2028 line separator).",
  toolset: "demo",
  input: z.object({ text: z.string().describe("Texte à résumer") }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async execute(args) {
    return { text: args.text };
  },
});

const runAgent: RunAgent = async () => ({
  sessionId: "s",
  status: "done",
  finalResponse: "done",
  iterations: 1,
});

type Mode = Pick<McpHttpAppDeps, "stateless" | "jsonResponse" | "filter" | "runAgent">;

/** The same app twice: one always through the SDK, one with a counting fast path. */
function appPair(mode: Mode = {}) {
  const tools: AnyToolDefinition[] = [...createSampleTools().tools, accented];
  const base = { tools, bindHost: "127.0.0.1", ...mode };
  // Sessions run long tools as MCP tasks (listed with execution.taskSupport); stateless servers cannot.
  const real = createToolsListFastPath(() =>
    toolListResult(servedToolDefinitions(base), { tasks: !base.stateless }),
  );
  let answered = 0;
  const counting: ToolsListFastPath = {
    async answer(request, body, target) {
      const response = await real.answer(request, body, target);
      if (response) answered++;
      return response;
    },
  };
  const sdk = createMcpHttpApp({ ...base, toolsListFastPath: false });
  const fast = createMcpHttpApp({ ...base, toolsListFastPath: counting });
  return {
    sdk: (r: Request) => sdk.app.request(r),
    fast: (r: Request) => fast.app.request(r),
    answered: () => answered,
    close: async () => {
      await sdk.close();
      await fast.close();
    },
  };
}

/** UUIDs (session and stream ids) numbered by first appearance; everything else kept byte for byte. */
function normalise(text: string): string {
  const seen = new Map<string, string>();
  return text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (uuid) => {
    let name = seen.get(uuid);
    if (!name) {
      name = `<uuid${seen.size + 1}>`;
      seen.set(uuid, name);
    }
    return name;
  });
}

interface Snapshot {
  status: number;
  headers: string;
  body: string;
  bytes: number;
}

async function snapshot(response: Response): Promise<Snapshot> {
  const raw = new Uint8Array(await response.arrayBuffer());
  const headers = [...response.headers.entries()]
    .filter(([name]) => name !== "date" && name !== "content-length" && name !== "transfer-encoding")
    .map(([name, value]) => `${name}: ${name === "mcp-session-id" ? normalise(value) : value}`)
    .sort()
    .join("\n");
  return {
    status: response.status,
    headers,
    body: normalise(new TextDecoder().decode(raw)),
    bytes: raw.length,
  };
}

interface Post {
  body: unknown;
  headers?: Record<string, string>;
}

function post(sessionId: string | null, { body, headers = {} }: Post): Request {
  const request = buildMcpRequest(URL_, body, sessionId ? { sessionId } : {});
  for (const [name, value] of Object.entries(headers)) request.headers.set(name, value);
  return request;
}

/** Runs the same exchange against both apps; both sessions see the same request sequence. */
async function both(pair: ReturnType<typeof appPair>, posts: Post[], stateless = false) {
  const sdkSession = stateless ? null : await openMcpSession(pair.sdk, URL_);
  const fastSession = stateless ? null : await openMcpSession(pair.fast, URL_);
  const sdk: Snapshot[] = [];
  const fast: Snapshot[] = [];
  for (const p of posts) {
    sdk.push(await snapshot(await pair.sdk(post(sdkSession, p))));
    fast.push(await snapshot(await pair.fast(post(fastSession, p))));
  }
  return { sdk, fast, sdkSession, fastSession };
}

const list = (id: string | number | null, extra: Record<string, unknown> = {}) => ({
  jsonrpc: "2.0",
  id,
  method: "tools/list",
  ...extra,
});

describe("tools/list fast path: byte-identical to the SDK transport", () => {
  test("stateful SSE: priming event, event ids, numeric and string ids, empty params", async () => {
    const pair = appPair();
    const { sdk, fast } = await both(pair, [
      { body: list(2) },
      { body: list("list-a", { params: {} }) },
      { body: list(0) },
    ]);
    expect(pair.answered()).toBe(3);
    expect(fast).toEqual(sdk);
    const first = fast[0]!;
    expect(first.status).toBe(200);
    expect(first.headers).toContain("content-type: text/event-stream");
    expect(first.body).toMatch(
      /^id: <uuid1>_\w+\ndata: \n\nevent: message\nid: <uuid1>_\w+\ndata: \{"result"/,
    );
    expect(first.body).toContain("résumé → a short note ✓");
    const events = parseSse(first.body);
    expect(events.map((e) => e.message.id)).toEqual([2]);
    const tools = events[0]!.message.result!.tools as { name: string }[];
    expect(tools.map((t) => t.name)).toContain("resume_tool");
    await pair.close();
  });

  test("stateful SSE for an older protocol version: no priming event, one id", async () => {
    const pair = appPair();
    const { sdk, fast } = await both(pair, [
      { body: list(4), headers: { "mcp-protocol-version": "2025-06-18" } },
      { body: list(5), headers: { "mcp-protocol-version": "2025-03-26" } },
    ]);
    expect(pair.answered()).toBe(2);
    expect(fast).toEqual(sdk);
    expect(fast[0]!.body).toMatch(/^event: message\nid: <uuid1>_\w+\ndata: \{"result"/);
    await pair.close();
  });

  test("with the ml_intern tool and with a read-only filter", async () => {
    for (const mode of [{ runAgent }, { runAgent, filter: { readOnly: true } satisfies ToolFilter }]) {
      const pair = appPair(mode);
      const { sdk, fast } = await both(pair, [{ body: list(9) }]);
      expect(pair.answered()).toBe(1);
      expect(fast).toEqual(sdk);
      const names = (parseSse(fast[0]!.body)[0]!.message.result!.tools as { name: string }[]).map(
        (t) => t.name,
      );
      expect(names.includes("ml_intern")).toBe(!("filter" in mode));
      await pair.close();
    }
  });

  test("stateless SSE: event message without ids or session header", async () => {
    const pair = appPair({ stateless: true });
    const { sdk, fast } = await both(pair, [{ body: list(1) }, { body: list("x", { params: {} }) }], true);
    expect(pair.answered()).toBe(2);
    expect(fast).toEqual(sdk);
    expect(fast[0]!.body).toMatch(/^event: message\ndata: \{"result".*\}\n\n$/s);
    expect(fast[0]!.headers).not.toContain("mcp-session-id");
    await pair.close();
  });

  test("stateless JSON mode: a plain JSON body", async () => {
    const pair = appPair({ stateless: true, jsonResponse: true });
    const { sdk, fast } = await both(pair, [{ body: list(1) }, { body: list("y") }], true);
    expect(pair.answered()).toBe(2);
    expect(fast).toEqual(sdk);
    expect(fast[0]!.headers).toContain("content-type: application/json");
    expect(JSON.parse(fast[1]!.body)).toMatchObject({ jsonrpc: "2.0", id: "y" });
    await pair.close();
  });

  test("anything but a plain tools/list takes the SDK path, with the SDK's answer", async () => {
    const pair = appPair();
    const sse = "application/json, text/event-stream";
    const { sdk, fast } = await both(pair, [
      { body: [list(1)] },
      { body: list(2, { params: { cursor: "abc" } }) },
      { body: list(3, { params: { _meta: { progressToken: "p" } } }) },
      { body: list(1.5) },
      { body: list(null) },
      { body: list(6, { extra: true }) },
      { body: list(7), headers: { accept: "application/json" } },
      { body: list(8), headers: { accept: sse, "content-type": "text/plain" } },
      { body: list(9), headers: { "mcp-protocol-version": "1999-01-01" } },
      {
        body: {
          jsonrpc: "2.0",
          id: 10,
          method: "tools/call",
          params: { name: "echo_text", arguments: { text: "é" } },
        },
      },
    ]);
    expect(pair.answered()).toBe(0);
    expect(fast).toEqual(sdk);
    expect(fast.map((s) => s.status)).toEqual([200, 200, 200, 400, 400, 400, 406, 415, 400, 200]);
    await pair.close();
  });

  test("a session gone or never opened is answered like before (404, 400), not by the fast path", async () => {
    const pair = appPair();
    const unknown = await snapshot(await pair.fast(post("no-such-session", { body: list(1) })));
    const none = await snapshot(await pair.fast(post(null, { body: list(1) })));
    expect([unknown.status, none.status]).toEqual([404, 400]);
    const sessionId = await openMcpSession(pair.fast, URL_);
    await pair.fast(buildMcpRequest(URL_, undefined, { sessionId: sessionId!, method: "DELETE" }));
    expect((await pair.fast(post(sessionId, { body: list(2) }))).status).toBe(404);
    expect(pair.answered()).toBe(0);
    await pair.close();
  });

  test("the answer is stored in the session's event store: Last-Event-ID replays it like the SDK's", async () => {
    const pair = appPair();
    const replays: Snapshot[] = [];
    for (const app of [pair.sdk, pair.fast]) {
      const sessionId = await openMcpSession(app, URL_);
      const first = await (await app(post(sessionId, { body: list(11) }))).text();
      // The priming event (empty data) comes first; resuming after it must replay the answer.
      const primingId = /^id: (\S+)\ndata: \n\n/.exec(first)?.[1] ?? "";
      expect(primingId).not.toBe("");
      const response = await app(
        buildMcpRequest(URL_, undefined, {
          sessionId: sessionId!,
          method: "GET",
          headers: { "last-event-id": primingId, accept: "text/event-stream" },
        }),
      );
      // The replay stream stays open for further events: read up to the replayed answer, then hang up.
      const reader = response.body!.getReader();
      let text = "";
      while (!text.includes('"id":11}\n\n')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      await reader.cancel();
      replays.push({ status: response.status, headers: "", body: normalise(text), bytes: text.length });
    }
    expect(pair.answered()).toBe(1);
    expect(replays[1]).toEqual(replays[0]!);
    const replayed = parseSse(replays[1]!.body);
    expect(replayed.map((e) => e.message.id)).toEqual([11]);
    expect(replayed[0]!.message.result!.tools).toBeArray();
    await pair.close();
  });

  test("the default app uses the fast path for what it serves", async () => {
    const tools = [...createSampleTools().tools, accented];
    const deps = { tools, bindHost: "127.0.0.1", stateless: true, jsonResponse: true };
    const viaDefault = createMcpHttpApp(deps);
    const viaSdk = createMcpHttpApp({ ...deps, toolsListFastPath: false });
    const reference = await (await viaSdk.app.request(post(null, { body: list(3) }))).text();
    const answered = await (await viaDefault.app.request(post(null, { body: list(3) }))).text();
    expect(answered).toBe(reference);
    await viaDefault.close();
    await viaSdk.close();
  });
});

describe("createToolsListFastPath", () => {
  const fastPath = createToolsListFastPath(() => ({
    tools: [{ name: "t", inputSchema: { type: "object" } }],
  }));

  test("answers plain tools/list POSTs and declines the rest", async () => {
    const make = (body: unknown, method = "POST") =>
      new Request(URL_, {
        method,
        headers: {
          "content-type": "application/json; charset=utf-8",
          accept: "application/json, text/event-stream",
          "mcp-protocol-version": MCP_PROTOCOL_VERSION,
        },
        ...(method === "POST" ? { body: JSON.stringify(body) } : {}),
      });
    const json = await fastPath.answer(make(list(1)), list(1), { json: true });
    expect(await json!.text()).toBe(
      '{"result":{"tools":[{"name":"t","inputSchema":{"type":"object"}}]},"jsonrpc":"2.0","id":1}',
    );
    expect(await fastPath.answer(make(initializeRequest()), initializeRequest(), {})).toBeUndefined();
    expect(await fastPath.answer(make(undefined, "GET"), list(1), {})).toBeUndefined();
    expect(await fastPath.answer(make(list(1)), list(1, { params: [] }), {})).toBeUndefined();
    expect(await fastPath.answer(make(list(1)), { ...list(1), jsonrpc: "1.0" }, {})).toBeUndefined();
  });
});
