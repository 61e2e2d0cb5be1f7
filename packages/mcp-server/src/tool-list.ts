import { type AnyToolDefinition, toJsonSchema, toToolSchema } from "@ml-intern/core";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { ListToolsRequestSchema, type Tool } from "@modelcontextprotocol/sdk/types.js";
import { toMcpAnnotations } from "./register-tool.ts";

const cache = new WeakMap<AnyToolDefinition, Tool>();

/** The MCP `Tool` for a definition, computed once per definition (JSON Schema conversion is the costly part). */
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

/**
 * Replaces the SDK's tools/list handler (which converts every zod schema on every request) with one
 * that serves the precomputed list of the registered definitions.
 */
export function installCachedToolList(server: McpServer, defs: readonly AnyToolDefinition[]): void {
  let list: { tools: Tool[] } | undefined;
  server.server.setRequestHandler(ListToolsRequestSchema, () => {
    list ??= { tools: defs.map(toMcpTool) };
    return list;
  });
}
