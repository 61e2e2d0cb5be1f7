import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeAnthropic } from "@ml-intern/testing/llm/fake-anthropic";
import type { FakeLlm } from "@ml-intern/testing/llm/fake-llm-base";
import { createIsolatedHome, type IsolatedHome, runCliProcess } from "../helpers/cli-harness.ts";

let home: IsolatedHome;
let fake: FakeLlm;

beforeAll(async () => {
  home = await createIsolatedHome();
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  await fake.close();
  await home[Symbol.asyncDispose]();
});

describe("model errors name what to fix", () => {
  test("connection refused on a loopback ANTHROPIC_BASE_URL fails fast, naming the URL", async () => {
    const started = performance.now();
    const r = await runCliProcess(["--sandbox", "none", "hello"], {
      cwd: home.workspace,
      env: home.env({ ANTHROPIC_API_KEY: "sk-ant-test-key-1234", ANTHROPIC_BASE_URL: "http://127.0.0.1:9" }),
    });
    const elapsed = performance.now() - started;
    expect(r.exitCode).toBe(1);
    const last = r.stderr.trim().split("\n").at(-1) ?? "";
    expect(last).toContain("http://127.0.0.1:9");
    expect(last).toContain("ANTHROPIC_BASE_URL");
    expect(last).toContain("connection refused");
    // One quick retry at most (the loop logs each retry on stderr), not a cloud-style backoff.
    const retries = r.stderr.split("\n").filter((l) => l.includes("retrying in"));
    expect(retries.length).toBeLessThanOrEqual(1);
    // A generous bound; it takes well under 3 s (about 0.5 s here), against ~16 s of backoff before.
    expect(elapsed).toBeLessThan(10_000);
    expect(r.stderr).not.toContain("sk-ant-test-key-1234");
  }, 30_000);

  test("a rejected key says which file it was read from", async () => {
    const dotenv = join(home.workspace, ".env");
    writeFileSync(dotenv, "ANTHROPIC_API_KEY=sk-ant-from-dotenv-5678\n");
    fake.enqueue({ httpError: { status: 401, message: "invalid x-api-key" } });
    const r = await runCliProcess(["--sandbox", "none", "--output-format", "json", "hello"], {
      cwd: home.workspace,
      env: home.env({ ANTHROPIC_BASE_URL: fake.url }),
    });
    expect(r.exitCode).toBe(4);
    const body = JSON.parse(r.stdout) as { error: { message: string } };
    expect(body.error.message).toContain(`ANTHROPIC_API_KEY, read from ${dotenv}`);
    expect(r.stdout + r.stderr).not.toContain("sk-ant-from-dotenv-5678");
  }, 30_000);
});
