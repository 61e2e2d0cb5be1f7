/** The agent loop and both SDK adapters answer the same tool calls with the same texts (one tool-call path). */
import { afterEach, expect, test } from "bun:test";
import { type FakeLlm, startFakeAnthropic } from "@ml-intern/testing";
import { createToolRegistry, defineTool, type ToolRegistry } from "@ml-intern/tool";
import { z } from "zod";
import { createAnthropicToolRunner } from "../../src/adapters/anthropic.ts";
import { createOpenAIToolRunner } from "../../src/adapters/openai.ts";
import { testAgent } from "./helpers.ts";

const add = defineTool({
  name: "add",
  description: "Adds.",
  toolset: "t",
  input: z.object({ a: z.number().describe("a") }),
  annotations: { readOnlyHint: true },
  execute: async ({ a }) => ({ text: String(a) }),
});
const big = defineTool({
  name: "big",
  description: "Large output.",
  toolset: "t",
  input: z.object({}),
  annotations: { readOnlyHint: true },
  execute: async () => ({ text: "x".repeat(5_000) }),
});

function registry(spilled: Map<string, string>): ToolRegistry {
  return createToolRegistry({
    tools: [add, big],
    outputBudgetChars: 1_000,
    spill: async (id, _name, text) => {
      spilled.set(id, text);
      return `/spill/${id}.txt`;
    },
  });
}

const CALLS = [
  { id: "c_invalid", name: "add", input: { a: "one" } },
  { id: "c_big", name: "big", input: {} },
];

let fake: FakeLlm | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

test("agent loop, Anthropic adapter and OpenAI adapter give the same validation text and the same spill", async () => {
  const texts: Record<string, string[]> = {};
  const spills: Record<string, number[]> = {};

  const aSpill = new Map<string, string>();
  const anthropic = createAnthropicToolRunner({ tools: registry(aSpill) });
  const aOut = await anthropic.runToolUses(CALLS.map((c) => ({ type: "tool_use", ...c })));
  texts.anthropic = aOut.map((b) => b.content);
  spills.anthropic = [...aSpill.values()].map((t) => t.length);

  const oSpill = new Map<string, string>();
  const openai = createOpenAIToolRunner({ tools: registry(oSpill) });
  const oOut = await openai.runToolCalls(
    CALLS.map((c) => ({
      id: c.id,
      type: "function",
      function: { name: c.name, arguments: JSON.stringify(c.input) },
    })),
  );
  texts.openai = oOut.map((m) => m.content.replace(/^ERROR: /, ""));
  spills.openai = [...oSpill.values()].map((t) => t.length);

  fake = await startFakeAnthropic();
  fake.enqueue(
    { toolCalls: CALLS.map((c) => ({ id: c.id, name: c.name, input: c.input })) },
    { text: "done" },
  );
  const gSpill = new Map<string, string>();
  const { agent } = await testAgent(fake, { tools: registry(gSpill) });
  await agent.send("go");
  const results = agent.messages().filter((m) => m.role === "tool");
  texts.agent = results.map((m) => m.content);
  spills.agent = [...gSpill.values()].map((t) => t.length);
  await agent.close();

  expect(texts.agent?.[0]).toStartWith("Invalid arguments for tool 'add':");
  expect(texts.agent?.[1]).toContain("Full output saved to /spill/c_big.txt");
  expect(texts.anthropic).toEqual(texts.agent as string[]);
  expect(texts.openai).toEqual(texts.agent as string[]);
  expect(spills).toEqual({ agent: [5_000], anthropic: [5_000], openai: [5_000] });
});

test("the same cancellation result in every host", async () => {
  let started: () => void = () => {};
  const wait = defineTool({
    name: "wait",
    description: "Waits until cancelled.",
    toolset: "t",
    input: z.object({}),
    annotations: { readOnlyHint: true },
    execute: (_args, ctx) => {
      started();
      return new Promise((resolve) => ctx.signal.addEventListener("abort", () => resolve({ text: "late" })));
    },
  });
  const tools = createToolRegistry({ tools: [wait] });
  const cancelWhenStarted = () => {
    const controller = new AbortController();
    started = () => controller.abort();
    return controller.signal;
  };
  const waitUse: { type: string }[] = [
    { type: "tool_use", id: "w", name: "wait", input: {} } as { type: string },
  ];
  const [a] = await createAnthropicToolRunner({ tools }).runToolUses(waitUse, {
    signal: cancelWhenStarted(),
  });
  const [o] = await createOpenAIToolRunner({ tools }).runToolCalls(
    [{ id: "w", type: "function", function: { name: "wait", arguments: "{}" } }],
    { signal: cancelWhenStarted() },
  );

  fake = await startFakeAnthropic();
  fake.enqueue({ toolCalls: [{ id: "w", name: "wait", input: {} }] });
  const { agent } = await testAgent(fake, { tools });
  started = () => agent.submit({ type: "interrupt" });
  await agent.send("go");
  const result = agent.messages().find((m) => m.role === "tool");
  await agent.close();

  expect(result?.content).toBe("Tool 'wait' was cancelled.");
  expect(a).toMatchObject({ content: "Tool 'wait' was cancelled.", is_error: true });
  expect(o?.content).toBe("ERROR: Tool 'wait' was cancelled.");
});
