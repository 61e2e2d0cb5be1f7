import { type ToolSchema, toToolSchema } from "../tool/json-schema.ts";
import type { AnyToolDefinition } from "../tool/tool-definition.ts";
import type { ToolRegistry } from "../tool/tool-registry.ts";

/** Provider-neutral schemas of a tool list or a registry. */
export function schemasOf(tools: readonly AnyToolDefinition[] | ToolRegistry): readonly ToolSchema[] {
  return Array.isArray(tools) ? tools.map(toToolSchema) : (tools as ToolRegistry).schemas();
}
