import { describe, expect, test } from "bun:test";
import { createRedactor } from "../../src/redact/redactor.ts";
import { deterministicUuid, exportClaudeCodeJsonl } from "../../src/session/claude-code-export.ts";
import type { SessionRecord } from "../../src/session/records.ts";

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const records: SessionRecord[] = [
  {
    type: "meta",
    at: at(0),
    meta: { version: 1, session_id: "sess-1", created_at: at(0), model: "anthropic/claude-opus", cwd: "/w" },
  },
  { type: "message", at: at(1), message: { role: "user", content: "Fine-tune gpt2 on imdb" } },
  {
    type: "message",
    at: at(2),
    message: {
      role: "assistant",
      content: "Let me look.",
      toolCalls: [
        { id: "toolu_1", name: "hf_inspect_dataset", arguments: '{"dataset":"imdb"}' },
        { id: "toolu_2", name: "bash", arguments: "{broken" },
      ],
    },
  },
  {
    type: "message",
    at: at(3),
    message: { role: "tool", toolCallId: "toolu_1", name: "hf_inspect_dataset", content: "text,label" },
  },
  {
    type: "message",
    at: at(4),
    message: { role: "tool", toolCallId: "toolu_2", name: "bash", content: "bad args", isError: true },
  },
  { type: "event", at: at(5), event: { type: "processing", turn: 1 } },
  { type: "message", at: at(6), message: { role: "assistant", content: "", toolCalls: [] } },
  { type: "message", at: at(7), message: { role: "assistant", content: "Done.", toolCalls: [] } },
];

describe("Claude Code JSONL export", () => {
  const text = exportClaudeCodeJsonl(records);
  const lines = text
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, unknown>);

  test("one line per non-empty message, newline-terminated, valid JSON", () => {
    expect(text.endsWith("\n")).toBe(true);
    expect(lines.map((l) => l.type)).toEqual(["user", "assistant", "user", "user", "assistant"]);
  });

  test("uuid/parentUuid chain, sessionId and timestamps", () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    lines.forEach((l, i) => {
      expect(l.uuid as string).toMatch(uuid);
      expect(l.parentUuid).toBe(i === 0 ? null : lines[i - 1]!.uuid);
      expect(l.sessionId).toBe("sess-1");
    });
    expect(new Set(lines.map((l) => l.uuid)).size).toBe(lines.length);
    expect(lines.map((l) => l.timestamp)).toEqual([at(1), at(2), at(3), at(4), at(7)]);
    expect(exportClaudeCodeJsonl(records)).toBe(text); // deterministic across re-exports
    expect(lines[0]!.uuid).toBe(deterministicUuid("sess-1::user::0"));
  });

  test("text, tool_use and tool_result blocks", () => {
    expect(lines[0]!.message).toEqual({ role: "user", content: "Fine-tune gpt2 on imdb" });
    expect(lines[1]!.message).toEqual({
      role: "assistant",
      model: "anthropic/claude-opus",
      content: [
        { type: "text", text: "Let me look." },
        { type: "tool_use", id: "toolu_1", name: "hf_inspect_dataset", input: { dataset: "imdb" } },
        { type: "tool_use", id: "toolu_2", name: "bash", input: { _raw: "{broken" } },
      ],
    });
    expect(lines[2]!.message).toEqual({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_1", content: "text,label" }],
    });
    expect(lines[3]!.message).toEqual({
      role: "user",
      content: [{ type: "tool_result", tool_use_id: "toolu_2", content: "bad args", is_error: true }],
    });
    // every tool_result answers a tool_use that appears earlier in the chain
    const uses = new Set<string>();
    for (const l of lines) {
      const content = (l.message as { content: unknown }).content;
      if (!Array.isArray(content)) continue;
      for (const b of content as { type: string; id?: string; tool_use_id?: string }[]) {
        if (b.type === "tool_use") uses.add(b.id!);
        if (b.type === "tool_result") expect(uses.has(b.tool_use_id!)).toBe(true);
      }
    }
  });

  test("undo and compaction are applied before export", () => {
    const withUndo: SessionRecord[] = [
      ...records,
      { type: "message", at: at(8), message: { role: "user", content: "oops" } },
      { type: "undo", at: at(9) },
    ];
    expect(exportClaudeCodeJsonl(withUndo)).toBe(text);
  });

  test("the redactor is applied to every line", () => {
    const secret = "sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123";
    const leaky: SessionRecord[] = [
      records[0]!,
      { type: "message", at: at(1), message: { role: "user", content: `key ${secret}` } },
    ];
    const out = exportClaudeCodeJsonl(leaky, { redactor: createRedactor() });
    expect(out).not.toContain(secret);
  });

  test("empty session exports nothing", () => {
    expect(exportClaudeCodeJsonl([records[0]!])).toBe("");
  });
});
