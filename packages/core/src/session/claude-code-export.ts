import { createHash } from "node:crypto";
import type { Redactor } from "../redact/redactor.ts";
import { replayRecords, type SessionRecord } from "./records.ts";

export interface ClaudeCodeExportOptions {
  /** Model name stamped on assistant lines (defaults to the session's model). */
  model?: string;
  /** Applied once more to every line (defence in depth for records that were not stored redacted). */
  redactor?: Redactor;
}

type TextBlock = { type: "text"; text: string };
type ToolUseBlock = { type: "tool_use"; id: string; name: string; input: Record<string, unknown> };
type ToolResultBlock = { type: "tool_result"; tool_use_id: string; content: string; is_error?: boolean };

export interface ClaudeCodeLine {
  type: "user" | "assistant";
  uuid: string;
  parentUuid: string | null;
  sessionId: string;
  timestamp: string;
  isSidechain: false;
  userType: "external";
  cwd?: string;
  message:
    | { role: "user"; content: string | ToolResultBlock[] }
    | { role: "assistant"; model: string; content: (TextBlock | ToolUseBlock)[] };
}

/** A UUID-shaped sha1 of the seed, stable across re-exports so re-uploads keep the same chain. */
export function deterministicUuid(seed: string): string {
  const h = createHash("sha1").update(seed).digest("hex");
  const variant = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function parseInput(raw: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(raw);
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  return { _raw: raw };
}

/** The session as Claude Code JSONL lines (what the Hugging Face agent-trace viewer reads). */
export function toClaudeCodeLines(
  records: readonly SessionRecord[],
  options: ClaudeCodeExportOptions = {},
): ClaudeCodeLine[] {
  const { meta, messages } = replayRecords(records);
  const sessionId = meta?.session_id ?? "unknown-session";
  const model = options.model ?? meta?.model ?? "unknown";
  const start = meta?.created_at ?? new Date(0).toISOString();
  const lines: ClaudeCodeLine[] = [];
  let parent: string | null = null;
  messages.forEach(({ message, at }, index) => {
    let body: ClaudeCodeLine["message"];
    let type: ClaudeCodeLine["type"];
    if (message.role === "user") {
      type = "user";
      body = { role: "user", content: message.content };
    } else if (message.role === "tool") {
      type = "user";
      const block: ToolResultBlock = {
        type: "tool_result",
        tool_use_id: message.toolCallId,
        content: message.content,
      };
      if (message.isError) block.is_error = true;
      body = { role: "user", content: [block] };
    } else {
      const content: (TextBlock | ToolUseBlock)[] = [];
      if (message.content.trim() !== "") content.push({ type: "text", text: message.content });
      for (const call of message.toolCalls) {
        content.push({ type: "tool_use", id: call.id, name: call.name, input: parseInput(call.arguments) });
      }
      if (content.length === 0) return;
      type = "assistant";
      body = { role: "assistant", model, content };
    }
    const uuid = deterministicUuid(`${sessionId}::${message.role}::${index}`);
    lines.push({
      type,
      uuid,
      parentUuid: parent,
      sessionId,
      timestamp: at || start,
      isSidechain: false,
      userType: "external",
      ...(meta?.cwd ? { cwd: meta.cwd } : {}),
      message: body,
    });
    parent = uuid;
  });
  return options.redactor ? lines.map((l) => options.redactor!.redactDeep(l)) : lines;
}

/** Claude Code JSONL text, one line per message, newline-terminated. */
export function exportClaudeCodeJsonl(
  records: readonly SessionRecord[],
  options: ClaudeCodeExportOptions = {},
): string {
  const lines = toClaudeCodeLines(records, options);
  return lines.length === 0 ? "" : `${lines.map((l) => JSON.stringify(l)).join("\n")}\n`;
}
