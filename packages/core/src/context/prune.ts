import type { Message, ToolResultMessage } from "../llm/messages.ts";
import { estimateMessageTokens } from "./tokens.ts";

export const PRUNED_MARKER = "[Tool output pruned";

export interface PruneOptions {
  /** Newest tool output kept verbatim, in tokens (default 40,000). */
  keepRecentToolTokens?: number;
  /** Outputs smaller than this are not worth a pointer (default 100 tokens). */
  minPrunableTokens?: number;
  /** Saves a pruned output (e.g. under the session folder) and returns where; throwing keeps the output. */
  spill: (toolCallId: string, content: string, toolName: string) => string | Promise<string>;
  /**
   * Saves all outputs pruned in one pass at once (e.g. into a single file) and returns each one's location,
   * in order. Preferred over `spill` when given: one file per pass instead of one per output.
   */
  spillMany?: (items: readonly SpillItem[]) => readonly string[] | Promise<readonly string[]>;
}

export interface SpillItem {
  toolCallId: string;
  toolName: string;
  content: string;
}

export interface PruneResult {
  messages: Message[];
  prunedCount: number;
  freedTokens: number;
}

export function prunedPointer(tokens: number, path: string): string {
  return `${PRUNED_MARKER} to save context (~${tokens} tokens). The full output is saved at ${path}; read it back with offset/limit or grep it if you still need it.]`;
}

/**
 * Replaces all but the newest tool outputs with a pointer to a spilled copy. The input is not mutated;
 * tool-call ids, names and error flags are kept, so every tool_use keeps its tool_result.
 */
export async function pruneToolOutputs(
  messages: readonly Message[],
  options: PruneOptions,
): Promise<PruneResult> {
  const keep = options.keepRecentToolTokens ?? 40_000;
  const min = options.minPrunableTokens ?? 100;
  const out = messages.slice();
  const chosen: { index: number; message: ToolResultMessage; tokens: number }[] = [];
  let kept = 0;
  for (let i = out.length - 1; i >= 0; i--) {
    const m = out[i]!;
    if (m.role !== "tool" || m.content.startsWith(PRUNED_MARKER)) continue;
    const tokens = estimateMessageTokens(m);
    if (kept + tokens <= keep) {
      kept += tokens;
      continue;
    }
    kept = keep; // everything older is pruned
    if (tokens >= min) chosen.push({ index: i, message: m, tokens });
  }
  chosen.reverse(); // oldest first, so a batch spill file reads in conversation order
  const paths = await spillAll(chosen, options);
  let prunedCount = 0;
  let freedTokens = 0;
  chosen.forEach(({ index, message, tokens }, k) => {
    const path = paths[k];
    if (path === undefined) return;
    const replaced: ToolResultMessage = { ...message, content: prunedPointer(tokens, path) };
    out[index] = replaced;
    prunedCount++;
    freedTokens += tokens - estimateMessageTokens(replaced);
  });
  return { messages: out, prunedCount, freedTokens };
}

async function spillAll(
  chosen: readonly { message: ToolResultMessage }[],
  options: PruneOptions,
): Promise<(string | undefined)[]> {
  if (chosen.length === 0) return [];
  if (options.spillMany) {
    try {
      const items = chosen.map(({ message }) => ({
        toolCallId: message.toolCallId,
        toolName: message.name,
        content: message.content,
      }));
      const locations = await options.spillMany(items);
      return chosen.map((_, k) => locations[k]);
    } catch {
      return chosen.map(() => undefined);
    }
  }
  // Spills run concurrently when the spill function is asynchronous.
  return Promise.all(
    chosen.map(async ({ message }) => {
      try {
        return await options.spill(message.toolCallId, message.content, message.name);
      } catch {
        return undefined;
      }
    }),
  );
}
