import { describe, expect, test } from "bun:test";
import { createTempDir } from "@ml-intern/testing";
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import { parseMcpArgs, UsageError } from "../src/cli-args.ts";
import { createMemoryEventStore } from "../src/event-store.ts";
import { checkHostAndOrigin, hostnameOf } from "../src/host-guard.ts";
import { createMcpServer } from "../src/server.ts";
import { traceSourceFromStore } from "../src/session-resources.ts";
import { connectInMemory } from "./lib/connect.ts";

const note = (n: number): JSONRPCMessage => ({
  jsonrpc: "2.0",
  method: "notifications/message",
  params: { n },
});

describe("memory event store", () => {
  test("replays only the events after Last-Event-ID on the same stream, bounded by capacity", async () => {
    const store = createMemoryEventStore({ maxEvents: 4 });
    const a1 = await store.storeEvent("a", note(1));
    await store.storeEvent("b", note(2));
    await store.storeEvent("a", note(3));
    await store.storeEvent("a", note(4));
    const replayed: JSONRPCMessage[] = [];
    const stream = await store.replayEventsAfter(a1, { send: async (_id, m) => void replayed.push(m) });
    expect(stream).toBe("a");
    expect(replayed).toEqual([note(3), note(4)]);
    expect(await store.getStreamIdForEventId!(a1)).toBe("a");
    await store.storeEvent("a", note(5));
    await store.storeEvent("a", note(6));
    expect(store.size()).toBe(4);
  });

  test("reports every stored event (it keeps a streaming session from being swept)", async () => {
    let stored = 0;
    const store = createMemoryEventStore({ onStore: () => stored++ });
    await store.storeEvent("s", note(1));
    await store.storeEvent("s", note(2));
    expect(stored).toBe(2);
  });

  test("drops the oldest events beyond the byte budget", async () => {
    const store = createMemoryEventStore({ maxBytes: 1000 });
    const big = (n: number): JSONRPCMessage => ({ jsonrpc: "2.0", id: n, result: { pad: "x".repeat(400) } });
    const first = await store.storeEvent("s", big(1));
    await store.storeEvent("s", big(2));
    await store.storeEvent("s", big(3));
    expect(store.size()).toBe(2);
    expect(store.bytes()).toBeLessThanOrEqual(1000);
    const replayed: JSONRPCMessage[] = [];
    await store.replayEventsAfter(first, { send: async (_id, m) => void replayed.push(m) });
    expect(replayed).toEqual([big(2), big(3)]);
  });
});

describe("memory event store: long runs", () => {
  test("thousands of events through a small store keep replay exact (eviction and compaction)", async () => {
    const store = createMemoryEventStore({ maxEvents: 8 });
    const ids: string[] = [];
    for (let n = 1; n <= 5000; n++) ids.push(await store.storeEvent(n % 2 ? "odd" : "even", note(n)));
    expect(store.size()).toBe(8);
    const replayed: JSONRPCMessage[] = [];
    await store.replayEventsAfter(ids[4992 - 1]!, { send: async (_id, m) => void replayed.push(m) });
    expect(replayed).toEqual([note(4994), note(4996), note(4998), note(5000)]);
  });

  test("events stored while a replay is sending do not disturb it", async () => {
    const store = createMemoryEventStore({ maxEvents: 4 });
    const first = await store.storeEvent("a", note(1));
    await store.storeEvent("a", note(2));
    await store.storeEvent("a", note(3));
    const replayed: JSONRPCMessage[] = [];
    let extra = 100;
    await store.replayEventsAfter(first, {
      send: async (_id, m) => {
        replayed.push(m);
        // Enough new events to evict (and compact away) everything the replay started from.
        for (let i = 0; i < 70; i++) await store.storeEvent("b", note(extra++));
      },
    });
    expect(replayed).toEqual([note(2), note(3)]);
    expect(store.size()).toBe(4);
  });
});

