import { type AnyToolDefinition, formatZodIssues, toJsonSchema, toToolSchema } from "@ml-intern/core";
import type { McpServer, RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import {
  CallToolRequestSchema,
  type CallToolResult,
  ListToolsRequestSchema,
  type Tool,
} from "@modelcontextprotocol/sdk/types.js";
import { type McpToolHandler, toMcpAnnotations } from "./register-tool.ts";

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

/** The `tools/list` result for these definitions (the same object shape the SDK handler returns). */
export function toolListResult(defs: readonly AnyToolDefinition[]): { tools: Tool[] } {
  return { tools: defs.map(toMcpTool) };
}

export interface ServedTool {
  def: AnyToolDefinition;
  registered: RegisteredTool;
  handler: McpToolHandler;
}

const errorText = (text: string): CallToolResult => ({ content: [{ type: "text", text }], isError: true });

/**
 * Serves tools/list and tools/call from the registered definitions once `ready` resolves, so a server
 * can answer `initialize` before its tool catalog has loaded. The list is precomputed (the SDK's own
 * handler converts every zod schema on every request); calls validate with the definition's zod schema.
 */
export function installToolHandlers(
  server: McpServer,
  ready: Promise<ReadonlyMap<string, ServedTool>>,
): void {
  let list: { tools: Tool[] } | undefined;
  server.server.setRequestHandler(ListToolsRequestSchema, async () => {
    const served = await ready;
    list ??= toolListResult([...served.values()].filter((s) => s.registered.enabled).map((s) => s.def));
    return list;
  });
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const served = await ready;
    const name = request.params.name;
    const entry = served.get(name);
    if (!entry?.registered.enabled) {
      return errorText(`Unknown tool '${name}'. Call tools/list to see the available tools.`);
    }
    const parsed = entry.def.input.safeParse(request.params.arguments ?? {});
    if (!parsed.success) {
      return errorText(
        `Invalid arguments for tool '${name}':\n${formatZodIssues(parsed.error)}\nFix the arguments to match the tool's schema and call it again.`,
      );
    }
    return entry.handler(parsed.data as Record<string, unknown>, extra);
  });
}
