import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type FakeLlm, startFakeAnthropic } from "@ml-intern/testing";
import { createToolRegistry, defineTool } from "@ml-intern/tool";
import { z } from "zod";
import { testAgent } from "./helpers.ts";

let fake: FakeLlm;
beforeEach(async () => {
  fake = await startFakeAnthropic();
});
afterEach(async () => {
  await fake.close();
});

type Block = { type: string; [k: string]: unknown };
type Msg = { role: string; content: Block[] };
const messagesOf = (i: number) => fake.bodies[i]!.messages as Msg[];

function countingTool() {
  const seen = { running: 0, max: 0, ran: 0 };
  const tool = defineTool({
    name: "probe",
    description: "records how many probes run at once",
    toolset: "test",
    input: z.object({ n: z.number().describe("index") }),
    annotations: { readOnlyHint: true },
    async execute({ n }) {
      seen.running++;
      seen.ran++;
      seen.max = Math.max(seen.max, seen.running);
      await new Promise((r) => setTimeout(r, 1));
      seen.running--;
      return { text: `probe ${n}` };
    },
  });
  return { tool, seen };
}

describe("tool calls per reply", () => {
  test("a reply with 10,000 tool calls: the first 64 run, the rest get the cap text, every call is answered", async () => {
    const { tool, seen } = countingTool();
    const calls = Array.from({ length: 10_000 }, (_, n) => ({ name: "probe", input: { n } }));
    fake.enqueue({ toolCalls: calls }, { text: "ok, fewer" });
    const { agent, events } = await testAgent(fake, { tools: createToolRegistry({ tools: [tool] }) });
    const result = await agent.send("go wild");
    expect(result).toMatchObject({ status: "done", finalResponse: "ok, fewer" });
    expect(seen.ran).toBe(64);
    expect(seen.max).toBeLessThanOrEqual(8);
    const results = messagesOf(1)
      .flatMap((m) => m.content)
      .filter((b) => b.type === "tool_result");
    expect(results).toHaveLength(10_000);
    expect(JSON.stringify(results[0]!.content)).toContain("probe 0");
    expect(JSON.stringify(results[63]!.content)).toContain("probe 63");
    const capped = JSON.stringify(results[64]!.content);
    expect(capped).toContain(
      "Not executed: this reply asked for 10000 tool calls; at most 64 run per reply. Ask for fewer at a time.",
    );
    expect(results[9_999]!.is_error).toBe(true);
    const notice = events.find((e) => e.type === "notice" && e.kind === "limit");
    expect(notice).toMatchObject({ limit: "tool_calls", requested: 10_000, max_tool_calls: 64 });
  }, 30_000);

  test("a parallel batch runs at most maxParallelToolCalls at once; results keep call order", async () => {
    const { tool, seen } = countingTool();
    const calls = Array.from({ length: 20 }, (_, n) => ({ name: "probe", input: { n } }));
    fake.enqueue({ toolCalls: calls }, { text: "done" });
    const { agent } = await testAgent(fake, {
      tools: createToolRegistry({ tools: [tool] }),
      maxParallelToolCalls: 3,
    });
    await agent.send("probe");
    expect(seen.ran).toBe(20);
    expect(seen.max).toBeGreaterThan(1);
    expect(seen.max).toBeLessThanOrEqual(3);
    const texts = messagesOf(1)
      .flatMap((m) => m.content)
      .filter((b) => b.type === "tool_result")
      .map((b) => JSON.stringify(b.content));
    expect(texts).toHaveLength(20);
    expect(texts.every((t, n) => t.includes(`probe ${n}`))).toBe(true);
  });
});
