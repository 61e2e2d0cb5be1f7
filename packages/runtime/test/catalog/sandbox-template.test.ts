import { expect, test } from "bun:test";
import { defineTool } from "@ml-intern/core";
import { createTempDir, startFakeAnthropic } from "@ml-intern/testing";
import { startFakeSpaceHub } from "@ml-intern/testing/sandbox/fake-space-hub";
import { z } from "zod";
import { createMlInternAgent } from "../../src/agent/create-ml-intern-agent.ts";
import { loadSessionTools } from "../../src/catalog/tool-catalog.ts";
import { LOCAL_MODE_PROMPT } from "../../src/prompts/system-prompt.ts";

test("--sandbox remote duplicates the Space named by ML_INTERN_SANDBOX_TEMPLATE", async () => {
  await using hub = await startFakeSpaceHub({ token: "hf_test_token" });
  const session = await loadSessionTools({
    sandbox: "remote",
    cwd: process.cwd(),
    env: { HF_TOKEN: "hf_test_token", HF_ENDPOINT: hub.url, ML_INTERN_SANDBOX_TEMPLATE: "alice/my-template" },
    warn: () => {},
  });
  try {
    const create = session.tools.find((t) => t.name === "sandbox_create");
    expect(create).toBeDefined();
    const controller = new AbortController();
    const call = create!.execute(create!.input.parse({}), {
      signal: controller.signal,
      toolCallId: "c1",
      sessionId: "s1",
      progress: () => {},
      log: () => {},
    });
    // The provisioner's first Hub write is the duplicate of the configured template; stop once it is seen.
    const deadline = Date.now() + 5000;
    while (!hub.server.requests.some((r) => r.path.endsWith("/duplicate")) && Date.now() < deadline)
      await Bun.sleep(10);
    controller.abort();
    await call.catch(() => undefined);
    const duplicate = hub.server.requests.find((r) => r.path.endsWith("/duplicate"));
    expect(duplicate?.path).toBe("/api/spaces/alice/my-template/duplicate");
  } finally {
    await session.dispose();
  }
});

test("the local-workspace prompt section is added for local file tools and not in remote mode", async () => {
  const stub = (name: string) =>
    defineTool({
      name,
      description: name,
      toolset: "sandbox",
      input: z.object({}),
      annotations: {},
      execute: async () => ({ text: "ok" }),
    });
  await using fake = await startFakeAnthropic();
  await using dir = await createTempDir();
  const promptWith = async (names: string[]) => {
    const rt = await createMlInternAgent({
      model: "anthropic/claude-sonnet-5-5",
      env: {
        ANTHROPIC_API_KEY: "sk-ant-api03-testkeytestkeytestkey",
        ANTHROPIC_BASE_URL: fake.url,
        HF_ENDPOINT: "http://127.0.0.1:9",
      },
      tools: names.map(stub),
      cwd: dir.path,
      home: `${dir.path}/state-${names.length}`,
      headless: true,
    });
    fake.enqueue({ text: "done" });
    await rt.agent.send("hi");
    await rt.dispose();
    return fake.requests.at(-1)?.body ?? "";
  };
  const marker = LOCAL_MODE_PROMPT.split("\n")[0]!;
  expect(await promptWith(["bash", "read"])).toContain(marker);
  expect(await promptWith(["bash", "read", "sandbox_create"])).not.toContain(marker);
});
