import { describe, expect, test } from "bun:test";
import type { ToolContext } from "@ml-intern/core";
import { createMcpManager } from "../../src/mcp-client/mcp-manager.ts";
import { everythingStdioConfig } from "./everything-server.ts";

function ctx(signal = new AbortController().signal): ToolContext & { progressSeen: number[] } {
  const progressSeen: number[] = [];
  return {
    signal,
    toolCallId: "call-1",
    sessionId: "s-1",
    progress: (p) => progressSeen.push(p),
    log: () => {},
    progressSeen,
  };
}

describe("MCP client manager against @modelcontextprotocol/server-everything (stdio)", () => {
  test("connects, namespaces tools with the server's schema, and calls echo", async () => {
    const warnings: string[] = [];
    const manager = createMcpManager({
      servers: { everything: everythingStdioConfig() },
      env: {},
      warn: (m) => warnings.push(m),
    });
    try {
      const { tools, statuses } = await manager.start();
      expect(statuses).toEqual([
        { name: "everything", status: "connected", transport: "stdio", toolCount: tools.length },
      ]);
      expect(warnings).toEqual([]);
      const echo = tools.find((t) => t.name === "mcp__everything__echo");
      expect(echo).toBeDefined();
      expect(echo!.toolset).toBe("mcp");
      expect(echo!.inputJsonSchema?.type).toBe("object");
      expect(Object.keys(echo!.inputJsonSchema?.properties as object)).toContain("message");
      for (const tool of tools) expect(tool.name).toMatch(/^mcp__everything__[A-Za-z0-9_-]+$/);

      const result = await echo!.execute({ message: "hello from the test" }, ctx());
      expect(result.isError).toBeUndefined();
      expect(result.text).toContain("hello from the test");
    } finally {
      await manager.close();
    }
  }, 30_000);

  test("a broken server is reported and skipped while the good one connects", async () => {
    const warnings: string[] = [];
    const manager = createMcpManager({
      servers: {
        broken: { command: "/nonexistent/mcp-server-binary", args: [], env: {}, enabled: true },
        silent: {
          command: process.execPath,
          args: ["-e", "setInterval(() => {}, 1000)"],
          env: {},
          enabled: true,
        },
        off: { command: "/never/started", args: [], env: {}, enabled: false },
        everything: everythingStdioConfig(),
      },
      env: {},
      connectTimeoutMs: 1_500,
      warn: (m) => warnings.push(m),
    });
    try {
      const { tools, statuses } = await manager.start();
      const byName = Object.fromEntries(statuses.map((s) => [s.name, s.status]));
      expect(byName).toEqual({
        broken: "failed",
        silent: "failed",
        off: "disabled",
        everything: "connected",
      });
      const silent = statuses.find((s) => s.name === "silent");
      expect(silent?.status === "failed" && silent.error).toContain("timed out");
      expect(warnings.some((w) => w.includes('"broken"'))).toBe(true);
      expect(tools.some((t) => t.name === "mcp__everything__echo")).toBe(true);
      expect(tools.every((t) => t.name.startsWith("mcp__everything__"))).toBe(true);
    } finally {
      await manager.close();
    }
  }, 30_000);

  test("a call that fails on the server becomes an error result, not a throw", async () => {
    const manager = createMcpManager({ servers: { everything: everythingStdioConfig() }, env: {} });
    try {
      const { tools } = await manager.start();
      const add = tools.find((t) => t.name === "mcp__everything__get-sum");
      expect(add).toBeDefined();
      const ok = await add!.execute({ a: 2, b: 40 }, ctx());
      expect(ok.text).toContain("42");
      const bad = await add!.execute({ a: "two" }, ctx());
      expect(bad.isError).toBe(true);
    } finally {
      await manager.close();
    }
  }, 30_000);
});
