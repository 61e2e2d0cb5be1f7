import { truncateMiddle } from "@ml-intern/tool";
import type { Message } from "../llm/messages.ts";
import compactionPrompt from "./compaction-prompt.txt" with { type: "text" };
import { CHARS_PER_TOKEN, estimateMessageTokens } from "./tokens.ts";

export const COMPACTION_PROMPT: string = compactionPrompt;
export const SUMMARY_MARKER = "[SYSTEM: CONTEXT SUMMARY]";

export interface SummaryPlanOptions {
  /** Recent context kept verbatim, in tokens (default 20,000). */
  keepRecentTokens?: number;
  /** Longest tail accepted to reach back to a user turn; beyond it the tail starts at an assistant message. */
  maxTailTokens?: number;
}

/** head = up to and including the first user task; middle = summarised; tail = kept verbatim. */
export interface SummaryPlan {
  head: Message[];
  middle: Message[];
  tail: Message[];
}

const isTyped = (m: Message): boolean => m.role === "user" && !m.synthetic;

/**
 * Chooses what to summarise. The tail starts at a user turn when one is near enough, otherwise at an
 * assistant message; it never starts on a tool result, so no tool call is separated from its results.
 * Returns null when there is nothing between the first task and the tail.
 */
export function planSummaryCompaction(
  messages: readonly Message[],
  options: SummaryPlanOptions = {},
): SummaryPlan | null {
  const keepRecent = options.keepRecentTokens ?? 20_000;
  const maxTail = options.maxTailTokens ?? keepRecent * 2;
  let first = messages.findIndex(isTyped);
  if (first < 0) first = messages.findIndex((m) => m.role === "user");
  if (first < 0) return null;

  // Earliest message of a tail of about keepRecent tokens (at least the last message).
  let idx = messages.length - 1;
  let tailTokens = estimateMessageTokens(messages[idx]!);
  while (idx - 1 > first && tailTokens + estimateMessageTokens(messages[idx - 1]!) <= keepRecent) {
    idx--;
    tailTokens += estimateMessageTokens(messages[idx]!);
  }

  let start = -1;
  let tokens = tailTokens;
  for (let j = idx; j > first; j--) {
    if (j < idx) tokens += estimateMessageTokens(messages[j]!);
    if (tokens > maxTail) break;
    if (messages[j]!.role === "user") {
      start = j;
      break;
    }
  }
  if (start < 0) {
    start = idx;
    while (start > first + 1 && messages[start]!.role === "tool") start--;
    while (start < messages.length && messages[start]!.role === "tool") start++;
  }
  if (start <= first + 1) return null;
  return {
    head: messages.slice(0, first + 1),
    middle: messages.slice(first + 1, start),
    tail: messages.slice(start),
  };
}

export interface ApplySummaryOptions {
  /** Preserved messages above this many tokens are cut in the middle (default 50,000). */
  maxPreservedMessageTokens?: number;
}

export function summaryMessage(summary: string): Message {
  return {
    role: "user",
    synthetic: true,
    content: `${SUMMARY_MARKER} The earlier part of this conversation was compacted to save context. Summary of what happened:\n\n${summary.trim()}\n\n[End of summary. The most recent messages follow; continue the task from where they leave off.]`,
  };
}

function capMessage(m: Message, maxTokens: number): Message {
  if (estimateMessageTokens(m) <= maxTokens) return m;
  const cut = truncateMiddle(m.content, { maxChars: maxTokens * CHARS_PER_TOKEN });
  return { ...m, content: cut.text };
}

/** head + summary + tail, with oversized preserved messages trimmed. */
export function applySummary(
  plan: SummaryPlan,
  summary: string,
  options: ApplySummaryOptions = {},
): Message[] {
  const max = options.maxPreservedMessageTokens ?? 50_000;
  return [
    ...plan.head.map((m) => capMessage(m, max)),
    summaryMessage(summary),
    ...plan.tail.map((m) => capMessage(m, max)),
  ];
}

export interface TranscriptOptions {
  /** Total characters of the transcript (default 300,000 ≈ 75k tokens); the middle is cut beyond it. */
  maxChars?: number;
  /** Characters kept of each tool result (default 2,000). */
  maxToolResultChars?: number;
}

/** The messages as plain text, bounded in size, for a summariser call that must not overflow itself. */
export function renderTranscript(messages: readonly Message[], options: TranscriptOptions = {}): string {
  const maxTool = options.maxToolResultChars ?? 2_000;
  const parts: string[] = [];
  for (const m of messages) {
    if (m.role === "user") parts.push(`### ${m.synthetic ? "harness note" : "user"}\n${m.content}`);
    else if (m.role === "assistant") {
      const calls = m.toolCalls.map(
        (c) => `-> call ${c.name} ${truncateMiddle(c.arguments, { maxChars: maxTool }).text}`,
      );
      parts.push(`### assistant\n${[m.content, ...calls].filter((s) => s.trim() !== "").join("\n")}`);
    } else {
      const body = truncateMiddle(m.content, { maxChars: maxTool }).text;
      parts.push(`### result of ${m.name}${m.isError ? " (error)" : ""}\n${body}`);
    }
  }
  return truncateMiddle(parts.join("\n\n"), { maxChars: options.maxChars ?? 300_000, headRatio: 0.3 }).text;
}

/** A ready summariser request: the compaction prompt as system, the bounded transcript as the user turn. */
export function buildSummaryRequest(middle: readonly Message[], options: TranscriptOptions = {}) {
  return {
    system: COMPACTION_PROMPT,
    messages: [{ role: "user", content: renderTranscript(middle, options) }] as Message[],
  };
}
