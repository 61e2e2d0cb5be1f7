import { afterEach, beforeEach, describe, expect, test } from "bun:test";
import { type FakeLlm, startFakeAnthropic, startFakeOpenAI } from "@ml-intern/testing";
import { createToolRegistry, defineTool } from "@ml-intern/tool";
import { z } from "zod";
import type { ApprovalGate } from "../../src/agent/agent-hooks.ts";
import { echoTool, openaiRouterProvider, testAgent, waitForEvent } from "./helpers.ts";

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

describe("agent loop (Anthropic, streaming)", () => {
  test("a tool round trip: call, result to the model, final answer", async () => {
    fake.enqueue(
      { text: "Let me echo.", toolCalls: [{ name: "echo", input: { text: "hi" } }] },
      { text: "Done: hi" },
    );
    const { agent, types, events } = await testAgent(fake);
    const result = await agent.send("say hi");
    expect(result).toMatchObject({ status: "done", finalResponse: "Done: hi", iterations: 2 });
    const seq = types();
    expect(seq).toContain("assistant_chunk");
    expect(seq.indexOf("tool_call")).toBeLessThan(seq.indexOf("tool_output"));
    expect(seq.at(-1)).toBe("turn_complete");
    const output = events.find((e) => e.type === "tool_output");
    expect(output).toMatchObject({ tool: "echo", output: "echo: hi", success: true });
    const second = messagesOf(1);
    const toolResult = second.at(-1)!.content.find((b) => b.type === "tool_result");
    expect(toolResult).toMatchObject({ type: "tool_result", content: "echo: hi" });
    const auth = fake.requests[0]!.headers;
    expect(auth.get("x-api-key") ?? auth.get("authorization")).toContain("sk-ant-test-key");
  });

  test("independent tool calls run in parallel; results stay in call order", async () => {
    let releaseFirst!: () => void;
    const firstGate = new Promise<void>((r) => {
      releaseFirst = r;
    });
    const started: string[] = [];
    const slow = defineTool({
      name: "step",
      description: "a step",
      toolset: "test",
      input: z.object({ id: z.string().describe("id") }),
      annotations: { readOnlyHint: true },
      async execute({ id }) {
        started.push(id);
        // "a" cannot finish until "b" has started: only possible when both run concurrently.
        if (id === "a") await firstGate;
        if (id === "b") releaseFirst();
        return { text: `done ${id}` };
      },
    });
    fake.enqueue(
      {
        toolCalls: [
          { name: "step", input: { id: "a" } },
          { name: "step", input: { id: "b" } },
        ],
      },
      { text: "ok" },
    );
    const { agent } = await testAgent(fake, { tools: createToolRegistry({ tools: [slow] }) });
    const result = await agent.send("go");
    expect(result.status).toBe("done");
    expect(started).toEqual(["a", "b"]);
    const results = messagesOf(1)
      .at(-1)!
      .content.filter((b) => b.type === "tool_result")
      .map((b) => b.content);
    expect(results).toEqual(["done a", "done b"]);
  });

  test("malformed JSON, invalid arguments and unknown tools become results the model sees", async () => {
    fake.enqueue(
      {
        toolCalls: [
          { name: "echo", rawArguments: '{"text": "unterminated' },
          { name: "echo", input: { text: 42 } },
          { name: "nope", input: {} },
        ],
      },
      { text: "recovered" },
    );
    const { agent } = await testAgent(fake);
    const result = await agent.send("go");
    expect(result).toMatchObject({ status: "done", finalResponse: "recovered" });
    const contents = messagesOf(1)
      .at(-1)!
      .content.filter((b) => b.type === "tool_result")
      .map((b) => String(b.content));
    expect(contents[0]).toContain("malformed JSON arguments");
    expect(contents[1]).toContain("Invalid arguments for tool 'echo'");
    expect(contents[2]).toContain("Unknown tool 'nope'");
  });

  test("retries 429 (retry-after), 529 and a connection reset mid-stream", async () => {
    fake.enqueue(
      { httpError: { status: 429, headers: { "retry-after": "0" } } },
      { httpError: { status: 529 } },
      { text: "partial answer that will be lost", dropAfterFrames: 4 },
      { text: "finally" },
    );
    const { agent, events } = await testAgent(fake);
    const result = await agent.send("go");
    expect(result).toMatchObject({ status: "done", finalResponse: "finally" });
    expect(fake.bodies.length).toBe(4);
    const retries = events.filter((e) => e.type === "notice" && e.kind === "retry");
    expect(retries.length).toBe(3);
    expect(retries.map((e) => (e.type === "notice" && e.kind === "retry" ? e.attempt : 0))).toEqual([
      2, 3, 4,
    ]);
    expect(events.some((e) => e.type === "tool_log" && e.tool === "system")).toBe(false);
  });

  test("a mid-stream overloaded error event is retried", async () => {
    fake.enqueue(
      { text: "abc", midStreamError: { type: "overloaded_error", message: "Overloaded", afterFrames: 3 } },
      { text: "ok" },
    );
    const { agent } = await testAgent(fake);
    expect((await agent.send("go")).finalResponse).toBe("ok");
    expect(fake.bodies.length).toBe(2);
  });

  test("authentication errors are not retried and say what to do", async () => {
    fake.enqueue({ httpError: { status: 401, message: "invalid x-api-key" } });
    const { agent, events } = await testAgent(fake);
    const result = await agent.send("go");
    expect(result.status).toBe("error");
    expect(result.error?.code).toBe("auth");
    expect(fake.bodies.length).toBe(1);
    const err = events.find((e) => e.type === "error");
    expect(err && "error" in err ? err.error : "").toContain("ANTHROPIC_API_KEY");
  });

  test("interrupt during a stream aborts it and emits interrupted", async () => {
    fake.enqueue({ text: "this stream hangs forever", hangAfterFrames: 4 });
    const { agent, events } = await testAgent(fake);
    const done = agent.send("go");
    await waitForEvent(events, (e) => e.type === "assistant_chunk");
    agent.submit({ type: "interrupt" });
    const result = await done;
    expect(result.status).toBe("interrupted");
    expect(events.some((e) => e.type === "interrupted")).toBe(true);
  });

  test("interrupt during a slow tool aborts the tool through its signal", async () => {
    let sawAbort = false;
    const slow = defineTool({
      name: "wait_forever",
      description: "waits",
      toolset: "test",
      input: z.object({}),
      annotations: { readOnlyHint: true },
      execute(_args, ctx) {
        return new Promise((resolve) => {
          ctx.signal.addEventListener("abort", () => {
            sawAbort = true;
            resolve({ text: "aborted", isError: true });
          });
        });
      },
    });
    fake.enqueue({ toolCalls: [{ name: "wait_forever", input: {} }] }, { text: "next turn" });
    const { agent, events } = await testAgent(fake, { tools: createToolRegistry({ tools: [slow] }) });
    const done = agent.send("go");
    await waitForEvent(events, (e) => e.type === "tool_state_change" && e.state === "running");
    agent.submit({ type: "interrupt" });
    expect((await done).status).toBe("interrupted");
    expect(sawAbort).toBe(true);
    // The next turn sends a history where the interrupted call has a result.
    await agent.send("continue");
    const toolResult = messagesOf(1)
      .flatMap((m) => m.content)
      .find((b) => b.type === "tool_result");
    expect(String(toolResult?.content)).toBe("Tool 'wait_forever' was cancelled.");
  });

  test("max iterations ends the turn with an explicit reason", async () => {
    fake.respondWith(() => ({ toolCalls: [{ name: "echo", input: { text: "again" } }] }));
    const { agent, events } = await testAgent(fake, { maxIterations: 3 });
    const result = await agent.send("loop");
    expect(result.status).toBe("max_iterations");
    expect(fake.bodies.length).toBe(3);
    const complete = events.find((e) => e.type === "turn_complete");
    expect(complete).toMatchObject({ reason: "max_iterations", iterations: 3 });
  });

  test("a response cut at max_tokens in the middle of a tool call is dropped with a nudge", async () => {
    fake.enqueue(
      {
        text: "Writing the file",
        toolCalls: [{ name: "echo", rawArguments: '{"text": "very long' }],
        stopReason: "max_tokens",
      },
      { text: "ok, smaller" },
    );
    const { agent, events } = await testAgent(fake);
    const result = await agent.send("go");
    expect(result.finalResponse).toBe("ok, smaller");
    expect(events.some((e) => e.type === "tool_call")).toBe(false);
    const lastUser = messagesOf(1).at(-1)!;
    expect(lastUser.role).toBe("user");
    expect(JSON.stringify(lastUser.content)).toContain("output-token limit");
    // The history sent next has no dangling tool_use.
    expect(JSON.stringify(messagesOf(1))).not.toContain("tool_use");
  });

  test("thinking blocks are replayed with their signatures", async () => {
    fake.enqueue(
      {
        thinking: { text: "I should echo.", signature: "sig-abc-123" },
        toolCalls: [{ name: "echo", input: { text: "x" } }],
      },
      { text: "done" },
    );
    const { agent, events } = await testAgent(fake, { effort: "high" });
    await agent.send("go");
    expect(events.some((e) => e.type === "thinking_chunk")).toBe(true);
    expect(fake.bodies[0]!.thinking).toMatchObject({ type: "enabled", budget_tokens: 16_384 });
    const assistant = messagesOf(1).find((m) => m.role === "assistant")!;
    expect(assistant.content[0]).toEqual({
      type: "thinking",
      thinking: "I should echo.",
      signature: "sig-abc-123",
    });
    expect(assistant.content[1]!.type).toBe("tool_use");
  });

  test("cache breakpoints sit on the system prompt, the last tool and the latest turn", async () => {
    fake.enqueue({ toolCalls: [{ name: "echo", input: { text: "x" } }] }, { text: "done" });
    const second = defineTool({ ...echoTool, name: "echo2" });
    const { agent } = await testAgent(fake, { tools: createToolRegistry({ tools: [echoTool, second] }) });
    await agent.send("go");
    const body = fake.bodies[1]!;
    const system = body.system as Block[];
    expect(system[0]!.cache_control).toEqual({ type: "ephemeral" });
    const tools = body.tools as Block[];
    expect(tools[0]!.cache_control).toBeUndefined();
    expect(tools[1]!.cache_control).toEqual({ type: "ephemeral" });
    const msgs = messagesOf(1);
    expect(msgs.at(-1)!.content.at(-1)!.cache_control).toEqual({ type: "ephemeral" });
    expect(msgs[0]!.content.at(-1)!.cache_control).toBeUndefined();
    const marks = JSON.stringify(body).match(/"cache_control"/g) ?? [];
    expect(marks.length).toBeLessThanOrEqual(4);
    // The tool list is byte-identical across requests, so the cached prefix holds.
    expect(JSON.stringify(fake.bodies[0]!.tools)).toBe(JSON.stringify(body.tools));
  });

  test("non-streaming mode emits the whole message once", async () => {
    fake.enqueue({ toolCalls: [{ name: "echo", input: { text: "y" } }] }, { text: "whole answer" });
    const { agent, events } = await testAgent(fake, { stream: false });
    const result = await agent.send("go");
    expect(result.finalResponse).toBe("whole answer");
    expect(events.some((e) => e.type === "assistant_chunk")).toBe(false);
    expect(events.filter((e) => e.type === "assistant_message").at(-1)).toMatchObject({
      content: "whole answer",
    });
    expect(fake.bodies[0]!.stream).not.toBe(true);
  });

  test("llm_call events carry usage and a cost estimate", async () => {
    fake.enqueue({ text: "hi", usage: { input: 1000, output: 100, cacheRead: 5000, cacheWrite: 200 } });
    const { agent, events } = await testAgent(fake);
    await agent.send("go");
    const call = events.find((e) => e.type === "llm_call");
    expect(call).toMatchObject({
      input_tokens: 1000,
      output_tokens: 100,
      cache_read_tokens: 5000,
      cache_write_tokens: 200,
    });
    // Sonnet list prices: $3 in, $15 out, $0.30 cache read, $3.75 cache write per million.
    expect(call && "cost_usd" in call ? call.cost_usd : 0).toBeCloseTo(0.003 + 0.0015 + 0.0015 + 0.00075, 6);
  });
});

