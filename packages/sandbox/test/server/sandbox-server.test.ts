import { describe, expect, test } from "bun:test";
import { createTempDir } from "@ml-intern/testing/temp-dir";
import { createLocalBackend } from "../../src/local/local-backend.ts";
import { createSandboxServerApp, startSandboxServer } from "../../src/server/sandbox-server.ts";
import { liveProcesses, uniqueSleep, waitFor } from "../lib/harness.ts";

const TOKEN = "s".repeat(43);

async function withApp(
  token: string | undefined,
  fn: (app: ReturnType<typeof createSandboxServerApp>) => Promise<void>,
) {
  await using dir = await createTempDir("sandbox-server-");
  const backend = await createLocalBackend({ workspace: dir.path, isolation: "none", warn: () => {} });
  try {
    await fn(createSandboxServerApp({ token, backend }));
  } finally {
    await backend.dispose();
  }
}

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  new Request(`http://sandbox${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });

describe("sandbox server auth", () => {
  test("health is public; other routes need X-Sandbox-Authorization with the right token", async () => {
    await withApp(TOKEN, async (app) => {
      const health = await app.request("/api/health");
      expect(await health.json()).toEqual({ status: "ok" });
      const none = await app.request(post("/api/bash", { command: "echo hi" }));
      expect(none.status).toBe(401);
      expect(await none.json()).toEqual({ detail: "Missing bearer token" });
      const hfOnly = await app.request(
        post("/api/bash", { command: "echo hi" }, { authorization: `Bearer ${TOKEN}` }),
      );
      expect(hfOnly.status).toBe(401);
      const wrong = await app.request(
        post("/api/bash", { command: "echo hi" }, { "x-sandbox-authorization": "Bearer wrong" }),
      );
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toEqual({ detail: "Invalid bearer token" });
      const good = await app.request(
        post("/api/bash", { command: "echo hi; exit 2" }, { "x-sandbox-authorization": `Bearer ${TOKEN}` }),
      );
      expect(good.status).toBe(200);
      expect(await good.json()).toMatchObject({
        success: false,
        output: "hi\n",
        error: "Exit code 2",
        exit_code: 2,
      });
    });
  });

  test("answers 503 when no token is configured, and refuses to start without one", async () => {
    await withApp(undefined, async (app) => {
      const response = await app.request(
        post("/api/exists", { path: "x" }, { "x-sandbox-authorization": "Bearer x" }),
      );
      expect(response.status).toBe(503);
    });
    await using dir = await createTempDir("sandbox-server-");
    await expect(startSandboxServer({ token: "", workspace: dir.path, isolation: "none" })).rejects.toThrow(
      "without a bearer token",
    );
  });

  test("protocol: read (numbered and raw), write, edit, exists with {success, output, error}", async () => {
    await withApp(TOKEN, async (app) => {
      const auth = { "x-sandbox-authorization": `Bearer ${TOKEN}` };
      const call = async (path: string, body: unknown) => (await app.request(post(path, body, auth))).json();
      expect(await call("/api/write", { path: "a.txt", content: "one\ntwo\n" })).toMatchObject({
        success: true,
        output: expect.stringContaining("Wrote 8 bytes"),
      });
      expect(await call("/api/read", { path: "a.txt", offset: 2 })).toMatchObject({
        success: true,
        output: "2\ttwo",
      });
      expect(await call("/api/read", { path: "a.txt", raw: true })).toMatchObject({ output: "one\ntwo\n" });
      expect(await call("/api/edit", { path: "a.txt", old_str: "two", new_str: "2" })).toMatchObject({
        success: true,
        output: expect.stringContaining("(1 replacement)"),
      });
      expect(await call("/api/edit", { path: "a.txt", old_str: "zzz", new_str: "2" })).toMatchObject({
        success: false,
        code: "not_found",
      });
      expect(await call("/api/exists", { path: "a.txt" })).toMatchObject({
        output: "true",
        is_directory: false,
      });
      expect(await call("/api/exists", { path: "b.txt" })).toMatchObject({ output: "false" });
      expect(await call("/api/read", { path: "b.txt" })).toMatchObject({ success: false, code: "not_found" });
      expect(await call("/api/kill", {})).toMatchObject({ success: true });
    });
  });
});

for (const runtime of ["bun", "node"] as const) {
  describe(`sandbox server over HTTP (${runtime === "bun" ? "Bun.serve" : "node:http"})`, () => {
    test("a client that disconnects cancels its command, grandchildren included", async () => {
      await using dir = await createTempDir("sandbox-server-");
      const backend = await createLocalBackend({ workspace: dir.path, isolation: "none", warn: () => {} });
      const server = await startSandboxServer({ token: TOKEN, backend, port: 0, runtime });
      try {
        const health = await fetch(`${server.url}/api/health`);
        expect(await health.json()).toEqual({ status: "ok" });
        const marker = uniqueSleep();
        const controller = new AbortController();
        const pending = fetch(`${server.url}/api/bash`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-sandbox-authorization": `Bearer ${TOKEN}` },
          body: JSON.stringify({ command: `bash -c 'sleep ${marker}' & sleep ${marker}`, timeout: 600 }),
          signal: controller.signal,
        }).catch((error: unknown) => error);
        await waitFor(async () => (await liveProcesses(marker)).length >= 2, {
          what: "the command to start",
        });
        controller.abort();
        expect(await pending).toBeInstanceOf(Error);
        await waitFor(async () => (await liveProcesses(marker)).length === 0, { what: "no live process" });
      } finally {
        await server.stop();
        await backend.dispose();
      }
    });
  });
}
