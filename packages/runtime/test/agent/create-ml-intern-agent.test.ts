import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type AgentEvent, defineTool } from "@ml-intern/core";
import { createTempDir, type FakeLlm, startFakeAnthropic, type TempDir } from "@ml-intern/testing";
import { z } from "zod";
import { createMlInternAgent, type MlInternAgentOptions } from "../../src/agent/create-ml-intern-agent.ts";
import { echoTool } from "../lib/echo-tool.ts";

let fake: FakeLlm;
let dir: TempDir;
beforeEach(async () => {
  fake = await startFakeAnthropic();
  dir = await createTempDir();
});
afterEach(async () => {
  await fake.close();
  await dir[Symbol.asyncDispose]();
});

const HF = "hf_secretvalue1234567890abcdef";

async function make(overrides: Partial<MlInternAgentOptions> = {}) {
  const rt = await createMlInternAgent({
    model: "anthropic/claude-sonnet-5-5",
    env: {
      ANTHROPIC_API_KEY: "sk-ant-api03-testkeytestkeytestkey",
      ANTHROPIC_BASE_URL: fake.url,
      HF_TOKEN: HF,
      // whoami goes to a closed loopback port, never to the internet.
      HF_ENDPOINT: "http://127.0.0.1:9",
    },
    tools: [echoTool],
    cwd: dir.path,
    home: join(dir.path, "state"),
    headless: true,
    ...overrides,
  });
  const events: AgentEvent[] = [];
  rt.agent.subscribe((e) => events.push(e));
  return { rt, events };
}

/** A tool returning `size` characters, and six model turns that each call it once. */
function enqueueDumps(size: number, fill: string) {
  const text = fill.repeat(size);
  const tool = defineTool({
    ...echoTool,
    name: "dump",
    async execute() {
      return { text };
    },
  });
  for (const t of ["a", "b", "c", "d", "e", "f"])
    fake.enqueue({ toolCalls: [{ name: "dump", input: { text: t } }] });
  return tool;
}

const sessionFile = (id: string) => join(dir.path, "state", "sessions", id);

