import { describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FAKE_HF_TOKEN, startFakeHub } from "@ml-intern/testing/hf/fake-hub";
import { bundleServer, publishSandboxTemplate } from "../../template/publish.ts";

const TOKEN = "template-test-token-0123456789";

async function readUntil(
  stream: ReadableStream<Uint8Array>,
  pattern: RegExp,
  timeoutMs = 10_000,
): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let text = "";
  const deadline = Date.now() + timeoutMs;
  try {
    while (!pattern.test(text)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}; got: ${text}`);
      const { done, value } = await reader.read();
      if (done) throw new Error(`stream ended before ${pattern}; got: ${text}`);
      text += decoder.decode(value, { stream: true });
    }
    return text;
  } finally {
    reader.releaseLock();
  }
}

describe("remote sandbox template", () => {
  test("the bundled server entry starts as the Space runs it and serves the sandbox protocol", async () => {
    const dir = await mkdtemp(join(tmpdir(), "sandbox-template-"));
    try {
      const bundle = join(dir, "server.js");
      await writeFile(bundle, await bundleServer());
      const workspace = join(dir, "workspace");
      await Bun.write(join(workspace, ".keep"), "");
      // As the Dockerfile runs it: `bun /app/server.js` with PORT and the per-Space token.
      const child = Bun.spawn(["bun", bundle], {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: dir,
          PORT: "0",
          SANDBOX_HOST: "127.0.0.1",
          SANDBOX_WORKSPACE: workspace,
          SANDBOX_API_TOKEN: TOKEN,
        },
        stdout: "ignore",
        stderr: "pipe",
      });
      try {
        const banner = await readUntil(child.stderr, /listening on (http:\/\/\S+)/);
        const url = /listening on (http:\/\/\S+)/.exec(banner)![1]!;
        const health = await fetch(`${url}/api/health`);
        expect(await health.json()).toEqual({ status: "ok" });
        const denied = await fetch(`${url}/api/bash`, {
          method: "POST",
          body: JSON.stringify({ command: "pwd" }),
        });
        expect(denied.status).toBe(401);
        const ran = await fetch(`${url}/api/bash`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-sandbox-authorization": `Bearer ${TOKEN}` },
          body: JSON.stringify({ command: "pwd && echo hi > made.txt" }),
        });
        const reply = (await ran.json()) as { success: boolean; output: string };
        expect(reply.success).toBe(true);
        expect(reply.output).toContain(workspace);
        expect(await readFile(join(workspace, "made.txt"), "utf8")).toBe("hi\n");
      } finally {
        child.kill();
        await child.exited;
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);

  test("publish creates a private Docker Space in the user's namespace, then updates it", async () => {
    await using hub = await startFakeHub();
    const first = await publishSandboxTemplate({ token: FAKE_HF_TOKEN, hubUrl: hub.url });
    expect(first).toMatchObject({
      spaceId: "alice/ml-intern-sandbox-template",
      created: true,
      files: ["Dockerfile", "README.md", "server.js"],
    });
    const space = hub.repo("space", "alice/ml-intern-sandbox-template");
    expect(space?.init).toMatchObject({ private: true, sdk: "docker" });
    const readme = hub.fileText("space", "alice/ml-intern-sandbox-template", "README.md") ?? "";
    const front = /^---\n([\s\S]*?)\n---\n/.exec(readme)?.[1]?.split("\n") ?? [];
    expect(front).toContain("sdk: docker");
    expect(front).toContain("app_port: 7860");
    const dockerfile = hub.fileText("space", "alice/ml-intern-sandbox-template", "Dockerfile") ?? "";
    expect(dockerfile).toContain('CMD ["bun", "/app/server.js"]');
    expect(hub.fileText("space", "alice/ml-intern-sandbox-template", "server.js")).toContain(
      "startSandboxServer",
    );
    const again = await publishSandboxTemplate({
      token: FAKE_HF_TOKEN,
      hubUrl: hub.url,
      spaceId: "ml-org/sandbox-template",
      public: true,
    });
    expect(again.created).toBe(true);
    expect(hub.repo("space", "ml-org/sandbox-template")?.init.private).toBe(false);
    const update = await publishSandboxTemplate({ token: FAKE_HF_TOKEN, hubUrl: hub.url });
    expect(update.created).toBe(false);
    expect(hub.server.requestsTo("/api/repos/create")).toHaveLength(2);
  });
});
