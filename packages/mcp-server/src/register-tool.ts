import {
  type AnyToolDefinition,
  createToolRegistry,
  formatZodIssues,
  prepareToolCall,
  runTool,
  type SpillOutput,
  type ToolAuth,
  type ToolCallOutcome,
  type ToolContext,
  type ToolRegistry,
  toolCallText,
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
  /** Saves the full text of an over-budget result; the cut text names the file. */
  spill?: SpillOutput;
}

/**
 * The MCP result of a call's outcome. `structuredContent` is sent only by tools that declare an output schema
 * (the SDK validates it against that schema): clients such as Claude Code show the model the structured
 * result instead of the text when both are present, so an undeclared summary must never stand in for it.
 */
function toCallToolResult(def: AnyToolDefinition, outcome: ToolCallOutcome): CallToolResult {
  const out: CallToolResult = { content: [{ type: "text", text: outcome.text }] };
  if (def.output && outcome.structured) out.structuredContent = outcome.structured;
  if (outcome.isError) out.isError = true;
  return out;
}

/** The text of a call whose arguments do not match the tool's schema (the agent loop's wording). */
export function invalidArgumentsText(name: string, error: z.ZodError): string {
  return toolCallText.invalidArguments(name, formatZodIssues(error));
}

const NO_PROGRESS: ToolContext["progress"] = () => {};

/** Emits strictly increasing progress values, as MCP requires, whatever the tool reports. */
function createProgressSender(extra: ToolCallExtra): ToolContext["progress"] {
  const token = extra._meta?.progressToken;
  if (token === undefined) return NO_PROGRESS;
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

/**
 * The MCP call handler for a core tool, on the one tool-call path of `@ml-intern/tool`: validated once
 * against `def.input` (the agent loop's texts), run with the request's abort signal, cut with the spill.
 * No approval step: the MCP client approves calls itself.
 */
export function createToolHandler(def: AnyToolDefinition, options: RegisterToolOptions = {}): McpToolHandler {
  // Built on the first call: every server instance (one per stateless request) registers every tool, and
  // most of its handlers never run.
  let registry: ToolRegistry | undefined;
  const registryOf = (): ToolRegistry =>
    (registry ??= createToolRegistry({
      tools: [def],
      ...(options.outputBudgetChars !== undefined ? { outputBudgetChars: options.outputBudgetChars } : {}),
      ...(options.spill ? { spill: options.spill } : {}),
    }));
  const fallbackSessionId = options.fallbackSessionId ?? "mcp";
  return async (raw, extra) => {
    const tools = registryOf();
    const call = { id: `mcp-${String(extra.requestId)}`, name: def.name, input: raw ?? {} };
    const prepared = prepareToolCall(tools, call);
    if (!prepared.ok) return toCallToolResult(def, prepared.outcome);
    const ctx: ToolContext = {
      signal: extra.signal,
      toolCallId: call.id,
      sessionId: extra.sessionId ?? fallbackSessionId,
      progress: createProgressSender(extra),
      log: createLogSender(def.name, extra, options.logLevel),
    };
    const auth = options.getAuth?.(extra);
    if (auth) ctx.auth = auth;
    return toCallToolResult(def, await runTool(tools, prepared, ctx));
  };
}

/**
 * What the SDK validates arguments with before our handler runs: an object, checked without copying it key
 * by key (the SDK's request schema has already made the arguments an object, or turned their absence into
 * {}). The definition's own schema validates them in the handler, so a bad call gets the same error text as
 * in the agent loop; tools/list shows the definition's JSON schema (see tool-list.ts).
 */
export const ANY_ARGUMENTS = z.custom<Record<string, unknown>>(
  (value) => typeof value === "object" && value !== null && !Array.isArray(value),
);

/** What the SDK registers for a definition (plain or task tool): title, description, schemas, annotations. */
export function toolRegistrationConfig(def: AnyToolDefinition) {
  return {
    ...(def.annotations.title !== undefined ? { title: def.annotations.title } : {}),
    description: def.description,
    inputSchema: ANY_ARGUMENTS,
    ...(def.output ? { outputSchema: def.output } : {}),
    annotations: toMcpAnnotations(def),
  };
}

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
  return server.registerTool<z.ZodObject, typeof ANY_ARGUMENTS>(
    def.name,
    toolRegistrationConfig(def),
    createToolHandler(def, options),
  );
}
