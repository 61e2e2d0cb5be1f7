import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { FAKE_HF_TOKEN, type FakeHub, startFakeHub } from "@ml-intern/testing/hf/fake-hub";
import { startFakeAnthropic } from "@ml-intern/testing/llm/fake-anthropic";
import type { FakeLlm } from "@ml-intern/testing/llm/fake-llm-base";
import { streamEventSchema } from "../../src/headless/stream-schema.ts";
import { createIsolatedHome, type IsolatedHome, jsonLines, runCliProcess } from "../helpers/cli-harness.ts";

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

const gpuJob = {
  operation: "run",
  image: "python:3.12",
  command: ["python", "-c", "print('trained')"],
  hardware_flavor: "t4-small",
  timeout: "10m",
};

const run = (args: string[]) =>
  runCliProcess(["--sandbox", "none", "--output-format", "stream-json", ...args], {
    cwd: home.workspace,
    env: home.env({
      ANTHROPIC_API_KEY: "sk-ant-test-key-1234",
      ANTHROPIC_BASE_URL: fake.url,
      HF_TOKEN: FAKE_HF_TOKEN,
      HF_ENDPOINT: hub.url,
    }),
  });

const jobsSubmitted = () =>
  hub.server.requests.filter((r) => r.method === "POST" && /^\/api\/jobs\/[^/]+$/.test(r.path)).length;

describe("headless spend", () => {
  test("--max-spend 0 refuses a paid job, saying how to allow it (event, stderr line, tool result)", async () => {
    const before = jobsSubmitted();
    fake.enqueue({ toolCalls: [{ name: "hf_jobs", input: gpuJob }] }, { text: "The job was refused." });
    const r = await run(["--max-spend", "0", "train it"]);
    expect(r.exitCode).toBe(0);
    expect(jobsSubmitted()).toBe(before);
    const events = jsonLines(r.stdout);
    const decision = events.find((e) => e.type === "approval_decision");
    expect(decision).toMatchObject({ tool: "hf_jobs", decision: "refused", source: "headless", cap_usd: 0 });
    expect(String(decision?.reason)).toContain("--max-spend");
    expect(r.stderr).toMatch(/ml-intern: refused hf_jobs: .*--max-spend \d/);
    // The model is told too, so its report can say how to allow it.
    const output = events.find((e) => e.type === "tool_output");
    expect(String(output?.output)).toContain("--max-spend");
    expect(events.at(-1)).toMatchObject({ type: "result", spend: { cap_usd: 0 } });

    // Following the advice works: the suggested cap covers the job.
    const suggested = /--max-spend (\d+(?:\.\d+)?)/.exec(String(decision?.reason))?.[1];
    expect(Number(suggested)).toBeGreaterThanOrEqual(decision?.estimated_cost_usd as number);
    fake.enqueue({ toolCalls: [{ name: "hf_jobs", input: gpuJob }] }, { text: "Ran." });
    const again = await run(["--max-spend", String(suggested), "train it"]);
    expect(jsonLines(again.stdout).find((e) => e.type === "approval_decision")).toMatchObject({
      decision: "auto_approved",
    });
    expect(jobsSubmitted()).toBe(before + 1);
  }, 30_000);

  test("--max-spend 10 allows it; stream-json shows the approval and the spend", async () => {
    const before = jobsSubmitted();
    fake.enqueue({ toolCalls: [{ name: "hf_jobs", input: gpuJob }] }, { text: "Trained." });
    const r = await run(["--max-spend", "10", "train it"]);
    expect(r.exitCode).toBe(0);
    expect(jobsSubmitted()).toBe(before + 1);
    const events = jsonLines(r.stdout);
    for (const e of events) expect(streamEventSchema.safeParse(e).error).toBeUndefined();
    const decision = events.find((e) => e.type === "approval_decision");
    expect(decision).toMatchObject({
      tool: "hf_jobs",
      decision: "auto_approved",
      source: "headless",
      cap_usd: 10,
    });
    const estimate = decision?.estimated_cost_usd as number;
    expect(estimate).toBeGreaterThan(0);
    expect(r.stderr).toMatch(
      /ml-intern: auto-approved hf_jobs \(headless; est\. \$\d+\.\d\d; spent \$\d+\.\d\d of cap \$10\.00\)/,
    );
    // At approval the job's estimate is reserved against the cap.
    expect(decision?.spent_usd as number).toBeGreaterThanOrEqual(estimate);
    const result = events.at(-1) as {
      type: string;
      spend: { spent_usd: number; model_usd: number; tools_usd: number; cap_usd: number };
    };
    expect(result.type).toBe("result");
    // After the job the reservation is replaced by its actual cost (about 0 for the fake's instant job).
    expect(result.spend.cap_usd).toBe(10);
    expect(result.spend.model_usd).toBeGreaterThan(0);
    expect(result.spend.spent_usd).toBeCloseTo(result.spend.model_usd + result.spend.tools_usd, 4);
    expect(result.spend.spent_usd).toBeLessThanOrEqual(10);
  }, 30_000);

  test("--max-spend needs an amount", async () => {
    const r = await run(["--max-spend", "lots", "hi"]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("--max-spend");
  }, 30_000);
});
