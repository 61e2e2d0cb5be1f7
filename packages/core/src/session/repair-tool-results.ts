import { type Message, patchDanglingToolCalls } from "../llm/messages.ts";

/**
 * Makes a replayed history valid for providers again: every tool result must answer a call of the assistant
 * message right before its block, once. Results that do not (duplicates, results interleaved by a second
 * writer, orphans) are dropped and calls left unanswered get the interrupted stub. Returns how many changed.
 */
export function repairToolResults(messages: readonly Message[]): { messages: Message[]; repaired: number } {
  const kept: Message[] = [];
  let open = new Set<string>();
  let dropped = 0;
  for (const message of messages) {
    if (message.role === "tool") {
      if (open.delete(message.toolCallId)) kept.push(message);
      else dropped++;
      continue;
    }
    open = message.role === "assistant" ? new Set(message.toolCalls.map((c) => c.id)) : new Set();
    kept.push(message);
  }
  const patched = patchDanglingToolCalls(kept);
  return { messages: patched, repaired: dropped + (patched.length - kept.length) };
}
