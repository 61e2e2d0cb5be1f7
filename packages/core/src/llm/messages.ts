/** The provider-neutral conversation model. Providers translate it to their wire format. */

export interface ThinkingBlock {
  type: "thinking";
  thinking: string;
  signature: string;
}

export interface RedactedThinkingBlock {
  type: "redacted_thinking";
  data: string;
}

export type ReasoningBlock = ThinkingBlock | RedactedThinkingBlock;

export interface ToolCall {
  id: string;
  name: string;
  /** The raw JSON text the model produced (may be malformed). */
  arguments: string;
}

export interface UserMessage {
  role: "user";
  content: string;
  /** Injected by the harness (nudges, guards), not typed by the user. */
  synthetic?: boolean;
}

export interface AssistantMessage {
  role: "assistant";
  content: string;
  toolCalls: ToolCall[];
  /** Extended-thinking blocks, replayed verbatim (with signatures) to the provider that produced them. */
  reasoning?: ReasoningBlock[];
  /** Which provider produced `reasoning`; other providers never receive it. */
  reasoningProvider?: string;
}

export interface ToolResultMessage {
  role: "tool";
  toolCallId: string;
  name: string;
  content: string;
  isError?: boolean;
}

export type Message = UserMessage | AssistantMessage | ToolResultMessage;

export const INTERRUPTED_TOOL_RESULT = "Tool was not executed (interrupted or error).";

/**
 * Every tool call must be answered before the next request. Inserts a stub result for any call
 * whose result is missing from the contiguous block of results that follows it.
 */
export function patchDanglingToolCalls(messages: readonly Message[]): Message[] {
  const out: Message[] = [];
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i]!;
    out.push(message);
    if (message.role !== "assistant" || message.toolCalls.length === 0) continue;
    const answered = new Set<string>();
    let j = i + 1;
    while (j < messages.length && messages[j]!.role === "tool") {
      const result = messages[j] as ToolResultMessage;
      answered.add(result.toolCallId);
      out.push(result);
      j++;
    }
    for (const call of message.toolCalls) {
      if (!answered.has(call.id)) {
        out.push({
          role: "tool",
          toolCallId: call.id,
          name: call.name,
          content: INTERRUPTED_TOOL_RESULT,
          isError: true,
        });
      }
    }
    i = j - 1;
  }
  return out;
}
