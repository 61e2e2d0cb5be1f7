import { type AnyToolDefinition, toJsonSchema, toToolSchema } from "@ml-intern/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ListToolsRequestSchema, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { toMcpAnnotations } from "./register-tool.ts";

const cache = new WeakMap<AnyToolDefinition, Tool>();

/**
 * The MCP `Tool` for a definition, computed once per definition: the same JSON schemas the agent loop
 * gives its model (core's conversion: compact, byte-stable), the output schema when one is declared.
 */
export function toMcpTool(def: AnyToolDefinition): Tool {
  const hit = cache.get(def);
  if (hit) return hit;
  const schema = toToolSchema(def);
  const tool: Tool = {
    name: def.name,
    description: def.description,
    inputSchema: schema.inputSchema as Tool["inputSchema"],
    annotations: toMcpAnnotations(def),
  };
  if (def.annotations.title !== undefined) tool.title = def.annotations.title;
  if (def.output) tool.outputSchema = toJsonSchema(def.output) as Tool["outputSchema"];
  cache.set(def, tool);
  return tool;
}

export interface ToolListOptions {
  /** The server runs long-running tools as MCP tasks: they list `execution.taskSupport: "optional"`. */
  tasks?: boolean;
}

/** The `tools/list` result for these definitions. */
export function toolListResult(
  defs: readonly AnyToolDefinition[],
  options: ToolListOptions = {},
): { tools: Tool[] } {
  return {
    tools: defs.map((def) =>
      options.tasks && def.longRunning
        ? { ...toMcpTool(def), execution: { taskSupport: "optional" } }
        : toMcpTool(def),
    ),
  };
}

/**
 * tools/list from the definitions. The SDK's own list handler would show the schema the SDK validates
 * arguments with (any object: the definition validates them, see registerToolDefinition) and convert
 * every zod schema again on every request; this one lists the definitions' schemas, converted once.
 * tools/call stays the SDK's handler (tool lookup, output-schema validation, tasks).
 */
export function installToolListHandler(
  server: McpServer,
  defs: readonly AnyToolDefinition[],
  options: ToolListOptions = {},
): void {
  let list: { tools: Tool[] } | undefined;
  server.server.setRequestHandler(ListToolsRequestSchema, () => {
    list ??= toolListResult(defs, options);
    return list;
  });
}
