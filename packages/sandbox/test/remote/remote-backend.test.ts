import { describe, expect, test } from "bun:test";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { jsonResponse, startFakeServer } from "@ml-intern/testing/http/fake-server";
import { createTempDir } from "@ml-intern/testing/temp-dir";
import { SandboxRemoteError } from "../../src/errors.ts";
import { createLocalBackend } from "../../src/local/local-backend.ts";
import { createRemoteBackend, isHfHost } from "../../src/remote/remote-backend.ts";
import { startSandboxServer } from "../../src/server/sandbox-server.ts";
import { describeConformance } from "../lib/conformance.ts";

// The server runs on Bun.serve under Bun and on node:http (@hono/node-server) under Node; both serve the suite.
for (const runtime of ["bun", "node"] as const) {
  const label = runtime === "bun" ? "Bun.serve" : "node:http";
  describeConformance(`remote server on loopback (${label})`, async () => {
    const dir = await createTempDir("sandbox-remote-");
    const home = join(dir.path, "home");
    await mkdir(home);
    const inner = await createLocalBackend({
      workspace: join(dir.path, "ws"),
      isolation: "none",
      hostEnv: { PATH: process.env.PATH, HOME: home },
      homeDir: home,
      warn: () => {},
    });
    const token = "t".repeat(40);
    const server = await startSandboxServer({ token, backend: inner, port: 0, runtime });
    const backend = await createRemoteBackend({
      baseUrl: server.url,
      sandboxToken: token,
      retryDelaysMs: [],
    });
    return {
      backend,
      hostWorkspace: inner.workspace,
      async end() {
        await backend.dispose();
        await server.stop();
        await inner.dispose();
        await dir[Symbol.asyncDispose]();
      },
    };
  });
}

describe("remote client", () => {
  test("retries connection errors and non-JSON replies (a waking Space), then succeeds", async () => {
    let calls = 0;
    await using fake = await startFakeServer((request) => {
      const path = new URL(request.url).pathname;
      if (path === "/api/info") return jsonResponse({ workspace: "/app" });
      calls += 1;
      if (calls <= 2) return new Response("<html>Space is waking up</html>", { status: 503 });
      return jsonResponse({ success: true, output: "hi\n", error: null, exit_code: 0 });
    });
    const backend = await createRemoteBackend({
      baseUrl: fake.url,
      sandboxToken: "tok",
      retryDelaysMs: [1, 1],
    });
    const result = await backend.exec("echo hi", { timeoutMs: 5_000 });
    expect(result.output).toBe("hi\n");
    expect(fake.requestsTo("/api/bash")).toHaveLength(3);
    expect(fake.requestsTo("/api/bash")[0]?.headers.get("x-sandbox-authorization")).toBe("Bearer tok");
  });

  test("gives up after the retries with an actionable error, and reads FastAPI's `detail`", async () => {
    await using fake = await startFakeServer((request) => {
      const path = new URL(request.url).pathname;
      if (path === "/api/info") return jsonResponse({ workspace: "/app" });
      if (path === "/api/read") return jsonResponse({ detail: "Invalid bearer token" }, { status: 401 });
      return new Response("not json", { status: 502 });
    });
    const backend = await createRemoteBackend({ baseUrl: fake.url, sandboxToken: "tok", retryDelaysMs: [1] });
    const failure = await backend.exec("true", { timeoutMs: 5_000 }).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(SandboxRemoteError);
    expect((failure as Error).message).toContain("after 2 attempts");
    const auth = await backend.readFile("x").catch((e: Error) => e);
    expect((auth as Error).message).toContain("Invalid bearer token");
    expect(fake.requestsTo("/api/read")).toHaveLength(1);
  });

  test("the HF token goes only to Hugging Face hosts", async () => {
    expect(isHfHost("https://owner-sandbox-12345678.hf.space")).toBe(true);
    expect(isHfHost("http://127.0.0.1:7860")).toBe(false);
    expect(isHfHost("https://evil.example/hf.space")).toBe(false);
    await using fake = await startFakeServer(() => jsonResponse({ workspace: "/w" }));
    const backend = await createRemoteBackend({
      baseUrl: fake.url,
      sandboxToken: "tok",
      hfToken: "hf_secret",
    });
    expect(backend.workspace).toBe("/w");
    expect(fake.requests[0]?.headers.get("authorization")).toBeNull();
  });
});
