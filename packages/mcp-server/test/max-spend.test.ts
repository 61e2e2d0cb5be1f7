import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { createTempDir, type FakeLlm, startFakeAnthropic } from "@ml-intern/testing";
import { FAKE_HF_TOKEN, type FakeHub, startFakeHub } from "@ml-intern/testing/hf/fake-hub";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { parseMcpArgs, UsageError } from "../src/cli-args.ts";
import { spendCapFor } from "../src/default-agent.ts";
import { runMcpCommand } from "../src/run-mcp-command.ts";

/** A GPU job for 2 h: a few dollars, well under the configuration's default cap. */
const GPU_JOB = {
  operation: "run",
  image: "python:3.12",
  command: ["nvidia-smi"],
  hardware_flavor: "a10g-large",
  timeout: "2h",
  follow: false,
};

let hub: FakeHub;
let llm: FakeLlm;
beforeAll(async () => {
  hub = await startFakeHub();
  llm = await startFakeAnthropic();
});
afterAll(async () => {
  await llm.close();
  await hub.close();
});

/** `ml-intern mcp` over HTTP with these flags; a client WITHOUT elicitation hands ml_intern a GPU task. */
async function gpuTaskWithoutElicitation(flags: string[]): Promise<{ toolResult: string; answer: string }> {
  await using home = await createTempDir();
  const controller = new AbortController();
  const logs: string[] = [];
  let onUrl!: (v: { url: string; token?: string }) => void;
  const listening = new Promise<{ url: string; token?: string }>((r) => {
    onUrl = r;
  });
  const exit = runMcpCommand(
    ["--transport", "http", "--port", "0", ...flags],
    {
      PATH: process.env.PATH ?? "",
      HOME: home.path,
      ML_INTERN_HOME: home.path,
      HF_ENDPOINT: hub.url,
      HF_TOKEN: FAKE_HF_TOKEN,
      ANTHROPIC_API_KEY: "sk-test",
      ANTHROPIC_BASE_URL: llm.url,
    },
    {
      signal: controller.signal,
      log: (m) => logs.push(m),
      onListening: (url, token) => onUrl({ url, token }),
    },
  );
  const { url, token } = await Promise.race([
    listening,
    exit.then((code) => Promise.reject(new Error(`exited ${code}: ${logs.join("\n")}`))),
  ]);
  const client = new Client({ name: "no-elicitation", version: "1.0.0" }); // declares no capabilities
  await client.connect(
    new StreamableHTTPClientTransport(new URL(url), {
      requestInit: { headers: { Authorization: `Bearer ${token}` } },
    }),
  );
  const before = llm.bodies.length;
  llm.respondWith((body) =>
    JSON.stringify(body.messages).includes('"tool_result"')
      ? { text: "Reported the job outcome." }
      : { toolCalls: [{ id: "toolu_gpu", name: "hf_jobs", input: GPU_JOB }] },
  );
  const result = await client.callTool({
    name: "ml_intern",
    arguments: { task: "Run nvidia-smi on a GPU." },
  });
  expect(result.isError).toBeFalsy();
  const bodies = llm.bodies.slice(before);
  const messages = JSON.stringify(bodies.at(-1)?.messages ?? []);
  const match = /"tool_use_id":"toolu_gpu"[^}]*?"content":("(?:[^"\\]|\\.)*")/.exec(messages);
  await client.close();
  controller.abort();
  expect(await exit).toBe(0);
  return {
    toolResult: match ? (JSON.parse(match[1]!) as string) : messages,
    answer: (result.content as { text: string }[])[0]!.text,
  };
}

describe("money only with a human yes or an explicit cap (ml_intern, client without elicitation)", () => {
  test("without --max-spend a paid GPU job is refused and never reaches the Hub", async () => {
    const jobsBefore = hub.jobs.size;
    const { toolResult, answer } = await gpuTaskWithoutElicitation([]);
    expect(toolResult).toStartWith("Not executed");
    expect(toolResult).toContain("exceeds the remaining spend cap $0.00");
    expect(answer).toContain("Reported the job outcome.");
    expect(hub.jobs.size).toBe(jobsBefore);
  }, 30_000);

  test("with --max-spend 20 the same job is approved up to the cap and submitted", async () => {
    const jobsBefore = hub.jobs.size;
    const { toolResult } = await gpuTaskWithoutElicitation(["--max-spend", "20"]);
    expect(toolResult).not.toContain("Not executed");
    expect(hub.jobs.size).toBe(jobsBefore + 1);
    const job = [...hub.jobs.values()].at(-1)!;
    expect(JSON.stringify(job.spec)).toContain("a10g-large");
  }, 30_000);

  test("with --max-spend 1 a job estimated above the cap is refused", async () => {
    const jobsBefore = hub.jobs.size;
    const { toolResult } = await gpuTaskWithoutElicitation(["--max-spend", "1"]);
    expect(toolResult).toContain("exceeds the remaining spend cap $1.00");
    expect(hub.jobs.size).toBe(jobsBefore);
  }, 30_000);
});

describe("--max-spend", () => {
  test("parses dollar amounts and rejects anything else", () => {
    expect(parseMcpArgs(["--max-spend", "2.50"]).maxSpendUsd).toBe(2.5);
    expect(parseMcpArgs([]).maxSpendUsd).toBeUndefined();
    for (const bad of ["-1", "abc", "1e3", ""]) {
      expect(() => parseMcpArgs(["--max-spend", bad])).toThrow(UsageError);
    }
  });

  test("the cap of a run: explicit, else the configuration's with a human, else zero", () => {
    const settings = { spendCapUsd: 5 };
    expect(spendCapFor(false, { settings })).toBe(0);
    expect(spendCapFor(true, { settings })).toBe(5);
    expect(spendCapFor(false, { settings, maxSpendUsd: 12 })).toBe(12);
  });
});
