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
