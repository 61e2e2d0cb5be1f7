import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { FAKE_HF_TOKEN, type FakeHub, startFakeHub } from "@ml-intern/testing/hf/fake-hub";
import { type RunningHttpServer, serveHttp } from "../src/serve-http.ts";
import { createSampleTools } from "./lib/sample-tools.ts";

/** Tools nobody on the team wrote: the official conformance runner and the MCP Inspector CLI, under Bun. */
const PKG = join(import.meta.dir, "..");
const BIN = join(PKG, "src", "bin.ts");
const CONFORMANCE = join(PKG, "node_modules", ".bin", "conformance");
const INSPECTOR = join(PKG, "node_modules", ".bin", "mcp-inspector");

let hub: FakeHub;
let server: RunningHttpServer;
beforeAll(async () => {
  hub = await startFakeHub();
  server = serveHttp({ tools: createSampleTools().tools, host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await server.stop();
  await hub.close();
});

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const proc = Bun.spawn([process.execPath, "--bun", ...args], {
    cwd: PKG,
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, NO_COLOR: "1" },
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
    proc.exited,
  ]);
  return { code, stdout, stderr };
}

const SCENARIOS = [
  "server-initialize",
  "ping",
  "tools-list",
  "logging-set-level",
  "tools-call-error",
  "server-sse-multiple-streams",
  "dns-rebinding-protection",
];

describe("official conformance runner over HTTP", () => {
  for (const scenario of SCENARIOS) {
    test(scenario, async () => {
      const result = await run([CONFORMANCE, "server", "--url", server.url, "--scenario", scenario]);
      const output = result.stdout + result.stderr;
      expect(output).toMatch(/Passed: (\d+)\/\1, 0 failed/);
      expect(result.code).toBe(0);
    }, 60_000);
  }
});

describe("MCP Inspector CLI", () => {
  test("lists tools and calls one over HTTP", async () => {
    const base = [INSPECTOR, "--cli", "--transport", "http", "--server-url", server.url, "--format", "json"];
    const list = await run([...base, "--method", "tools/list"]);
    expect(list.code).toBe(0);
    const tools = (JSON.parse(list.stdout) as { result: { tools: { name: string }[] } }).result.tools;
    expect(tools.map((t) => t.name)).toContain("echo_text");
    const call = await run([
      ...base,
      "--method",
      "tools/call",
      "--tool-name",
      "echo_text",
      "--tool-arg",
      "text=hey",
    ]);
    expect(call.code).toBe(0);
    expect(JSON.parse(call.stdout).result.structuredContent).toEqual({ text: "hey", length: 3 });
    const failing = await run([
      ...base,
      "--method",
      "tools/call",
      "--tool-name",
      "always_fails",
      "--tool-arg",
      "repo=a/b",
    ]);
    expect(failing.code).toBe(5);
  }, 60_000);

  test("lists tools and calls one over stdio (the real server process)", async () => {
    const base = [
      INSPECTOR,
      "--cli",
      "--transport",
      "stdio",
      "-e",
      `HF_ENDPOINT=${hub.url}`,
      "-e",
      `HF_TOKEN=${FAKE_HF_TOKEN}`,
      "--format",
      "json",
    ];
    const target = [process.execPath, BIN, "--no-agent"];
    const list = await run([...base, "--method", "tools/list", ...target]);
    expect(list.code).toBe(0);
    const names = (JSON.parse(list.stdout) as { result: { tools: { name: string }[] } }).result.tools.map(
      (t) => t.name,
    );
    expect(names).toContain("hub_repo_search");
    expect(names).toContain("hf_whoami");
    const call = await run([...base, "--method", "tools/call", "--tool-name", "hf_whoami", ...target]);
    expect(call.code).toBe(0);
    expect(call.stdout).toContain("alice");
  }, 60_000);
});