describe("approvals in the loop", () => {
  const risky = defineTool({
    name: "launch",
    description: "spends money",
    toolset: "test",
    input: z.object({ flavor: z.string().describe("hardware") }),
    annotations: { readOnlyHint: false },
    needsApproval: () => ({ kind: "spend", reason: "GPU job", estimatedCostUsd: 2 }),
    async execute({ flavor }) {
      return { text: `launched on ${flavor}` };
    },
  });
  const askAll: ApprovalGate = {
    decide: (batch) => batch.map((c) => (c.requirement ? { action: "ask" } : { action: "allow" })),
  };

  test("approval_required pauses the call until exec_approval; edited arguments are used", async () => {
    fake.enqueue(
      {
        toolCalls: [
          { name: "launch", input: { flavor: "a100-large" } },
          { name: "echo", input: { text: "free" } },
        ],
      },
      { text: "ok" },
    );
    const { agent, events } = await testAgent(fake, {
      tools: createToolRegistry({ tools: [risky, echoTool] }),
      approval: askAll,
    });
    const done = agent.send("go");
    const req = await waitForEvent(events, (e) => e.type === "approval_required");
    expect(req).toMatchObject({
      count: 1,
      tools: [{ tool: "launch", kind: "spend", arguments: { flavor: "a100-large" } }],
    });
    // The auto-approved call already ran.
    expect(events.some((e) => e.type === "tool_output" && e.tool === "echo")).toBe(true);
    const id = req.type === "approval_required" ? req.tools[0]!.tool_call_id : "";
    agent.submit({
      type: "exec_approval",
      approvals: [{ tool_call_id: id, decision: "approve", edited_arguments: { flavor: "t4-small" } }],
    });
    expect((await done).status).toBe("done");
    const out = events.find((e) => e.type === "tool_output" && e.tool === "launch");
    expect(out && "output" in out ? out.output : "").toContain("launched on t4-small");
  });

  test("a rejection with feedback reaches the model", async () => {
    fake.enqueue({ toolCalls: [{ name: "launch", input: { flavor: "h200" } }] }, { text: "understood" });
    const { agent, events } = await testAgent(fake, {
      tools: createToolRegistry({ tools: [risky] }),
      approval: askAll,
    });
    const done = agent.send("go");
    const req = await waitForEvent(events, (e) => e.type === "approval_required");
    const id = req.type === "approval_required" ? req.tools[0]!.tool_call_id : "";
    agent.submit({
      type: "exec_approval",
      approvals: [{ tool_call_id: id, decision: "reject", feedback: "too pricey\u0007" }],
    });
    await done;
    const result = messagesOf(1)
      .at(-1)!
      .content.find((b) => b.type === "tool_result");
    expect(result).toMatchObject({ is_error: true });
    expect(String(result?.content)).toBe("The user rejected this call. User feedback: too pricey");
  });

  test("calls that need approval are refused when no gate is configured", async () => {
    fake.enqueue({ toolCalls: [{ name: "launch", input: { flavor: "h200" } }] }, { text: "ok" });
    const { agent } = await testAgent(fake, { tools: createToolRegistry({ tools: [risky] }) });
    await agent.send("go");
    const result = messagesOf(1)
      .at(-1)!
      .content.find((b) => b.type === "tool_result");
    expect(String(result?.content)).toContain("Not executed");
  });
});

