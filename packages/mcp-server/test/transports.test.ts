import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { DEFAULT_MODEL } from "@ml-intern/runtime/model";
import { createTempDir, startFakeAnthropic } from "@ml-intern/testing";
import {
  FAKE_HF_READ_TOKEN,
  FAKE_HF_TOKEN,
  type FakeHub,
  startFakeHub,
} from "@ml-intern/testing/hf/fake-hub";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import type { Progress } from "@modelcontextprotocol/sdk/types.js";
import { runMcpCommand } from "../src/run-mcp-command.ts";
import { serveHttp } from "../src/serve-http.ts";
import { createSampleTools } from "./lib/sample-tools.ts";
import { waitFor } from "./lib/wait-for.ts";

const BIN = join(import.meta.dir, "..", "src", "bin.ts");
type TextContent = { type: "text"; text: string };
const textOf = (result: Record<string, unknown>) => (result.content as TextContent[])[0]!.text;

let hub: FakeHub;
beforeAll(async () => {
  hub = await startFakeHub();
});
afterAll(async () => {
  await hub.close();
});

function baseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp", HF_ENDPOINT: hub.url };
}

/** Starts `runMcpCommand` over HTTP on a free port; resolves with its URL and a stopper. */
async function startCommand(argv: string[], env: Record<string, string>) {
  const controller = new AbortController();
  const logs: string[] = [];
  let onUrl!: (listening: { url: string; token?: string }) => void;
  const listening = new Promise<{ url: string; token?: string }>((resolve) => {
    onUrl = resolve;
  });
  const exit = runMcpCommand(["--transport", "http", "--port", "0", ...argv], env, {
    signal: controller.signal,
    log: (m) => logs.push(m),
    onListening: (url, token) => onUrl({ url, ...(token ? { token } : {}) }),
  });
  const { url, token } = await Promise.race([
    listening,
    exit.then((code) => Promise.reject(new Error(`exited ${code}: ${logs.join("\n")}`))),
  ]);
  return {
    url,
    token,
    /** The access-token header every caller needs (the server generated the token). */
    auth: { Authorization: `Bearer ${token}` },
    logs,
    stop: async () => {
      controller.abort();
      return exit;
    },
  };
}

describe("stdio: a real child process", () => {
  test("serves the real tool catalog; tools reach the (fake) Hub with the configured token", async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [BIN, "--no-agent", "--toolsets", "hf-account,hf-repos"],
      env: { ...baseEnv(), HF_TOKEN: FAKE_HF_TOKEN },
      stderr: "pipe",
    });
    const client = new Client({ name: "stdio-test", version: "1.0.0" });
    await client.connect(transport);
    const names = (await client.listTools()).tools.map((t) => t.name);
    expect(names).toContain("hf_whoami");
    expect(names).toContain("hub_repo_search");
    expect(names).not.toContain("web_search");
    const whoami = await client.callTool({ name: "hf_whoami", arguments: {} });
    expect(whoami.isError).toBeFalsy();
    expect(textOf(whoami)).toContain("alice");
    expect(textOf(whoami)).not.toContain(FAKE_HF_TOKEN);
    await client.close();
  });
});

describe("HTTP: a real socket", () => {
  test("on loopback a random access token is generated and printed; callers without it get 401", async () => {
    const server = await startCommand(["--no-agent"], { ...baseEnv(), HF_TOKEN: FAKE_HF_TOKEN });
    expect(server.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(server.logs.join("\n")).toContain(`Authorization: Bearer ${server.token}`);
    const init = { jsonrpc: "2.0", id: 1, method: "initialize", params: {} };
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: "Bearer wrong" },
      { Authorization: `Bearer ${FAKE_HF_TOKEN}` },
    ];
    for (const headers of attempts) {
      const res = await fetch(server.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json, text/event-stream",
          ...headers,
        },
        body: JSON.stringify(init),
      });
      expect(res.status).toBe(401);
    }
    expect(await server.stop()).toBe(0);
    const open = await startCommand(["--no-agent", "--no-auth"], { ...baseEnv(), HF_TOKEN: FAKE_HF_TOKEN });
    expect(open.token).toBeUndefined();
    expect(open.logs.join("\n")).toContain("--no-auth");
    const client = new Client({ name: "http-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(open.url)));
    expect((await client.listTools()).tools.length).toBeGreaterThan(0);
    await client.close();
    expect(await open.stop()).toBe(0);
    const logs: string[] = [];
    const code = await runMcpCommand(
      ["--transport", "http", "--host", "0.0.0.0", "--port", "0", "--no-auth", "--no-agent"],
      baseEnv(),
      { log: (m) => logs.push(m) },
    );
    expect(code).toBe(2);
    expect(logs.join("\n")).toContain("loopback");
  });

  test("runMcpCommand serves Streamable HTTP; each caller's own HF token is used for their calls", async () => {
    const server = await startCommand(["--no-agent"], { ...baseEnv(), HF_TOKEN: FAKE_HF_TOKEN });
    const connect = async (headers: Record<string, string>) => {
      const client = new Client({ name: "http-test", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers } }),
      );
      return client;
    };
    const bob = await connect({ ...server.auth, "X-HF-Token": FAKE_HF_READ_TOKEN });
    const anonymous = await connect(server.auth);
    expect(textOf(await bob.callTool({ name: "hf_whoami", arguments: {} }))).toContain("bob");
    expect(textOf(await anonymous.callTool({ name: "hf_whoami", arguments: {} }))).toContain("alice");
    const health = await fetch(server.url.replace(/\/mcp$/, "/health"));
    expect(((await health.json()) as { sessions: number }).sessions).toBe(2);
    await bob.close();
    await anonymous.close();
    expect(await server.stop()).toBe(0);
  });

  test("progress notifications and cancellation work over SSE", async () => {
    const sample = createSampleTools();
    const running = serveHttp({ tools: sample.tools, host: "127.0.0.1", port: 0 });
    const client = new Client({ name: "http-test", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(new URL(running.url)));
    const progress: Progress[] = [];
    const controller = new AbortController();
    const call = client.callTool({ name: "slow_job", arguments: { steps: 2, wait: true } }, undefined, {
      signal: controller.signal,
      onprogress: (p) => progress.push(p),
    });
    const signal = await sample.probe.slowStarted;
    await waitFor(() => progress.length === 2, 5000, "two progress notifications");
    controller.abort(new Error("stop"));
    await expect(call).rejects.toThrow();
    await sample.probe.slowStopped;
    expect(signal.aborted).toBe(true);
    expect(progress.map((p) => p.message)).toEqual(["step 1", "step 2"]);
    await client.close();
    await running.stop();
  });
});