describe("createMlInternAgent", () => {
  test("runs a turn, persists it redacted, and resumes it", async () => {
    fake.enqueue({ toolCalls: [{ name: "echo", input: { text: `token is ${HF}` } }] }, { text: "done" });
    const { rt } = await make();
    const result = await rt.agent.send("echo my token");
    expect(result.finalResponse).toBe("done");
    const id = rt.sessionId;
    await rt.dispose();
    const files = readdirSync(sessionFile(id));
    const text = files.map((f) => readFileSync(join(sessionFile(id), f), "utf8")).join("\n");
    expect(text).toContain("echo my token");
    expect(text).not.toContain(HF);
    expect(text).not.toContain("sk-ant-api03-testkey");

    fake.enqueue({ text: "resumed answer" });
    const { rt: again } = await make({ resume: id.slice(0, 8) });
    expect(again.sessionId).toBe(id);
    expect(again.agent.messages().length).toBe(4);
    await again.agent.send("and now?");
    const sent = JSON.stringify(fake.bodies.at(-1)!.messages);
    expect(sent).toContain("echo my token");
    await again.dispose();
  });

  test("adds research and plan_tool; plan updates emit plan_update and drive the continuation guard", async () => {
    fake.enqueue(
      {
        toolCalls: [
          {
            name: "plan_tool",
            input: {
              todos: [
                { id: "1", content: "train", status: "in_progress" },
                { id: "2", content: "eval", status: "pending" },
              ],
            },
          },
        ],
      },
      { text: "I will stop here." },
      {
        toolCalls: [
          {
            name: "plan_tool",
            input: {
              todos: [
                { id: "1", content: "train", status: "completed" },
                { id: "2", content: "eval", status: "completed" },
              ],
            },
          },
        ],
      },
      { text: "All done." },
    );
    const { rt, events } = await make();
    const names = (fake.bodies[0]?.tools as { name: string }[] | undefined)?.map((t) => t.name);
    expect(names).toBeUndefined();
    const result = await rt.agent.send("plan it");
    const toolNames = (fake.bodies[0]!.tools as { name: string }[]).map((t) => t.name);
    expect(toolNames).toEqual(["research", "echo", "plan_tool"]);
    // The answer given before the nudge stays the turn's answer: the post-nudge acknowledgement is shorter and
    // only plan_tool ran in between.
    expect(result.finalResponse).toBe("I will stop here.");
    expect(events.filter((e) => e.type === "plan_update").length).toBe(2);
    expect(JSON.stringify(fake.bodies[2]!.messages)).toContain("CONTINUATION GUARD");
    await rt.dispose();
  });

  test("the doom-loop guard nudges once, then stops the turn with loop_detected", async () => {
    fake.respondWith(() => ({ toolCalls: [{ name: "echo", input: { text: "same" } }] }));
    const { rt, events } = await make();
    const result = await rt.agent.send("loop");
    expect(result.status).toBe("error");
    expect(result.error?.code).toBe("loop_detected");
    const nudges = fake.bodies.filter((b) => JSON.stringify(b.messages).includes("REPETITION GUARD"));
    expect(nudges.length).toBeGreaterThanOrEqual(1);
    expect(events.some((e) => e.type === "error" && e.code === "loop_detected")).toBe(true);
    await rt.dispose();
  });

  test("headless refuses spend beyond the cap with a clear result", async () => {
    const gpu = defineTool({
      name: "hf_jobs",
      description: "jobs",
      toolset: "hf-jobs",
      input: z.object({ flavor: z.string().describe("hardware") }),
      annotations: { readOnlyHint: false },
      needsApproval: ({ flavor }) => ({
        kind: "spend",
        reason: `GPU job on ${flavor}`,
        estimatedCostUsd: 40,
      }),
      async execute() {
        return { text: "launched" };
      },
    });
    fake.enqueue({ toolCalls: [{ name: "hf_jobs", input: { flavor: "h200x4" } }] }, { text: "ok" });
    const { rt } = await make({ tools: [gpu], spendCapUsd: 5 });
    await rt.agent.send("train");
    const result = JSON.stringify(fake.bodies[1]!.messages);
    expect(result).toContain("Not executed");
    expect(result).toMatch(/cap/i);
    await rt.dispose();
  });

  test("compaction on demand emits compacted and shrinks what is sent", async () => {
    const bigTool = enqueueDumps(200_000, "x");
    fake.enqueue({ text: "first done" });
    const { rt, events } = await make({ tools: [bigTool], contextWindow: 60_000 });
    await rt.agent.send("dump twice");
    fake.enqueue({ text: "Summary of the work so far." }, { text: "after compaction" });
    rt.agent.submit({ type: "compact" });
    await rt.agent.idle();
    const compacted = events.find((e) => e.type === "compacted");
    expect(compacted).toBeDefined();
    if (compacted?.type === "compacted") expect(compacted.new_tokens).toBeLessThan(compacted.old_tokens);
    await rt.agent.send("next");
    const sent = JSON.stringify(fake.bodies.at(-1)!.messages);
    expect(sent.length).toBeLessThan(JSON.stringify(fake.bodies[6]!.messages).length);
    expect(sent).toContain("dump twice");
    await rt.dispose();
  });

  test("with automatic compaction off, a provider overflow ends the turn at once (no compaction, no retry)", async () => {
    fake.enqueue({
      httpError: { status: 400, message: "prompt is too long: 250000 tokens > 200000 maximum" },
    });
    const { rt, events } = await make({ autoCompact: false });
    const result = await rt.agent.send("hi");
    expect(result.status).toBe("error");
    expect(result.error?.code).toBe("context_overflow");
    expect(fake.bodies.length).toBe(1);
    expect(events.some((e) => e.type === "compacted")).toBe(false);
    await rt.dispose();
  });

  test("with automatic compaction on, a provider overflow compacts and retries", async () => {
    const bigTool = enqueueDumps(24_000, "y");
    fake.enqueue(
      { httpError: { status: 400, message: "prompt is too long" } },
      { text: "Summary of the dumps." },
      { text: "recovered after compaction" },
    );
    const { rt, events } = await make({ tools: [bigTool] });
    const result = await rt.agent.send("dump a lot");
    expect(result.finalResponse).toBe("recovered after compaction");
    expect(events.some((e) => e.type === "compacted")).toBe(true);
    await rt.dispose();
  });
});
