import { afterAll, beforeAll, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startFakeAnthropic } from "@ml-intern/testing/llm/fake-anthropic";
import type { FakeLlm } from "@ml-intern/testing/llm/fake-llm-base";
import { createIsolatedHome, type IsolatedHome, runCliProcess } from "../helpers/cli-harness.ts";

const HF = "hf_users0wn0token0value0abcdefghij"; // the user's token, from the environment
const STRAY = `hf_${"Zq9".repeat(12)}`; // a token-shaped string the model read somewhere
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

test("a model that echoes tokens: headless stdout (text, json, stream-json), stderr and ML_INTERN_EVENT_LOG are redacted", async () => {
  const eventLog = join(home.root.path, "events.jsonl");
  for (const format of ["text", "json", "stream-json"]) {
    fake.enqueue({ text: `Your token is ${HF} and I also found ${STRAY} in .env.` });
    const r = await runCliProcess(["--sandbox", "none", "--output-format", format, "show my token"], {
      cwd: home.workspace,
      env: home.env({
        ANTHROPIC_API_KEY: "sk-ant-test-key-000000000000000000000",
        ANTHROPIC_BASE_URL: fake.url,
        HF_TOKEN: HF,
        HF_ENDPOINT: "http://127.0.0.1:9",
        ML_INTERN_EVENT_LOG: eventLog,
      }),
    });
    expect(r.exitCode).toBe(0);
    const out = r.stdout + r.stderr;
    expect(out).toContain("Your token is");
    expect(out).not.toContain(HF);
    expect(out).not.toContain(STRAY);
    expect(out).toContain("[REDACTED");
    // Redaction keeps the machine-readable output parseable.
    if (format === "json") expect(JSON.parse(r.stdout).response).toContain("[REDACTED");
    if (format === "stream-json") for (const line of r.stdout.trim().split("\n")) JSON.parse(line);
  }
  const log = readFileSync(eventLog, "utf8");
  expect(log).toContain("Your token is");
  expect(log).not.toContain(HF);
  expect(log).not.toContain(STRAY);
}, 60_000);