describe("the default agent runtime (core's createMlInternAgent)", () => {
  test("ml_intern runs a real agent turn against the fake model; the session becomes a trace resource and can be continued", async () => {
    await using home = await createTempDir();
    const llm = await startFakeAnthropic();
    try {
      const server = await startCommand(["--model", DEFAULT_MODEL], {
        ...baseEnv(),
        ANTHROPIC_API_KEY: "sk-test",
        ANTHROPIC_BASE_URL: llm.url,
        ML_INTERN_HOME: home.path,
      });
      const client = new Client({ name: "http-test", version: "1.0.0" });
      await client.connect(
        new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: server.auth } }),
      );
      llm.enqueue({ text: "Use Qwen/Qwen3-0.6B." });
      const first = await client.callTool({ name: "ml_intern", arguments: { task: "Pick a small model." } });
      expect(first.isError).toBeFalsy();
      expect(textOf(first)).toStartWith("Use Qwen/Qwen3-0.6B.");
      const sessionId = (first.structuredContent as { session_id: string }).session_id;
      const names = (await client.listTools()).tools.map((t) => t.name);
      expect(names).toContain("research");
      expect(names).toContain("ml_intern");
      const resources = (await client.listResources()).resources.map((r) => r.uri);
      expect(resources).toContain(`ml-intern://sessions/${sessionId}`);
      const trace = await client.readResource({ uri: `ml-intern://sessions/${sessionId}` });
      expect(JSON.stringify(trace.contents)).toContain("Pick a small model.");
      llm.enqueue({ text: "Because it is small." });
      const second = await client.callTool({
        name: "ml_intern",
        arguments: { task: "Why?", session_id: sessionId },
      });
      expect((second.structuredContent as { session_id: string }).session_id).toBe(sessionId);
      expect(JSON.stringify(llm.bodies[1]!.messages)).toContain("Pick a small model.");
      llm.enqueue({ text: "Findings: LoRA is enough." });
      const research = await client.callTool({
        name: "research",
        arguments: { task: "How to fine-tune cheaply?" },
      });
      expect(research.isError).toBeFalsy();
      expect(textOf(research)).toContain("Findings: LoRA is enough.");
      expect(JSON.stringify(llm.bodies[2]!.messages)).toContain("How to fine-tune cheaply?");
      await client.close();
      expect(await server.stop()).toBe(0);
    } finally {
      await llm.close();
    }
  });
});

describe("runMcpCommand flags", () => {
  test("a bad flag is one line on stderr and exit 2", async () => {
    for (const argv of [["--bogus"], ["--transport", "carrier-pigeon"], ["--port", "x"], ["--stateless"]]) {
      const logs: string[] = [];
      expect(await runMcpCommand(argv, {}, { log: (m) => logs.push(m) })).toBe(2);
      expect(logs).toHaveLength(1);
      expect(logs[0]).toStartWith("ml-intern mcp: ");
      expect(logs[0]).not.toContain("\n");
    }
  });

  test("HTTP on a non-loopback address without ML_INTERN_MCP_TOKEN refuses to start (exit 1)", async () => {
    const logs: string[] = [];
    const code = await runMcpCommand(
      ["--transport", "http", "--host", "0.0.0.0", "--port", "0", "--no-agent"],
      baseEnv(),
      {
        log: (m) => logs.push(m),
      },
    );
    expect(code).toBe(1);
    expect(logs.join("\n")).toContain("ML_INTERN_MCP_TOKEN");
  });
});
