import {
  type AnyToolDefinition,
  DEFAULT_OUTPUT_BUDGET_CHARS,
  formatZodIssues,
  type ToolAuth,
  type ToolContext,
  type ToolResult,
  truncateMiddle,
} from "@ml-intern/core";
import type { McpServer, RegisteredTool } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { RequestHandlerExtra } from "@modelcontextprotocol/sdk/shared/protocol.js";
import type {
  CallToolResult,
  ServerNotification,
  ServerRequest,
  ToolAnnotations,
} from "@modelcontextprotocol/sdk/types.js";
import { z } from "zod";
import type { LogLevelGate } from "./log-level.ts";

export type ToolCallExtra = RequestHandlerExtra<ServerRequest, ServerNotification>;

export interface RegisterToolOptions {
  /** Per-call credentials (the caller's own token from the HTTP request), or undefined for the configured ones. */
  getAuth?: (extra: ToolCallExtra) => ToolAuth | undefined;
  /** Filters tool log notifications by the client's `logging/setLevel`. */
  logLevel?: LogLevelGate;
  /** Characters of text a result may carry (default: the shared 25,000 budget). */
  outputBudgetChars?: number;
  /** Session id given to tools when the transport has none (stdio). */
  fallbackSessionId?: string;
}

/**
 * The MCP result of a tool result. `structuredContent` is sent only by tools that declare an output schema
 * (the SDK validates it against that schema): clients such as Claude Code show the model the structured
 * result instead of the text when both are present, so an undeclared summary must never stand in for it.
 */
function toCallToolResult(def: AnyToolDefinition, result: ToolResult, budget: number): CallToolResult {
  const text = truncateMiddle(result.text, { maxChars: budget }).text;
  const out: CallToolResult = { content: [{ type: "text", text }] };
  if (def.output && result.structured) out.structuredContent = result.structured;
  if (result.isError) out.isError = true;
  return out;
}

/** The text of a call whose arguments do not match the tool's schema (the agent loop's wording). */
export function invalidArgumentsText(name: string, error: z.ZodError): string {
  return `Invalid arguments for tool '${name}':\n${formatZodIssues(error)}\nFix the arguments to match the tool's schema and call it again.`;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Emits strictly increasing progress values, as MCP requires, whatever the tool reports. */
function createProgressSender(extra: ToolCallExtra): ToolContext["progress"] {
  const token = extra._meta?.progressToken;
  if (token === undefined) return () => {};
  let last = Number.NEGATIVE_INFINITY;
  return (progress, total, message) => {
    if (extra.signal.aborted) return;
    const value = progress > last ? progress : last + 1e-6;
    last = value;
    const params: { progressToken: string | number; progress: number; total?: number; message?: string } = {
      progressToken: token,
      progress: value,
    };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    extra.sendNotification({ method: "notifications/progress", params }).catch(() => {});
  };
}

function createLogSender(
  name: string,
  extra: ToolCallExtra,
  gate: LogLevelGate | undefined,
): ToolContext["log"] {
  return (message, meta) => {
    if (extra.signal.aborted || (gate && !gate.allows("info"))) return;
    const data = meta?.label ? `[${meta.label}] ${message}` : message;
    extra
      .sendNotification({ method: "notifications/message", params: { level: "info", logger: name, data } })
      .catch(() => {});
  };
}

/** MCP annotations from the core hints (title included when the tool has one). */
export function toMcpAnnotations(def: AnyToolDefinition): ToolAnnotations {
  const a = def.annotations;
  const out: ToolAnnotations = {};
  if (a.title !== undefined) out.title = a.title;
  if (a.readOnlyHint !== undefined) out.readOnlyHint = a.readOnlyHint;
  if (a.destructiveHint !== undefined) out.destructiveHint = a.destructiveHint;
  if (a.idempotentHint !== undefined) out.idempotentHint = a.idempotentHint;
  if (a.openWorldHint !== undefined) out.openWorldHint = a.openWorldHint;
  return out;
}

export type McpToolHandler = (args: Record<string, unknown>, extra: ToolCallExtra) => Promise<CallToolResult>;

/** The MCP call handler for a core tool: validates the arguments against `def.input`, runs it, adapts the result. */
export function createToolHandler(def: AnyToolDefinition, options: RegisterToolOptions = {}): McpToolHandler {
  const budget = options.outputBudgetChars ?? DEFAULT_OUTPUT_BUDGET_CHARS;
  return async (raw, extra) => {
    const parsed = def.input.safeParse(raw ?? {});
    if (!parsed.success) {
      return toCallToolResult(
        def,
        { text: invalidArgumentsText(def.name, parsed.error), isError: true },
        budget,
      );
    }
    const args = parsed.data as Record<string, unknown>;
    const ctx: ToolContext = {
      signal: extra.signal,
      toolCallId: `mcp-${String(extra.requestId)}`,
      sessionId: extra.sessionId ?? options.fallbackSessionId ?? "mcp",
      progress: createProgressSender(extra),
      log: createLogSender(def.name, extra, options.logLevel),
    };
    const auth = options.getAuth?.(extra);
    if (auth) ctx.auth = auth;
    try {
      const result = await def.execute(args, ctx);
      return toCallToolResult(def, result, budget);
    } catch (error) {
      const text = extra.signal.aborted
        ? `Tool '${def.name}' was cancelled.`
        : `Tool '${def.name}' failed: ${errorMessage(error)}`;
      return toCallToolResult(def, { text, isError: true }, budget);
    }
  };
}

/**
 * What the SDK validates arguments with before our handler runs: any object. The definition's own schema
 * validates them in the handler, so a bad call gets the same error text as in the agent loop; tools/list
 * shows the definition's JSON schema (see tool-list.ts).
 */
const ANY_ARGUMENTS = z.object({}).catchall(z.unknown());

/**
 * The one adaptation of a core tool definition to MCP, through the SDK's own tools/call handler: the
 * output schema (when declared) registered so the SDK validates structuredContent against it, annotations
 * as declared, text → content, structured → structuredContent (declared output only), isError passed
 * through, the request's abort signal as ctx.signal, ctx.progress → notifications/progress (when the
 * client sent a progressToken) and ctx.log → logging notifications on the same request stream.
 */
export function registerToolDefinition(
  server: McpServer,
  def: AnyToolDefinition,
  options: RegisterToolOptions = {},
): RegisteredTool {
  const config = {
    ...(def.annotations.title !== undefined ? { title: def.annotations.title } : {}),
    description: def.description,
    inputSchema: ANY_ARGUMENTS,
    ...(def.output ? { outputSchema: def.output } : {}),
    annotations: toMcpAnnotations(def),
  };
  return server.registerTool<z.ZodObject, z.ZodObject>(def.name, config, createToolHandler(def, options));
}
