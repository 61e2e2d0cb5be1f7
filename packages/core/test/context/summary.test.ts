import { describe, expect, test } from "bun:test";
import {
  applySummary,
  buildSummaryRequest,
  COMPACTION_PROMPT,
  planSummaryCompaction,
  renderTranscript,
  SUMMARY_MARKER,
} from "../../src/context/summary.ts";
import type { Message } from "../../src/llm/messages.ts";
import { assertToolPairsIntact, syntheticSession } from "./helpers.ts";

describe("planSummaryCompaction", () => {
  test("keeps the first task and a tail that starts at a user turn", () => {
    const messages = syntheticSession(60, 2_000, { userEvery: 10 });
    const plan = planSummaryCompaction(messages, { keepRecentTokens: 5_000 })!;
    expect(plan.head).toEqual([messages[0]!]);
    expect(plan.tail[0]!.role).toBe("user");
    expect([...plan.head, ...plan.middle, ...plan.tail]).toEqual(messages);
    assertToolPairsIntact(plan.tail);
    assertToolPairsIntact([messages[0]!, ...plan.middle]);
  });

  test("with a single user task the tail starts at an assistant message, never a tool result", () => {
    const messages = syntheticSession(60, 2_000);
    const plan = planSummaryCompaction(messages, { keepRecentTokens: 5_000 })!;
    expect(plan.tail[0]!.role).toBe("assistant");
    expect(plan.middle.length).toBeGreaterThan(0);
    assertToolPairsIntact(plan.tail);
  });

  test("parallel tool calls are never split", () => {
    const messages: Message[] = [{ role: "user", content: "task" }];
    for (let i = 0; i < 20; i++) {
      const ids = [`a${i}`, `b${i}`, `c${i}`];
      messages.push({
        role: "assistant",
        content: "",
        toolCalls: ids.map((id) => ({ id, name: "read", arguments: "{}" })),
      });
      for (const id of ids)
        messages.push({ role: "tool", toolCallId: id, name: "read", content: "z".repeat(1_000) });
    }
    for (const keep of [300, 700, 1_100, 2_000, 4_000]) {
      const plan = planSummaryCompaction(messages, { keepRecentTokens: keep })!;
      expect(plan.tail[0]!.role).toBe("assistant");
      assertToolPairsIntact(plan.tail);
    }
  });

  test("nothing to summarise → null", () => {
    const messages: Message[] = [
      { role: "user", content: "task" },
      { role: "assistant", content: "ok", toolCalls: [] },
    ];
    expect(planSummaryCompaction(messages)).toBeNull();
    expect(planSummaryCompaction([])).toBeNull();
  });

  test("synthetic nudges are not mistaken for the first task", () => {
    const messages: Message[] = [
      { role: "user", content: "[SYSTEM: resumed]", synthetic: true },
      ...syntheticSession(20, 2_000),
    ];
    const plan = planSummaryCompaction(messages, { keepRecentTokens: 1_000 })!;
    expect(plan.head.map((m) => m.content)).toEqual(["[SYSTEM: resumed]", messages[1]!.content]);
  });
});

describe("applySummary and the summariser request", () => {
  test("head + synthetic summary + tail; oversized preserved messages are trimmed", () => {
    const messages = syntheticSession(20, 2_000);
    messages[0] = { role: "user", content: "T".repeat(400_000) };
    const plan = planSummaryCompaction(messages, { keepRecentTokens: 1_000 })!;
    const out = applySummary(plan, "  did things  ", { maxPreservedMessageTokens: 1_000 });
    expect(out[1]).toMatchObject({ role: "user", synthetic: true });
    expect(out[1]!.content).toStartWith(SUMMARY_MARKER);
    expect(out[1]!.content).toContain("did things");
    expect(out[0]!.content.length).toBeLessThan(5_000);
    expect(out.slice(2)).toEqual(plan.tail);
  });

  test("the transcript is bounded and names calls and results", () => {
    const messages = syntheticSession(200, 20_000);
    const text = renderTranscript(messages, { maxChars: 50_000 });
    expect(text.length).toBeLessThan(51_000);
    expect(text).toContain("-> call bash");
    expect(text).toContain("### result of bash");
    const req = buildSummaryRequest(messages.slice(1, 5));
    expect(req.system).toBe(COMPACTION_PROMPT);
    expect(req.messages).toHaveLength(1);
    expect(req.messages[0]!.role).toBe("user");
    expect(COMPACTION_PROMPT).toContain("summary");
  });
});
