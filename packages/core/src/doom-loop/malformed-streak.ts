import type { Message, ToolResultMessage } from "../llm/messages.ts";

export interface MalformedStreak {
  tool: string;
  /** Corrective text to inject as a synthetic user message. */
  message: string;
}

export interface MalformedStreakOptions {
  /** Consecutive malformed results for one tool that trigger the nudge (default 2). */
  threshold?: number;
  /** Whether a tool result reports unusable arguments; defaults to the registry's and the loop's wording. */
  isMalformed?: (result: ToolResultMessage) => boolean;
}

const MALFORMED_TEXT =
  /invalid arguments|malformed|invalid tool arguments|could not parse|failed to parse|invalid json|unterminated string|unexpected end of json/i;

export const isMalformedArgumentsResult = (result: ToolResultMessage): boolean =>
  result.isError === true && MALFORMED_TEXT.test(result.content.slice(0, 500));

export function malformedStreakMessage(tool: string, count: number): string {
  return (
    `[SYSTEM: MALFORMED ARGUMENTS] Your last ${count} calls to '${tool}' had arguments that could not be ` +
    "used (invalid JSON or not matching the schema). This usually happens when one call carries too much " +
    "content. Make smaller edits, split large content across several calls, or write big files with a " +
    "shell heredoc (cat > file <<'EOF' ... EOF). Check the tool's schema and send valid JSON."
  );
}

/**
 * Detects the newest tool results being consecutive malformed-argument failures of the same tool.
 * Returns null once the streak is broken by any other result.
 */
export function detectMalformedStreak(
  messages: readonly Message[],
  options: MalformedStreakOptions = {},
): MalformedStreak | null {
  const threshold = Math.max(1, options.threshold ?? 2);
  const isMalformed = options.isMalformed ?? isMalformedArgumentsResult;
  let tool: string | undefined;
  let count = 0;
  for (let i = messages.length - 1; i >= 0 && count < threshold; i--) {
    const m = messages[i]!;
    if (m.role !== "tool") continue;
    if (!isMalformed(m)) return null;
    if (tool === undefined) tool = m.name;
    else if (m.name !== tool) return null;
    count++;
  }
  return tool !== undefined && count >= threshold
    ? { tool, message: malformedStreakMessage(tool, count) }
    : null;
}
