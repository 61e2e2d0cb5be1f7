/** `network: { allowDomains }`: only the listed names get through the host's filtering proxy (issue 18, item 3). */
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { request } from "node:http";
import { join } from "node:path";
import { createTempDir, type TempDir } from "@ml-intern/testing/temp-dir";
import { createLocalBackend } from "../../src/local/local-backend.ts";
import { isAllowedHost, startFilteringProxy } from "../../src/local/network-proxy.ts";
import { createSandboxTools } from "../../src/tools/create-sandbox-tools.ts";
import { toolRunner } from "../lib/harness.ts";

test("allowlist matching: exact names, *.subdomains, never IP literals", () => {
  const allow = ["huggingface.co", "*.hf.co"];
  expect(isAllowedHost("huggingface.co", allow)).toBe(true);
  expect(isAllowedHost("HuggingFace.co.", allow)).toBe(true);
  expect(isAllowedHost("evilhuggingface.co", allow)).toBe(false);
  expect(isAllowedHost("cdn.huggingface.co", allow)).toBe(false);
  expect(isAllowedHost("cas-bridge.xethub.hf.co", allow)).toBe(true);
  expect(isAllowedHost("hf.co", allow)).toBe(false);
  expect(isAllowedHost("xhf.co", allow)).toBe(false);
  expect(isAllowedHost("127.0.0.1", ["127.0.0.1"])).toBe(false);
  expect(isAllowedHost("::1", ["::1"])).toBe(false);
});

function connectThrough(socketPath: string, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, method: "CONNECT", path: target });
    req.once("connect", (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.once("response", (res) => resolve(res.statusCode ?? 0));
    req.once("error", reject);
    req.end();
  });
}

test("the proxy refuses an allowed name that resolves to loopback unless told otherwise", async () => {
  await using dir = await createTempDir("sandbox-proxy-");
  const server = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("local") });
  const socketPath = join(dir.path, "p.sock");
  const proxy = await startFilteringProxy({
    socketPath,
    allowDomains: ["internal.test"],
    resolve: async () => "127.0.0.1",
  });
  try {
    expect(await connectThrough(socketPath, `internal.test:${server.port}`)).toBe(403);
    expect(await connectThrough(socketPath, `127.0.0.1:${server.port}`)).toBe(403);
  } finally {
    await proxy.close();
    await server.stop(true);
  }
});

describe("a sandbox with an allowlist", () => {
  let dir: TempDir;
  const hub = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("hub-answer\n") });
  const evil = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("evil-answer\n") });
  let run: ReturnType<typeof toolRunner>;
  let dispose: () => Promise<void>;
  const resolved: string[] = [];

  beforeAll(async () => {
    dir = await createTempDir("sandbox-allow-");
    const backend = await createLocalBackend({
      workspace: join(dir.path, "ws"),
      homeDir: join(dir.path, "no-home"),
      hostEnv: { PATH: process.env.PATH },
      network: { allowDomains: ["hub.test", "*.files.test"] },
      proxyResolver: async (host) => {
        resolved.push(host);
        if (host.endsWith(".test")) return "127.0.0.1";
        throw new Error(`no such host ${host}`);
      },
    });
    const tools = createSandboxTools({ backend });
    run = toolRunner(tools.tools);
    dispose = tools.dispose;
  });
  afterAll(async () => {
    await dispose();
    await hub.stop(true);
    await evil.stop(true);
    await dir[Symbol.asyncDispose]();
  });

  test("listed domains answer over HTTP and through CONNECT", async () => {
    const plain = await run("bash", { command: `curl -sS http://hub.test:${hub.port}/` });
    expect(plain.text).toBe("hub-answer\n");
    const tunnel = await run("bash", {
      command: `curl -sS --proxytunnel http://cdn.files.test:${hub.port}/`,
    });
    expect(tunnel.text).toBe("hub-answer\n");
  });

  test("other domains, IP literals and direct connections do not", async () => {
    const denied = await run("bash", {
      command: `curl -s -o /dev/null -w '%{http_code}\\n' http://evil.test:${evil.port}/`,
    });
    expect(denied.text).toBe("403\n");
    const tunnel = await run("bash", {
      command: `curl -sS --proxytunnel http://evil.test:${evil.port}/; echo rc=$?`,
    });
    expect(tunnel.text).not.toContain("evil-answer");
    expect(tunnel.text).toContain("403");
    const literal = await run("bash", {
      command: `curl -s -o /dev/null -w '%{http_code}\\n' http://127.0.0.1:${evil.port}/`,
    });
    expect(literal.text).toBe("403\n");
    const direct = await run("bash", {
      command: `curl -sS --noproxy '*' http://127.0.0.1:${evil.port}/; exec 3<>/dev/tcp/127.0.0.1/${evil.port} && echo tcp-connected || echo tcp-refused`,
    });
    expect(direct.text).not.toContain("evil-answer");
    expect(direct.text).toContain("tcp-refused");
    expect(resolved).not.toContain("evil.test");
  });
});
