import type { ToolSchema } from "@ml-intern/tool";
import type { Message } from "../llm/messages.ts";
import { promptTokens, type Usage } from "../llm/usage.ts";

/** Characters per token of the estimate (English text and JSON average about 4). */
export const CHARS_PER_TOKEN = 4;
/** Per-message framing the providers add (role markers, separators). */
const MESSAGE_OVERHEAD_TOKENS = 4;

export const estimateTextTokens = (text: string): number => Math.ceil(text.length / CHARS_PER_TOKEN);

export function estimateMessageTokens(message: Message): number {
  let chars = message.content.length;
  if (message.role === "assistant") {
    for (const call of message.toolCalls)
      chars += call.name.length + call.arguments.length + call.id.length + 16;
    for (const block of message.reasoning ?? []) {
      chars += block.type === "thinking" ? block.thinking.length + block.signature.length : block.data.length;
    }
  } else if (message.role === "tool") {
    chars += message.name.length + message.toolCallId.length;
  }
  return Math.ceil(chars / CHARS_PER_TOKEN) + MESSAGE_OVERHEAD_TOKENS;
}

export function estimateMessagesTokens(messages: readonly Message[]): number {
  let total = 0;
  for (const m of messages) total += estimateMessageTokens(m);
  return total;
}

const schemaCache = new WeakMap<readonly ToolSchema[], number>();

/** Tool schemas as the provider serialises them (name, description, JSON Schema); cached per list. */
export function estimateToolSchemaTokens(tools: readonly ToolSchema[]): number {
  const hit = schemaCache.get(tools);
  if (hit !== undefined) return hit;
  let chars = 0;
  for (const t of tools)
    chars += t.name.length + t.description.length + JSON.stringify(t.inputSchema).length + 24;
  const tokens = Math.ceil(chars / CHARS_PER_TOKEN);
  schemaCache.set(tools, tokens);
  return tokens;
}

/**
 * What the provider last reported for the context: prompt tokens of the last request plus the
 * tokens of the response, covering the first `messageCount` messages.
 */
export interface UsageAnchor {
  tokens: number;
  messageCount: number;
  /** The message at messageCount-1 when anchored: if it changed, the history was rewritten. */
  lastMessage: Message | undefined;
}

/** Anchor after an LLM response: `messages` must already include the assistant message it produced. */
export function anchorFromUsage(usage: Usage, messages: readonly Message[]): UsageAnchor {
  return {
    tokens: promptTokens(usage) + usage.outputTokens,
    messageCount: messages.length,
    lastMessage: messages[messages.length - 1],
  };
}

export interface ContextEstimateInput {
  system: string;
  tools: readonly ToolSchema[];
  messages: readonly Message[];
  anchor?: UsageAnchor;
}

/** Tokens the next request will carry: anchored on reported usage when still valid, estimated otherwise. */
export function estimateContextTokens(input: ContextEstimateInput): number {
  const { anchor, messages } = input;
  if (
    anchor &&
    anchor.tokens > 0 &&
    anchor.messageCount <= messages.length &&
    messages[anchor.messageCount - 1] === anchor.lastMessage
  ) {
    return anchor.tokens + estimateMessagesTokens(messages.slice(anchor.messageCount));
  }
  return (
    estimateTextTokens(input.system) +
    estimateToolSchemaTokens(input.tools) +
    estimateMessagesTokens(messages)
  );
}
