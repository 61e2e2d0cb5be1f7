import { afterEach, beforeEach, expect, test } from "bun:test";
import Anthropic from "@anthropic-ai/sdk";
import { type FakeLlm, startFakeAnthropic } from "@ml-intern/testing";
import { FAKE_HF_TOKEN, type FakeHub, startFakeHub } from "@ml-intern/testing/hf/fake-hub";
import { createHfConfig } from "@ml-intern/tools-hf";
import { askWithHfTools } from "../src/run.ts";

let llm: FakeLlm;
let hub: FakeHub;
beforeEach(async () => {
  llm = await startFakeAnthropic();
  hub = await startFakeHub({
    repos: [
      { id: "acme/sentiment-bert", pipeline_tag: "text-classification", downloads: 90_000, likes: 40 },
      { id: "acme/llama-chat", pipeline_tag: "text-generation", downloads: 5_000 },
    ],
  });
});
afterEach(async () => {
  await Promise.all([llm.close(), hub.close()]);
});

test("the model's hub_repo_search call runs against the Hub and its result goes back as a tool_result", async () => {
  llm.enqueue(
    {
      text: "Searching.",
      toolCalls: [{ id: "toolu_s", name: "hub_repo_search", input: { query: "sentiment" } }],
    },
    { text: "acme/sentiment-bert is the one." },
  );
  const calls: string[] = [];
  const result = await askWithHfTools({
    client: new Anthropic({ apiKey: "sk-test", baseURL: llm.url, maxRetries: 0 }),
    hf: createHfConfig({ hubUrl: hub.url, token: FAKE_HF_TOKEN }),
    prompt: "Find a sentiment model",
    model: "claude-test",
    onToolCall: (name) => calls.push(name),
  });
  expect(result.answer).toBe("acme/sentiment-bert is the one.");
  expect(result.steps).toBe(2);
  expect(calls).toEqual(["hub_repo_search"]);
  const sentTools = (llm.bodies[0]!.tools as { name: string }[]).map((t) => t.name);
  expect(sentTools).toContain("hf_jobs");
  const toolResult = (llm.bodies[1]!.messages as { content: { type: string; content: string }[] }[]).at(-1)
    ?.content[0];
  expect(toolResult?.type).toBe("tool_result");
  expect(toolResult?.content).toContain("acme/sentiment-bert");
  expect(toolResult?.content).not.toContain("acme/llama-chat");
  expect(hub.server.requestsTo("/api/models").length).toBeGreaterThan(0);
});

test("a job launch is refused without an approval handler and nothing reaches the Jobs API", async () => {
  llm.enqueue(
    {
      toolCalls: [
        {
          id: "toolu_j",
          name: "hf_jobs",
          input: { operation: "run", image: "python:3.12", command: ["python", "-c", "print(1)"] },
        },
      ],
    },
    { text: "I could not start the job." },
  );
  const result = await askWithHfTools({
    client: new Anthropic({ apiKey: "sk-test", baseURL: llm.url, maxRetries: 0 }),
    hf: createHfConfig({ hubUrl: hub.url, token: FAKE_HF_TOKEN }),
    prompt: "run a job",
    model: "claude-test",
  });
  expect(result.answer).toBe("I could not start the job.");
  const toolResult = (
    llm.bodies[1]!.messages as { content: { type: string; content: string; is_error?: boolean }[] }[]
  ).at(-1)?.content[0];
  expect(toolResult?.is_error).toBe(true);
  expect(hub.jobs.size).toBe(0);
});
