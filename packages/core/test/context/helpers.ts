import type { Message } from "../../src/llm/messages.ts";

/** A long autonomous session: one task, then `steps` tool calls with `outputChars`-sized results. */
export function syntheticSession(
  steps: number,
  outputChars: number,
  opts: { userEvery?: number } = {},
): Message[] {
  const messages: Message[] = [
    { role: "user", content: "Fine-tune a small model on imdb and push it to the Hub." },
  ];
  const body = "loss=0.123 step=42 ".repeat(Math.ceil(outputChars / 19)).slice(0, outputChars);
  for (let i = 0; i < steps; i++) {
    if (opts.userEvery && i > 0 && i % opts.userEvery === 0) {
      messages.push({ role: "user", content: `follow-up ${i}` });
    }
    const id = `call_${i}`;
    messages.push({
      role: "assistant",
      content: `step ${i}`,
      toolCalls: [{ id, name: "bash", arguments: `{"command":"python train.py --step ${i}"}` }],
    });
    messages.push({ role: "tool", toolCallId: id, name: "bash", content: `${i}: ${body}` });
  }
  return messages;
}

/** Every assistant tool call is answered by a tool result right after it, and no result is orphaned. */
export function assertToolPairsIntact(messages: readonly Message[]): void {
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i]!;
    if (m.role === "tool") {
      let j = i - 1;
      while (j >= 0 && messages[j]!.role === "tool") j--;
      const owner = messages[j];
      if (owner?.role !== "assistant" || !owner.toolCalls.some((c) => c.id === m.toolCallId)) {
        throw new Error(`orphaned tool result ${m.toolCallId} at ${i}`);
      }
    }
    if (m.role === "assistant") {
      const ids = new Set<string>();
      for (let j = i + 1; j < messages.length && messages[j]!.role === "tool"; j++) {
        ids.add((messages[j] as { toolCallId: string }).toolCallId);
      }
      for (const c of m.toolCalls) if (!ids.has(c.id)) throw new Error(`tool call ${c.id} lost its result`);
    }
  }
}
