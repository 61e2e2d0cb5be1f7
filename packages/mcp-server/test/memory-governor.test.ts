import { describe, expect, test } from "bun:test";
import { openMcpSession } from "@ml-intern/testing/mcp/mcp-http";
import { createMemoryGovernor, type MemoryGovernorOptions } from "../src/memory-governor.ts";
import { serveHttp } from "../src/serve-http.ts";
import { createSampleTools } from "./lib/sample-tools.ts";
import { waitFor } from "./lib/wait-for.ts";

const MiB = 1024 * 1024;

/** A governor driven by hand: RSS is whatever the test says, the timer never fires during a test. */
function governed(options: MemoryGovernorOptions = {}) {
  let rss = 80 * MiB;
  let collected = 0;
  const governor = createMemoryGovernor({
    softLimitBytes: 128 * MiB,
    headroomBytes: 32 * MiB,
    cooldownTicks: 2,
    intervalMs: 3_600_000,
    rss: () => rss,
    collect: () => {
      collected++;
    },
    ...options,
  });
  return {
    governor,
    setRss: (mib: number) => {
      rss = mib * MiB;
    },
    collected: () => collected,
  };
}

describe("createMemoryGovernor", () => {
  test("under the soft limit nothing is collected, busy or not", () => {
    const { governor, collected } = governed();
    for (let i = 0; i < 5; i++) {
      governor.noteRequest();
      expect(governor.tick()).toBe(false);
    }
    expect(collected()).toBe(0);
    governor.stop();
  });

  test("above the soft limit it collects, then waits cooldownTicks checks before the next one", () => {
    const { governor, setRss, collected } = governed();
    setRss(140);
    governor.noteRequest();
    expect(governor.tick()).toBe(true);
    setRss(100);
    governor.noteRequest();
    expect(governor.tick()).toBe(false);
    setRss(150);
    governor.noteRequest();
    expect(governor.tick()).toBe(false);
    governor.noteRequest();
    expect(governor.tick()).toBe(true);
    expect(collected()).toBe(2);
    expect(governor.collections()).toBe(2);
    governor.stop();
  });

  test("when collecting cannot get under the limit, the limit follows what remains (no collection on every check)", () => {
    const { governor, setRss, collected } = governed({ cooldownTicks: 0 });
    setRss(300);
    governor.noteRequest();
    expect(governor.tick()).toBe(true);
    // Read at the next check: the live size really is 290 MiB.
    setRss(290);
    governor.noteRequest();
    expect(governor.tick()).toBe(false);
    expect(governor.limit()).toBe(322 * MiB);
    setRss(320);
    governor.noteRequest();
    expect(governor.tick()).toBe(false);
    setRss(330);
    governor.noteRequest();
    expect(governor.tick()).toBe(true);
    // This time memory came back: the soft limit applies again.
    setRss(100);
    governor.noteRequest();
    governor.tick();
    expect(governor.limit()).toBe(128 * MiB);
    expect(collected()).toBe(2);
    governor.stop();
  });

  test("collects once when a load ends, and not again while idle", () => {
    const { governor, collected } = governed();
    governor.noteRequest();
    expect(governor.tick()).toBe(false);
    expect(governor.tick()).toBe(true);
    expect(governor.tick()).toBe(false);
    expect(governor.tick()).toBe(false);
    expect(collected()).toBe(1);
    governor.stop();
  });
});

describe("serveHttp memory governor", () => {
  test("requests to the real server count as load; the end of the load collects", async () => {
    let collected = 0;
    const running = serveHttp({
      tools: createSampleTools().tools,
      host: "127.0.0.1",
      port: 0,
      memory: { intervalMs: 5, rss: () => 0, collect: () => void collected++ },
    });
    try {
      expect(running.memory).toBeDefined();
      await openMcpSession(fetch, running.url);
      await waitFor(() => collected >= 1, 5000, "the load-ended collection");
      expect(running.memory!.collections()).toBe(collected);
    } finally {
      await running.stop();
    }
  });

  test("memory: false serves without a governor", async () => {
    const running = serveHttp({
      tools: createSampleTools().tools,
      host: "127.0.0.1",
      port: 0,
      memory: false,
    });
    expect(running.memory).toBeUndefined();
    expect((await fetch(running.url.replace(/\/mcp$/, "/health"))).status).toBe(200);
    await running.stop();
  });
});
