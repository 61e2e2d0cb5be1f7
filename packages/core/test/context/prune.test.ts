import { describe, expect, test } from "bun:test";
import { PRUNED_MARKER, pruneToolOutputs } from "../../src/context/prune.ts";
import { estimateMessagesTokens } from "../../src/context/tokens.ts";
import { assertToolPairsIntact, syntheticSession } from "./helpers.ts";

describe("pruneToolOutputs", () => {
  test("keeps the newest ~40k tokens of tool output and spills the rest", async () => {
    const messages = syntheticSession(100, 8_000); // ~2k tokens per output
    const spilled = new Map<string, string>();
    const result = await pruneToolOutputs(messages, {
      spill: (id, content) => {
        spilled.set(id, content);
        return `/state/sessions/s/tool-outputs/${id}.txt`;
      },
    });
    const tools = result.messages.filter((m) => m.role === "tool");
    const kept = tools.filter((m) => !m.content.startsWith(PRUNED_MARKER));
    expect(kept.length).toBeGreaterThanOrEqual(18);
    expect(kept.length).toBeLessThanOrEqual(20);
    expect(kept.at(-1)).toBe(tools.at(-1)!); // the newest are the kept ones
    expect(result.prunedCount).toBe(100 - kept.length);
    expect(spilled.size).toBe(result.prunedCount);
    const first = result.messages[2]!;
    expect(first.role === "tool" && first.content).toContain("/state/sessions/s/tool-outputs/call_0.txt");
    expect(spilled.get("call_0")).toBe((messages[2] as { content: string }).content);
    expect(estimateMessagesTokens(result.messages)).toBeLessThan(estimateMessagesTokens(messages) / 3);
    expect(result.freedTokens).toBeGreaterThan(0);
    assertToolPairsIntact(result.messages);
    expect(messages[2]!.content.startsWith(PRUNED_MARKER)).toBe(false); // input untouched
  });

  test("already pruned and small outputs are left alone; a failing spill keeps the output", async () => {
    const messages = syntheticSession(30, 8_000);
    const once = await pruneToolOutputs(messages, { keepRecentToolTokens: 4_000, spill: (id) => `/p/${id}` });
    let calls = 0;
    const twice = await pruneToolOutputs(once.messages, {
      keepRecentToolTokens: 4_000,
      spill: (id) => {
        calls++;
        return `/p/${id}`;
      },
    });
    expect(calls).toBe(0);
    expect(twice.prunedCount).toBe(0);

    const small = syntheticSession(30, 100);
    expect((await pruneToolOutputs(small, { keepRecentToolTokens: 10, spill: () => "/p" })).prunedCount).toBe(
      0,
    );

    const failing = await pruneToolOutputs(messages, {
      keepRecentToolTokens: 4_000,
      spill: (id) => {
        if (id === "call_0") throw new Error("disk full");
        return `/p/${id}`;
      },
    });
    expect(failing.messages[2]).toBe(messages[2]!);
    expect(failing.prunedCount).toBe(once.prunedCount - 1);
  });
});

describe("pruneToolOutputs with a batch spill", () => {
  test("one spillMany call per pass; pointers carry each location", async () => {
    const messages = syntheticSession(40, 8_000);
    const batches: number[] = [];
    const result = await pruneToolOutputs(messages, {
      spill: () => {
        throw new Error("per-output spill must not be used");
      },
      spillMany: (items) => {
        batches.push(items.length);
        return items.map((it, k) => `/s/pruned-1.txt, lines ${k * 10 + 2}-${k * 10 + 10} (${it.toolCallId})`);
      },
    });
    expect(batches).toEqual([result.prunedCount]);
    expect(result.prunedCount).toBeGreaterThan(0);
    const first = result.messages[2]!;
    expect(first.content).toContain("/s/pruned-1.txt, lines 2-10 (call_0)");
  });

  test("a failing batch spill keeps every output", async () => {
    const messages = syntheticSession(40, 8_000);
    const result = await pruneToolOutputs(messages, {
      spill: () => "/x",
      spillMany: () => {
        throw new Error("disk full");
      },
    });
    expect(result.prunedCount).toBe(0);
    expect(result.messages).toEqual(messages);
  });
});
