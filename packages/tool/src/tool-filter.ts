import type { AnyToolDefinition } from "./tool-definition.ts";

/** Which tools a host exposes. Read-only and exclude beat everything else. */
export interface ToolFilter {
  /** Keep only tools in these toolsets ("all" keeps every toolset). */
  toolsets?: readonly string[];
  /** Keep these tools even when their toolset is not selected. */
  tools?: readonly string[];
  excludeTools?: readonly string[];
  readOnly?: boolean;
}

export function applyToolFilter<T extends Pick<AnyToolDefinition, "name" | "toolset" | "annotations">>(
  tools: readonly T[],
  filter: ToolFilter = {},
): T[] {
  const toolsets = filter.toolsets?.length ? new Set(filter.toolsets) : undefined;
  const include = new Set(filter.tools ?? []);
  const exclude = new Set(filter.excludeTools ?? []);
  return tools.filter((tool) => {
    if (filter.readOnly && tool.annotations.readOnlyHint !== true) return false;
    if (exclude.has(tool.name)) return false;
    if (!toolsets && include.size === 0) return true;
    if (include.has(tool.name)) return true;
    return toolsets !== undefined && (toolsets.has("all") || toolsets.has(tool.toolset));
  });
}

/** How a host names the filter's fields in its messages (flags by default). */
export interface ToolFilterLabels {
  toolsets: string;
  tools: string;
  excludeTools: string;
}

const FLAG_LABELS: ToolFilterLabels = {
  toolsets: "--toolsets",
  tools: "--tools",
  excludeTools: "--exclude-tools",
};

/**
 * The names in a filter that match nothing the host can serve, as one usage-error message that lists what
 * exists; undefined when every name is known. A misspelt toolset would otherwise serve no tool at all, and a
 * misspelt tool would silently be missing.
 */
export function checkToolFilterNames(
  filter: ToolFilter,
  available: readonly Pick<AnyToolDefinition, "name" | "toolset">[],
  labels: ToolFilterLabels = FLAG_LABELS,
): string | undefined {
  const toolsets = [...new Set(available.map((t) => t.toolset))].sort();
  const names = [...new Set(available.map((t) => t.name))].sort();
  const problems: string[] = [];
  const check = (label: string, given: readonly string[] | undefined, known: string[], kind: string) => {
    const unknown = (given ?? []).filter((n) => !known.includes(n));
    if (unknown.length === 0) return;
    const quoted = unknown.map((n) => `"${n}"`).join(", ");
    problems.push(
      `${label}: unknown ${kind}${unknown.length > 1 ? "s" : ""} ${quoted}; the ${kind}s are ${known.join(", ")}.`,
    );
  };
  check(labels.toolsets, filter.toolsets, ["all", ...toolsets], "toolset");
  check(labels.tools, filter.tools, names, "tool");
  check(labels.excludeTools, filter.excludeTools, names, "tool");
  return problems.length ? problems.join(" ") : undefined;
}
