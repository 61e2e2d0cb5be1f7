import { describe, expect, test } from "bun:test";
import { createCompactor } from "../../src/context/compactor.ts";
import { PRUNED_MARKER } from "../../src/context/prune.ts";
import { SUMMARY_MARKER } from "../../src/context/summary.ts";
import { estimateContextTokens } from "../../src/context/tokens.ts";
import type { Message } from "../../src/llm/messages.ts";
import { assertToolPairsIntact, syntheticSession } from "./helpers.ts";

const spill = (id: string) => `/state/tool-outputs/${id}.txt`;
const base = { system: "You are ML Intern.", tools: [] };

describe("compactor", () => {
  test("under the threshold nothing happens", async () => {
    let called = 0;
    const c = createCompactor({ auto: true, spill, summarize: async () => `${++called}` });
    const out = await c.maybeCompact({ ...base, messages: syntheticSession(5, 1_000) });
    expect(out.status).toBe("skipped");
    expect(called).toBe(0);
    expect(c.limit).toBe(180_000);
  });

  test("prune alone is enough when tool outputs dominate", async () => {
    let called = 0;
    const c = createCompactor({
      auto: true,
      spill,
      contextWindow: 100_000,
      summarize: async () => `${++called}`,
    });
    const messages = syntheticSession(60, 8_000); // ~120k tokens
    const out = await c.maybeCompact({ ...base, messages });
    expect(out.status).toBe("compacted");
    if (out.status !== "compacted") return;
    expect(out.strategy).toBe("prune");
    expect(out.new_tokens).toBeLessThan(out.old_tokens);
    expect(out.new_tokens).toBeLessThanOrEqual(90_000);
    expect(called).toBe(0);
    expect(out.messages.some((m) => m.content.startsWith(PRUNED_MARKER))).toBe(true);
    assertToolPairsIntact(out.messages);
  });

  test("then an LLM summary of the middle, keeping tool pairs intact and shrinking the context", async () => {
    const seen: Message[][] = [];
    const c = createCompactor({
      auto: true,
      spill,
      contextWindow: 50_000,
      keepRecentToolTokens: 40_000,
      keepRecentTokens: 5_000,
      summarize: async (middle) => {
        seen.push([...middle]);
        return "Trained for 400 steps; loss 0.12; pushed to me/model.";
      },
    });
    // Many assistant turns with long reasoning text: pruning tool outputs cannot help enough.
    const messages = syntheticSession(150, 400).map((m) =>
      m.role === "assistant" ? { ...m, content: `thinking about it ${"z".repeat(1_200)}` } : m,
    );
    const old = estimateContextTokens({ ...base, messages });
    const out = await c.maybeCompact({ ...base, messages });
    expect(out.status).toBe("compacted");
    if (out.status !== "compacted") return;
    expect(out.strategy).toBe("summary");
    expect(out.old_tokens).toBe(old);
    expect(out.new_tokens).toBeLessThan(45_000);
    expect(out.messages[0]).toEqual(messages[0]!);
    expect(out.messages[1]!.content).toStartWith(SUMMARY_MARKER);
    expect(out.messages[1]!.content).toContain("loss 0.12");
    assertToolPairsIntact(out.messages);
    assertToolPairsIntact([messages[0]!, ...seen[0]!]);
  });

  test("a summary that does not shrink the context is rejected", async () => {
    const c = createCompactor({
      auto: true,
      spill,
      contextWindow: 20_000,
      keepRecentTokens: 1_000,
      summarize: async () => "x".repeat(400_000),
    });
    const messages = syntheticSession(40, 400).map((m) =>
      m.role === "assistant" ? { ...m, content: "y".repeat(2_000) } : m,
    );
    const out = await c.maybeCompact({ ...base, messages });
    expect(out.status).toBe("failed");
    if (out.status === "failed") expect(out.error).toContain("did not make the conversation smaller");
  });

  test("circuit breaker: a hopeless session fails with a clear message", async () => {
    const c = createCompactor({ auto: true, spill, contextWindow: 10_000, summarize: async () => "short" });
    // The first task alone is larger than the window.
    const messages: Message[] = [
      { role: "user", content: "u".repeat(60_000) },
      { role: "assistant", content: "ok", toolCalls: [] },
    ];
    const out = await c.maybeCompact({ ...base, messages });
    expect(out.status).toBe("failed");
    if (out.status !== "failed") return;
    expect(out.error).toContain("start a new session");
    expect(out.new_tokens).toBeGreaterThan(out.limit);
  });

  test("circuit breaker: repeated compactions in one turn stop", async () => {
    const c = createCompactor({
      auto: true,
      spill,
      contextWindow: 50_000,
      maxCompactionsPerTurn: 2,
      summarize: async () => "s",
    });
    const big = () => syntheticSession(60, 8_000);
    expect((await c.maybeCompact({ ...base, messages: big() })).status).toBe("compacted");
    expect((await c.maybeCompact({ ...base, messages: big() })).status).toBe("compacted");
    const third = await c.maybeCompact({ ...base, messages: big() });
    expect(third.status).toBe("failed");
    if (third.status === "failed") expect(third.error).toContain("2 times this turn");
    c.newTurn();
    expect((await c.maybeCompact({ ...base, messages: big() })).status).toBe("compacted");
  });

  test("a failing summary call fails compaction instead of throwing", async () => {
    const c = createCompactor({
      auto: true,
      spill,
      contextWindow: 20_000,
      keepRecentTokens: 1_000,
      summarize: async () => {
        throw new Error("503 overloaded");
      },
    });
    const messages = syntheticSession(40, 400).map((m) =>
      m.role === "assistant" ? { ...m, content: "y".repeat(2_000) } : m,
    );
    const out = await c.maybeCompact({ ...base, messages });
    expect(out.status).toBe("failed");
    if (out.status === "failed") expect(out.error).toContain("503 overloaded");
  });

  test("auto:false disables the threshold and overflow paths; manual compaction still works", async () => {
    let called = 0;
    const c = createCompactor({
      auto: false,
      spill,
      contextWindow: 50_000,
      summarize: async () => {
        called++;
        return "summary";
      },
    });
    const messages = syntheticSession(60, 8_000);
    expect((await c.maybeCompact({ ...base, messages })).status).toBe("skipped");
    const overflow = await c.maybeCompact({ ...base, messages, reason: "overflow" });
    expect(overflow).toMatchObject({ status: "skipped", why: "disabled" });
    const manual = await c.maybeCompact({ ...base, messages, reason: "manual" });
    expect(manual.status).toBe("compacted");
    expect(called).toBe(1);
  });

  test("overflow reported by the provider forces compaction below the threshold estimate", async () => {
    let called = 0;
    const c = createCompactor({ auto: true, spill, summarize: async () => `${++called}` });
    const messages = syntheticSession(80, 8_000);
    const estimate = estimateContextTokens({ ...base, messages });
    expect(estimate).toBeLessThan(180_000); // the estimate alone would not compact
    expect((await c.maybeCompact({ ...base, messages })).status).toBe("skipped");
    const out = await c.maybeCompact({ ...base, messages, reason: "overflow" });
    expect(out.status).toBe("compacted");
    if (out.status !== "compacted") return;
    expect(out.old_tokens).toBe(200_001);
    expect(out.new_tokens).toBeLessThan(180_000);
    expect(out.strategy).toBe("prune");
  });

  test("estimates of the rewritten history are calibrated by the provider's reported usage", async () => {
    const c = createCompactor({ auto: true, spill, contextWindow: 100_000, summarize: async () => "s" });
    const messages = syntheticSession(30, 8_000); // ~60k estimated
    const estimate = estimateContextTokens({ ...base, messages });
    // The provider counted twice as many tokens as the estimate.
    const anchor = { tokens: estimate * 2, messageCount: messages.length, lastMessage: messages.at(-1) };
    const out = await c.maybeCompact({ ...base, messages, anchor });
    expect(out.status).toBe("compacted");
    if (out.status !== "compacted") return;
    expect(out.old_tokens).toBe(estimate * 2);
    const rawNew = estimateContextTokens({ ...base, messages: out.messages });
    expect(out.new_tokens).toBeGreaterThanOrEqual(rawNew * 2 - 1);
  });
});
