import { afterEach, beforeEach, expect, test } from "bun:test";
import { type FakeLlm, startFakeAnthropic } from "@ml-intern/testing";
import { createToolRegistry, defineTool, type ToolRegistry } from "@ml-intern/tool";
import { z } from "zod";
import type { LlmProvider } from "../../src/llm/provider.ts";
import { createResearchTool } from "../../src/research/research-tool.ts";
import { anthropicProvider, testAgent } from "../agent/helpers.ts";

let fake: FakeLlm;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(() => fake.close());

/** A read-only web_search; with `wait`, each call answers only once it resolves. */
const searchTool = (wait?: Promise<void>) =>
  defineTool({
    name: "web_search",
    description: "search",
    toolset: "web",
    input: z.object({ query: z.string().describe("q") }),
    annotations: { readOnlyHint: true },
    async execute({ query }) {
      await wait;
      return { text: `results for ${query}` };
    },
  });
const webSearch = searchTool();
const launchJob = defineTool({
  name: "hf_jobs",
  description: "jobs",
  toolset: "hf-jobs",
  input: z.object({}),
  annotations: { readOnlyHint: false },
  async execute() {
    return { text: "launched" };
  },
});

const isSub = (body: Record<string, unknown>) => JSON.stringify(body.system).includes("RESEARCHER");

async function setup(maxIterations?: number) {
  const provider: LlmProvider = await anthropicProvider(fake);
  let registry!: ToolRegistry;
  const research = createResearchTool({
    provider: () => provider,
    tools: () => registry,
    systemPrompt: "RESEARCHER prompt",
    maxIterations,
  });
  registry = createToolRegistry({ tools: [research, webSearch, launchJob] });
  return testAgent(fake, { provider, tools: registry });
}

test("research runs a read-only sub-agent and returns its summary", async () => {
  fake.respondWith((body, i) => {
    if (!isSub(body)) {
      return i === 0
        ? { toolCalls: [{ name: "research", input: { task: "GRPO recipes in TRL" } }] }
        : { text: "main done" };
    }
    const msgs = JSON.stringify(body.messages);
    return msgs.includes("results for grpo")
      ? { text: "Summary: use GRPOTrainer." }
      : { toolCalls: [{ name: "web_search", input: { query: "grpo" } }] };
  });
  const { agent, events } = await setup();
  const result = await agent.send("research grpo");
  expect(result.finalResponse).toBe("main done");
  const subBodies = fake.bodies.filter(isSub);
  const subTools = (subBodies[0]!.tools as { name: string }[]).map((t) => t.name);
  expect(subTools).toEqual(["web_search"]);
  const output = events.find((e) => e.type === "tool_output" && e.tool === "research");
  expect(output && "output" in output ? output.output : "").toBe("Summary: use GRPOTrainer.");
  const logs = events.flatMap((e) => (e.type === "tool_log" && e.tool === "research" ? [e] : []));
  expect(logs.some((e) => e.agent_id && e.log.startsWith("▸ web_search"))).toBe(true);
  expect(logs.every((e) => e.label?.startsWith("research: GRPO recipes"))).toBe(true);
});

test("at its iteration limit the sub-agent is made to answer without tools", async () => {
  fake.respondWith((body, i) => {
    if (!isSub(body))
      return i === 0 ? { toolCalls: [{ name: "research", input: { task: "x" } }] } : { text: "ok" };
    if ((body.tools as unknown[] | undefined)?.length)
      return { toolCalls: [{ name: "web_search", input: { query: `q${i}` } }] };
    return { text: "Partial findings." };
  });
  const { agent, events } = await setup(2);
  await agent.send("go");
  const subBodies = fake.bodies.filter(isSub);
  expect(subBodies.length).toBe(3);
  expect(subBodies[2]!.tools).toBeUndefined();
  expect(JSON.stringify(subBodies[2]!.messages)).toContain("Do not call any tools");
  const output = events.find((e) => e.type === "tool_output" && e.tool === "research");
  expect(output && "output" in output ? output.output : "").toBe("Partial findings.");
});

test("the sub-agent's token budget follows its model's context window", async () => {
  fake.respondWith((body, i) => {
    if (!isSub(body))
      return i === 0 ? { toolCalls: [{ name: "research", input: { task: "x" } }] } : { text: "ok" };
    if ((body.tools as unknown[] | undefined)?.length) {
      return {
        toolCalls: [{ name: "web_search", input: { query: `q${i}` } }],
        usage: { input: 9_000, output: 5 },
      };
    }
    return { text: "Answer within the window." };
  });
  const base = await anthropicProvider(fake);
  // A 10k-token window: 9k prompt tokens is past RESEARCH_WINDOW_SHARE of it, so the next call must answer.
  const small: LlmProvider = { ...base, info: { ...base.info, contextWindow: 10_000 } };
  let registry!: ToolRegistry;
  const research = createResearchTool({
    provider: () => small,
    tools: () => registry,
    systemPrompt: "RESEARCHER prompt",
  });
  registry = createToolRegistry({ tools: [research, webSearch] });
  const { agent, events } = await testAgent(fake, { provider: base, tools: registry });
  await agent.send("go");
  const subBodies = fake.bodies.filter(isSub);
  expect(subBodies).toHaveLength(2);
  expect(subBodies[1]!.tools).toBeUndefined();
  const output = events.find((e) => e.type === "tool_output" && e.tool === "research");
  expect(output && "output" in output ? output.output : "").toBe("Answer within the window.");
});

test("research sub-agents beyond maxParallel wait for a slot (logged), then run", async () => {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const slowSearch = searchTool(released);
  const taskOf = (body: Record<string, unknown>) =>
    JSON.stringify(body.messages).includes("task B") ? "B" : "A";
  fake.respondWith((body, i) => {
    if (!isSub(body)) {
      return i === 0
        ? {
            toolCalls: [
              { name: "research", input: { task: "task A" } },
              { name: "research", input: { task: "task B" } },
            ],
          }
        : { text: "both done" };
    }
    const task = taskOf(body);
    return JSON.stringify(body.messages).includes("results for")
      ? { text: `Summary ${task}.` }
      : { toolCalls: [{ name: "web_search", input: { query: task } }] };
  });
  const provider = await anthropicProvider(fake);
  let registry!: ToolRegistry;
  const research = createResearchTool({
    provider: () => provider,
    tools: () => registry,
    systemPrompt: "RESEARCHER prompt",
    maxParallel: 1,
  });
  registry = createToolRegistry({ tools: [research, slowSearch] });
  const { agent, events } = await testAgent(fake, { provider, tools: registry });
  const unsubscribe = agent.subscribe((e) => {
    if (e.type === "tool_log" && e.log.startsWith("Waiting: 1 research sub-agents")) release();
  });
  const result = await agent.send("research both");
  unsubscribe();
  expect(result.finalResponse).toBe("both done");
  const order = fake.bodies.filter(isSub).map(taskOf);
  // One at a time: B's sub-agent starts only after A's has answered.
  expect(order).toEqual(["A", "A", "B", "B"]);
  const outputs = events.flatMap((e) =>
    e.type === "tool_output" && e.tool === "research" ? [e.output] : [],
  );
  expect(outputs.sort()).toEqual(["Summary A.", "Summary B."]);
});
