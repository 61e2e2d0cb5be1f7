import { type AnyToolDefinition, defineTool, type ToolContext, type ToolResult } from "@ml-intern/core";
import { z } from "zod";
import { mcpToolName } from "./tool-name.ts";

/** What a server's tools/list reports for one tool (the fields this host reads). */
export interface McpToolInfo {
  name: string;
  title?: string;
  description?: string;
  inputSchema: { [key: string]: unknown };
  annotations?: {
    title?: string;
    readOnlyHint?: boolean;
    destructiveHint?: boolean;
    idempotentHint?: boolean;
    openWorldHint?: boolean;
  };
}

export type McpCall = (tool: string, args: Record<string, unknown>, ctx: ToolContext) => Promise<ToolResult>;

const looseInput = z.looseObject({});

function objectSchema(schema: { [key: string]: unknown }): { [key: string]: unknown } {
  const { $schema: _drop, ...rest } = schema;
  return { ...rest, type: "object", properties: rest.properties ?? {} };
}

/**
 * Adapts a server tool into a core tool: namespaced `mcp__<server>__<tool>`, the server's JSON Schema
 * shown to the model, and the call forwarded to the server. It goes through the same registry and
 * approval gate as built-in tools; a tool that declares itself destructive asks first.
 */
export function adaptMcpTool(server: string, tool: McpToolInfo, call: McpCall): AnyToolDefinition {
  const a = tool.annotations ?? {};
  const readOnly = a.readOnlyHint === true;
  const destructive = !readOnly && a.destructiveHint === true;
  const summary = tool.description?.trim() || tool.title || tool.name;
  return defineTool({
    name: mcpToolName(server, tool.name),
    description: `[MCP server "${server}", tool "${tool.name}"] ${summary}`,
    toolset: "mcp",
    input: looseInput,
    inputJsonSchema: objectSchema(tool.inputSchema),
    annotations: {
      title: a.title ?? tool.title ?? tool.name,
      readOnlyHint: readOnly,
      destructiveHint: destructive,
      idempotentHint: a.idempotentHint === true,
      openWorldHint: a.openWorldHint ?? true,
    },
    needsApproval: destructive
      ? () => ({
          kind: "destructive",
          reason: `The MCP server "${server}" marks ${tool.name} as destructive.`,
        })
      : undefined,
    execute: (args, ctx) => call(tool.name, args, ctx),
  });
}
