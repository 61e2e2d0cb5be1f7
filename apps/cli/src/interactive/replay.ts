import type { Message } from "@ml-intern/core";
import type { Colors } from "../render/colors.ts";
import { displayToolName, summarizeArgs } from "../render/tool-summary.ts";

function parseArgs(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === "object" ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/**
 * A resumed conversation, compactly: which session, then the last exchanges (your messages, the agent's answers
 * rendered, one dim line per tool call), so you see where you left off.
 */
export function replayConversation(
  messages: readonly Message[],
  c: Colors,
  options: { sessionId: string; render: (markdown: string) => string; maxExchanges?: number },
): string {
  const userIdx = messages.flatMap((m, i) => (m.role === "user" && !m.synthetic ? [i] : []));
  const max = options.maxExchanges ?? 3;
  const from = userIdx.length > max ? (userIdx.at(-max) ?? 0) : 0;
  const skipped = userIdx.filter((i) => i < from).length;
  const out = [
    c.bold(`Resumed session ${options.sessionId}`) +
      c.dim(
        ` · ${messages.length} messages${skipped ? ` · ${skipped} earlier exchange${skipped === 1 ? "" : "s"} not shown` : ""}`,
      ),
  ];
  for (const m of messages.slice(from)) {
    if (m.role === "user") {
      if (m.synthetic) continue;
      out.push(`${c.bold(c.magenta("›"))} ${m.content.split("\n").join("\n  ")}`);
    } else if (m.role === "assistant") {
      if (m.content.trim()) out.push(options.render(m.content).replace(/\n+$/, ""));
      for (const call of m.toolCalls)
        out.push(c.dim(`  ▸ ${displayToolName(call.name)} ${summarizeArgs(parseArgs(call.arguments), 70)}`));
    }
  }
  out.push(c.dim("─".repeat(20)));
  return out.join("\n");
}
