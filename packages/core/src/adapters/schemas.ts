import type { AnyToolDefinition, ToolRegistry } from "@ml-intern/tool";
import { type ToolSchema, toToolSchema } from "@ml-intern/tool";

/** Provider-neutral schemas of a tool list or a registry. */
export function schemasOf(tools: readonly AnyToolDefinition[] | ToolRegistry): readonly ToolSchema[] {
  return Array.isArray(tools) ? tools.map(toToolSchema) : (tools as ToolRegistry).schemas();
}
