import { afterEach, beforeEach, expect, test } from "bun:test";
import {
  createAgent,
  createPlanSource,
  createPlanStore,
  createPlanTool,
  createProvider,
  createToolRegistry,
} from "@ml-intern/core";
import { DEFAULT_MODEL } from "@ml-intern/runtime/model";
import { type FakeLlm, startFakeAnthropic } from "@ml-intern/testing";
import { createMcpServer } from "../src/server.ts";
import { createSessionRunner, type OpenAgent, type SessionRunner } from "../src/session-runner.ts";
import { connectInMemory } from "./lib/connect.ts";
import { createSampleTools } from "./lib/sample-tools.ts";

let fake: FakeLlm;
let runner: SessionRunner | undefined;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(async () => {
  await runner?.dispose();
  runner = undefined;
  await fake.close();
});

const REPORT = "## Results\n\n| run | loss |\n| --- | --- |\n| a | 0.42 |";

test("ml_intern: a report given while the plan is open is the final answer, not the post-nudge 'Done.'", async () => {
  const sample = createSampleTools();
  const open: OpenAgent = async () => {
    const plan = createPlanStore();
    const provider = await createProvider(DEFAULT_MODEL, {
      env: { ANTHROPIC_API_KEY: "sk-test", ANTHROPIC_BASE_URL: fake.url },
    });
    const agent = createAgent({
      provider,
      tools: createToolRegistry({ tools: [...sample.tools, createPlanTool(plan)] }),
      systemPrompt: "You are a test agent.",
      plan: createPlanSource(plan),
      retry: { maxAttempts: 1 },
    });
    return { agent, dispose: () => agent.close() };
  };
  runner = createSessionRunner({ open });
  const server = createMcpServer({ tools: sample.tools, runAgent: runner.run });
  const { client, close } = await connectInMemory(server);
  fake.enqueue(
    {
      toolCalls: [
        { name: "plan_tool", input: { todos: [{ id: "1", content: "Train", status: "in_progress" }] } },
      ],
    },
    { text: REPORT },
    { text: "Done." },
    { text: "Done." },
  );
  const result = await client.callTool({ name: "ml_intern", arguments: { task: "train and report" } });
  const text = (result.content as { type: string; text: string }[])[0]!.text;
  expect(text).toStartWith(REPORT);
  expect(text).not.toStartWith("Done.");
  expect(JSON.stringify(fake.bodies.at(-1))).toContain("CONTINUATION GUARD");
  await close();
});
