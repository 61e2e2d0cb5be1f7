import type { z } from "zod";

/** MCP-compatible hints describing what a tool does to the world. */
export interface ToolAnnotations {
  title?: string;
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
}

/** What a tool returns: text for the model, optional structured data for MCP clients. */
export interface ToolResult {
  text: string;
  structured?: Record<string, unknown>;
  isError?: boolean;
  /** Host-only information (never shown to the model), e.g. a spill-file path or the actual cost. */
  meta?: Record<string, unknown>;
}

/**
 * Per-call credentials a host may pass (e.g. an MCP caller's own token), keyed by names the tool
 * packages define (tools-hf reads `hfToken`, tools-github `githubToken`). Values are secrets: never log them.
 */
export type ToolAuth = Readonly<Record<string, string | undefined>>;

export interface ToolContext {
  signal: AbortSignal;
  toolCallId: string;
  sessionId: string;
  /** Report progress of a long call (job logs, uploads, research). */
  progress(progress: number, total?: number, message?: string): void;
  /** Informational log line shown to the user (tool_log event), never to the model. */
  log(message: string, extra?: { agentId?: string; label?: string }): void;
  auth?: ToolAuth;
}

export type ApprovalKind = "spend" | "destructive" | "scheduled" | "custom";

/** A tool's statement that a call needs a human decision. */
export interface ApprovalRequirement {
  kind: ApprovalKind;
  reason: string;
  /** Estimated dollars for spend approvals; null when unknown (unknown blocks auto-approval). */
  estimatedCostUsd?: number | null;
  /** Never auto-approved, not even in YOLO mode (e.g. scheduled jobs whose cost is unbounded). */
  alwaysAsk?: boolean;
}

export interface ToolDefinition<S extends z.ZodObject = z.ZodObject> {
  name: string;
  description: string;
  /** Group used by --toolsets filters, e.g. "hf-docs", "hf-jobs", "github", "sandbox". */
  toolset: string;
  input: S;
  /** A JSON Schema shown to the model instead of one derived from `input` (tools proxied from MCP servers). */
  inputJsonSchema?: { [key: string]: unknown };
  output?: z.ZodObject;
  annotations: ToolAnnotations;
  /**
   * Calls may run for minutes to hours (a followed job, a whole agent run): hosts that can run a call in the
   * background offer it (the MCP server as an MCP task); others run it like every other call.
   */
  longRunning?: boolean;
  /** Whether this call needs a human decision (the tool reads its own options, e.g. whether CPU jobs ask). */
  needsApproval?(args: z.infer<S>): ApprovalRequirement | null;
  execute(args: z.infer<S>, ctx: ToolContext): Promise<ToolResult>;
}

/** A tool definition with its input type erased, for registries and adapters. */
export type AnyToolDefinition = ToolDefinition<z.ZodObject>;

/** Declares a tool once; hosts (agent loop, MCP server, SDK adapters) adapt it. */
export function defineTool<S extends z.ZodObject>(def: ToolDefinition<S>): ToolDefinition<S> {
  if (!/^[a-zA-Z0-9_-]{1,64}$/.test(def.name)) {
    throw new Error(`Invalid tool name "${def.name}": use 1-64 letters, digits, "_" or "-".`);
  }
  return def;
}

export function textResult(text: string, structured?: Record<string, unknown>): ToolResult {
  return structured ? { text, structured } : { text };
}

export function errorResult(text: string, structured?: Record<string, unknown>): ToolResult {
  return structured ? { text, structured, isError: true } : { text, isError: true };
}
