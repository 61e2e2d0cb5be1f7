import { describe, expect, test } from "bun:test";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { prepareToolCall, runTool } from "../src/tool-call.ts";
import { defineTool, type ToolContext, type ToolResult } from "../src/tool-definition.ts";
import { createToolRegistry } from "../src/tool-registry.ts";

/** A signal that counts the abort listeners added to it and still attached. */
function countedSignal(controller: AbortController) {
  const signal = controller.signal;
  const counts = { added: 0, attached: 0 };
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = ((type: string, listener: EventListener, options?: AddEventListenerOptions) => {
    counts.added++;
    counts.attached++;
    const once = options?.once ? () => counts.attached-- : undefined;
    add(type, listener, options);
    if (once) add(type, once, { once: true });
  }) as typeof signal.addEventListener;
  signal.removeEventListener = ((type: string, listener: EventListener) => {
    counts.attached--;
    remove(type, listener);
  }) as typeof signal.removeEventListener;
  return { signal, counts };
}

function run(execute: (ctx: ToolContext) => Promise<ToolResult>, signal = new AbortController().signal) {
  const tool = defineTool({
    name: "t",
    description: "test tool",
    toolset: "test",
    input: z.object({}),
    annotations: { readOnlyHint: true },
    execute: (_args, ctx) => execute(ctx),
  });
  const registry = createToolRegistry({ tools: [tool] });
  const prepared = prepareToolCall(registry, { id: "c1", name: "t", input: {} });
  if (!prepared.ok) throw new Error(prepared.outcome.text);
  const ctx: ToolContext = { signal, toolCallId: "c1", sessionId: "s", progress: () => {}, log: () => {} };
  return runTool(registry, prepared, ctx);
}

describe("runTool and the call's signal", () => {
  test("a tool that ignores its signal and never settles is cancelled as soon as the signal aborts", async () => {
    const controller = new AbortController();
    const outcome = run(() => new Promise<ToolResult>(() => {}), controller.signal);
    await sleep(5);
    controller.abort();
    expect(await outcome).toMatchObject({
      status: "cancelled",
      isError: true,
      text: "Tool 't' was cancelled.",
    });
  });

  test("a tool that settles at once completes without an abort listener", async () => {
    const { signal, counts } = countedSignal(new AbortController());
    expect(await run(async () => ({ text: "ok" }), signal)).toMatchObject({
      status: "completed",
      text: "ok",
    });
    expect(counts.added).toBe(0);
  });

  test("a slower tool completes through the race, and its listener is removed", async () => {
    const { signal, counts } = countedSignal(new AbortController());
    const outcome = await run(async () => {
      await sleep(5);
      return { text: "late" };
    }, signal);
    expect(outcome).toMatchObject({ status: "completed", text: "late" });
    expect(counts.added).toBe(1);
    expect(counts.attached).toBe(0);
  });

  test("an abort while the tool runs its first step still cancels the call", async () => {
    const controller = new AbortController();
    const outcome = await run(async () => {
      controller.abort();
      return { text: "too late" };
    }, controller.signal);
    expect(outcome.status).toBe("cancelled");
  });

  test("a synchronous throw and a rejection are failures with the tool's message", async () => {
    const sync = await run(() => {
      throw new Error("boom");
    });
    expect(sync).toMatchObject({ status: "failed", isError: true, text: "Tool 't' failed: boom" });
    const rejected = await run(async () => {
      await sleep(1);
      throw new Error("later boom");
    });
    expect(rejected).toMatchObject({ status: "failed", text: "Tool 't' failed: later boom" });
  });

  test("a tool rejecting after its call was cancelled stays cancelled", async () => {
    const controller = new AbortController();
    let fail: (error: Error) => void = () => {};
    const outcome = run(() => new Promise<ToolResult>((_, reject) => (fail = reject)), controller.signal);
    await sleep(1);
    controller.abort();
    expect((await outcome).status).toBe("cancelled");
    fail(new Error("after the fact"));
    await sleep(1);
  });
});