describe("agent loop (OpenAI-compatible, HF router)", () => {
  test("tool-call deltas merged by index, usage chunk, router headers", async () => {
    await using oa = await startFakeOpenAI();
    oa.enqueue(
      {
        text: "calling",
        toolCalls: [
          { name: "echo", input: { text: "one" } },
          { name: "echo", input: { text: "two" } },
        ],
        chunks: 4,
      },
      { text: "both done", usage: { input: 50, output: 5, cacheRead: 10 } },
    );
    const provider = await openaiRouterProvider(oa);
    const { agent, events } = await testAgent(fake, { provider, sessionId: "sess-123" });
    const result = await agent.send("go");
    expect(result.finalResponse).toBe("both done");
    const outputs = events
      .filter((e) => e.type === "tool_output")
      .map((e) => ("output" in e ? e.output : ""));
    expect(outputs).toEqual(["echo: one", "echo: two"]);
    const req = oa.requests[0]!;
    expect(req.path).toBe("/v1/chat/completions");
    expect(req.headers.get("authorization")).toBe("Bearer hf_testtoken123456");
    expect(req.headers.get("x-hf-session-id")).toBe("sess-123");
    expect(oa.bodies[0]!.model).toBe("moonshotai/Kimi-K2.6:novita");
    expect(oa.bodies[0]!.stream_options).toEqual({ include_usage: true });
    const msgs = oa.bodies[1]!.messages as { role: string; tool_call_id?: string }[];
    expect(msgs.filter((m) => m.role === "tool").length).toBe(2);
    const usage = events.filter((e) => e.type === "llm_call").at(-1);
    expect(usage).toMatchObject({ input_tokens: 50, cache_read_tokens: 10 });
  });

  test("a dropped OpenAI stream is retried", async () => {
    await using oa = await startFakeOpenAI();
    oa.enqueue({ text: "lost", dropAfterFrames: 2 }, { text: "kept" });
    const provider = await openaiRouterProvider(oa);
    const { agent } = await testAgent(fake, { provider });
    expect((await agent.send("go")).finalResponse).toBe("kept");
    expect(oa.bodies.length).toBe(2);
  });
});

describe("turn()", () => {
  test("yields the turn's events in order and returns its result", async () => {
    fake.enqueue({ toolCalls: [{ name: "echo", input: { text: "x" } }] }, { text: "finished" });
    const { agent } = await testAgent(fake);
    const seen: string[] = [];
    const iterator = agent.turn("go");
    let step = await iterator.next();
    while (!step.done) {
      seen.push(step.value.type);
      step = await iterator.next();
    }
    expect(step.value).toMatchObject({ status: "done", finalResponse: "finished" });
    expect(seen[0]).toBe("processing");
    expect(seen.at(-1)).toBe("turn_complete");
    expect(seen.indexOf("tool_call")).toBeLessThan(seen.indexOf("tool_output"));
  });
});
