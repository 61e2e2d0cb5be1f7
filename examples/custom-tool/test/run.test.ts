import { afterEach, beforeEach, expect, test } from "bun:test";
import { type AgentEvent, createProvider } from "@ml-intern/core";
import { type FakeLlm, startFakeOpenAI } from "@ml-intern/testing";
import { JOB_HARDWARE_PRICES_USD_PER_HOUR } from "@ml-intern/tools-hf/pricing";
import { planWithCustomTool } from "../src/run.ts";
import { trainingCostTool } from "../src/training-cost-tool.ts";

let llm: FakeLlm;
beforeEach(async () => {
  llm = await startFakeOpenAI();
});
afterEach(() => llm.close());

const ctx = {
  signal: new AbortController().signal,
  toolCallId: "t",
  sessionId: "s",
  progress() {},
  log() {},
};

test("the tool prices runs from core's hardware table and rejects unknown flavors", async () => {
  const rate = JOB_HARDWARE_PRICES_USD_PER_HOUR["a100-large"]!;
  const ok = await trainingCostTool.execute({ hardware: "a100-large", hours: 4, runs: 3 }, ctx);
  expect(ok.structured?.totalUsd).toBeCloseTo(rate * 12, 2);
  const bad = await trainingCostTool.execute({ hardware: "tpu-v9", hours: 1, runs: 1 }, ctx);
  expect(bad.isError).toBe(true);
  expect(bad.text).toContain("a100-large");
});

test("the agent offers the custom tool, runs the model's call and finishes the turn", async () => {
  llm.enqueue(
    {
      toolCalls: [
        { id: "call_1", name: "estimate_training_cost", input: { hardware: "a10g-large", hours: 6 } },
      ],
    },
    { text: "About that much." },
  );
  const provider = await createProvider("openai/gpt-test", {
    env: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: `${llm.url}/v1` },
  });
  const events: AgentEvent[] = [];
  const result = await planWithCustomTool({
    provider,
    prompt: "cost of 6h on a10g-large?",
    onEvent: (e) => events.push(e),
  });
  expect(result.status).toBe("done");
  expect(result.finalResponse).toBe("About that much.");
  const offered = (
    llm.bodies[0]!.tools as { function: { name: string; parameters: { required?: string[] } } }[]
  )[0];
  expect(offered?.function.name).toBe("estimate_training_cost");
  expect(offered?.function.parameters.required).toEqual(["hardware", "hours"]);
  const output = events.find((e) => e.type === "tool_output");
  const expected = (JOB_HARDWARE_PRICES_USD_PER_HOUR["a10g-large"]! * 6).toFixed(2);
  expect(output).toMatchObject({ success: true, structured: { runs: 1 } });
  const toolMessage = (llm.bodies[1]!.messages as { role: string; content: string }[]).at(-1);
  expect(toolMessage?.role).toBe("tool");
  expect(toolMessage?.content).toContain(`$${expected}`);
});

test("invalid arguments from the model come back to it as a validation error, without running the tool", async () => {
  llm.enqueue(
    {
      toolCalls: [
        { id: "call_1", name: "estimate_training_cost", input: { hardware: "a10g-large", hours: -2 } },
      ],
    },
    { text: "Sorry." },
  );
  const provider = await createProvider("openai/gpt-test", {
    env: { OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: `${llm.url}/v1` },
  });
  const events: AgentEvent[] = [];
  await planWithCustomTool({ provider, prompt: "x", onEvent: (e) => events.push(e) });
  expect(events.find((e) => e.type === "tool_output")).toMatchObject({ success: false });
  const toolMessage = (llm.bodies[1]!.messages as { role: string; content: string }[]).at(-1);
  expect(toolMessage?.content).toContain("hours");
});
