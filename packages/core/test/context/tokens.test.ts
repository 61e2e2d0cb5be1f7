import { describe, expect, test } from "bun:test";
import {
  anchorFromUsage,
  estimateContextTokens,
  estimateMessagesTokens,
  estimateTextTokens,
  estimateToolSchemaTokens,
} from "../../src/context/tokens.ts";
import type { Message } from "../../src/llm/messages.ts";

const tools = [
  { name: "bash", description: "Run a command.".repeat(10), inputSchema: { type: "object", properties: {} } },
];

describe("token estimation", () => {
  test("chars/4 of text, messages, tool calls and schemas", () => {
    expect(estimateTextTokens("a".repeat(400))).toBe(100);
    const assistant: Message = {
      role: "assistant",
      content: "",
      toolCalls: [{ id: "c", name: "bash", arguments: "x".repeat(800) }],
    };
    expect(estimateMessagesTokens([assistant])).toBeGreaterThan(200);
    expect(estimateToolSchemaTokens(tools)).toBeGreaterThan(35);
  });

  test("system prompt and tool schemas are counted", () => {
    const messages: Message[] = [{ role: "user", content: "hi" }];
    const bare = estimateContextTokens({ system: "", tools: [], messages });
    const full = estimateContextTokens({ system: "s".repeat(4000), tools, messages });
    expect(full - bare).toBe(1000 + estimateToolSchemaTokens(tools));
  });

  test("usage anchor: reported tokens plus an estimate of what was appended since", () => {
    const messages: Message[] = [
      { role: "user", content: "hi" },
      { role: "assistant", content: "ok", toolCalls: [{ id: "c1", name: "bash", arguments: "{}" }] },
    ];
    const anchor = anchorFromUsage(
      { inputTokens: 900, outputTokens: 100, cacheReadTokens: 4000, cacheWriteTokens: 0 },
      messages,
    );
    expect(estimateContextTokens({ system: "x", tools, messages, anchor })).toBe(5000);
    const appended: Message = { role: "tool", toolCallId: "c1", name: "bash", content: "y".repeat(4000) };
    const next = [...messages, appended];
    expect(estimateContextTokens({ system: "x", tools, messages: next, anchor })).toBe(
      5000 + estimateMessagesTokens([appended]),
    );
  });

  test("an anchor is ignored once the history was rewritten", () => {
    const messages: Message[] = [{ role: "user", content: "hi" }];
    const anchor = anchorFromUsage(
      { inputTokens: 99_999, outputTokens: 0, cacheReadTokens: 0, cacheWriteTokens: 0 },
      messages,
    );
    const rewritten: Message[] = [{ role: "user", content: "hi" }];
    expect(estimateContextTokens({ system: "", tools: [], messages: rewritten, anchor })).toBeLessThan(100);
    expect(estimateContextTokens({ system: "", tools: [], messages: [], anchor })).toBe(0);
  });
});