describe("host guard", () => {
  test("parses host headers", () => {
    expect(hostnameOf("LocalHost:8080")).toBe("localhost");
    expect(hostnameOf("[::1]:3000")).toBe("[::1]");
  });
  test("off loopback, configured hosts and origins are enforced; otherwise anything passes", () => {
    const open = { bindHost: "0.0.0.0" };
    expect(checkHostAndOrigin(open, "anything.example", "https://x.example").ok).toBe(true);
    const strict = {
      bindHost: "0.0.0.0",
      allowedHosts: ["mcp.example.com"],
      allowedOrigins: ["https://app.example.com"],
    };
    expect(checkHostAndOrigin(strict, "mcp.example.com:443", "https://app.example.com").ok).toBe(true);
    expect(checkHostAndOrigin(strict, "evil.example", undefined).ok).toBe(false);
    expect(checkHostAndOrigin(strict, "mcp.example.com", "https://evil.example").ok).toBe(false);
    expect(checkHostAndOrigin({ bindHost: "127.0.0.1" }, "localhost", "null").ok).toBe(false);
  });
});

describe("parseMcpArgs", () => {
  test("parses every flag, with = and separate values", () => {
    const args = parseMcpArgs([
      "--transport=http",
      "--host",
      "0.0.0.0",
      "--port",
      "9000",
      "--stateless",
      "--toolsets",
      "hf-docs, github",
      "--tools=hf_jobs",
      "--exclude-tools",
      "web_search",
      "--read-only",
      "--model",
      "moonshotai/Kimi-K2.6:novita",
    ]);
    expect(args).toMatchObject({
      transport: "http",
      host: "0.0.0.0",
      port: 9000,
      stateless: true,
      model: "moonshotai/Kimi-K2.6:novita",
      filter: {
        toolsets: ["hf-docs", "github"],
        tools: ["hf_jobs"],
        excludeTools: ["web_search"],
        readOnly: true,
      },
    });
  });
  test("rejects missing values, unknown flags and flags that do not fit the transport", () => {
    expect(() => parseMcpArgs(["--port"])).toThrow(UsageError);
    expect(() => parseMcpArgs(["--port", "70000"])).toThrow("--port must be 0-65535");
    expect(() => parseMcpArgs(["--read-only=yes"])).toThrow("takes no value");
    expect(() => parseMcpArgs(["--dangerously-no-sandbox"])).toThrow("--enable-local-tools");
    expect(() => parseMcpArgs(["--transport", "http", "--json-response"])).toThrow(
      "--json-response needs --stateless",
    );
  });
});

describe("session trace resources", () => {
  test("lists sessions and reads a trace; unknown or unsafe ids are errors", async () => {
    await using dir = await createTempDir();
    await Bun.write(`${dir.path}/s1/session.jsonl`, '{"type":"meta"}\n');
    const traces = traceSourceFromStore({
      list: () => [{ id: "s1", title: "Fine-tune", updatedAt: "2026-01-01T00:00:00Z", model: "m" }],
      transcriptPath: (id) => `${dir.path}/${id}/session.jsonl`,
    });
    const { client, close } = await connectInMemory(createMcpServer({ tools: [], traces }));
    const listed = await client.listResources();
    expect(listed.resources).toEqual([
      expect.objectContaining({
        uri: "ml-intern://sessions/s1",
        title: "Fine-tune",
        mimeType: "application/x-ndjson",
      }),
    ]);
    const read = await client.readResource({ uri: "ml-intern://sessions/s1" });
    expect(read.contents[0]).toMatchObject({ text: '{"type":"meta"}\n' });
    await expect(client.readResource({ uri: "ml-intern://sessions/nope" })).rejects.toThrow(/No session/);
    await expect(client.readResource({ uri: "ml-intern://sessions/..%2Fetc" })).rejects.toThrow(/No session/);
    await close();
  });
});
