import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { FAKE_HF_TOKEN, type FakeHub, startFakeHub } from "@ml-intern/testing/hf/fake-hub";
import { startFakeAnthropic } from "@ml-intern/testing/llm/fake-anthropic";
import type { FakeLlm } from "@ml-intern/testing/llm/fake-llm-base";
import { createIsolatedHome, type IsolatedHome, runCliProcess } from "../helpers/cli-harness.ts";

let fake: FakeLlm;
let hub: FakeHub;
let home: IsolatedHome;

beforeAll(async () => {
  fake = await startFakeAnthropic();
  hub = await startFakeHub();
  home = await createIsolatedHome();
});
afterAll(async () => {
  await Promise.all([fake.close(), hub.close()]);
  await home[Symbol.asyncDispose]();
});

const systemText = (body: Record<string, unknown> | undefined): string =>
  JSON.stringify((body as { system?: unknown } | undefined)?.system ?? "");

describe("the system prompt knows the Hugging Face user", () => {
  test("the user and namespaces from whoami reach the prompt; the next start uses the cache", async () => {
    const env = home.env({
      ANTHROPIC_API_KEY: "sk-ant-test-key-1234",
      ANTHROPIC_BASE_URL: fake.url,
      HF_TOKEN: FAKE_HF_TOKEN,
      HF_ENDPOINT: hub.url,
    });
    const whoami = () => hub.server.requests.filter((r) => r.path === "/api/whoami-v2").length;
    const before = whoami();
    fake.enqueue({ text: "Hello alice." });
    const r = await runCliProcess(["--sandbox", "none", "who am I?"], { cwd: home.workspace, env });
    expect(r.exitCode).toBe(0);
    const system = systemText(fake.bodies.at(-1));
    expect(system).toContain(
      "Hugging Face user: alice (namespaces you can use for repos and jobs: alice, ml-org",
    );
    expect(system).not.toContain("not logged in");
    expect(system).not.toContain(FAKE_HF_TOKEN);

    fake.enqueue({ text: "Still alice." });
    const again = await runCliProcess(["--sandbox", "none", "and now?"], { cwd: home.workspace, env });
    expect(again.exitCode).toBe(0);
    expect(systemText(fake.bodies.at(-1))).toContain("Hugging Face user: alice");
    // Only the session's own tools may call whoami again; the prompt's lookup came from the cache.
    expect(whoami() - before).toBe(1);
  }, 30_000);

  test("without an HF token the prompt says so instead of guessing", async () => {
    fake.enqueue({ text: "ok" });
    const r = await runCliProcess(["--sandbox", "none", "hi"], {
      cwd: home.workspace,
      env: home.env({ ANTHROPIC_API_KEY: "sk-ant-test-key-1234", ANTHROPIC_BASE_URL: fake.url }),
    });
    expect(r.exitCode).toBe(0);
    expect(systemText(fake.bodies.at(-1))).toContain("Hugging Face user: not logged in (no HF token");
  }, 30_000);
});
