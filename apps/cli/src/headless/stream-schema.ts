import type { AgentEvent } from "@ml-intern/core";
import { z } from "zod";

/**
 * The public event schema of `--output-format stream-json`, versioned so scripts can rely on it. Internal agent
 * events are mapped onto it by `toStreamEvent`; an internal change must not change these shapes. Additive
 * changes (a new optional field, a new event type) keep the version; anything else bumps it.
 */
export const STREAM_JSON_SCHEMA_VERSION = 1;

const envelope = {
  schema_version: z.literal(STREAM_JSON_SCHEMA_VERSION),
  /** Increasing per session. */
  seq: z.number().int().nonnegative(),
  /** ISO 8601. */
  timestamp: z.string(),
  session_id: z.string(),
};

const ev = <T extends string, S extends z.ZodRawShape>(type: T, shape: S) =>
  z.strictObject({ type: z.literal(type), ...envelope, ...shape });

const agentId = z.string().optional();

export const TOOL_STATES = [
  "approved",
  "rejected",
  "running",
  "cancelled",
  "abandoned",
  "completed",
  "failed",
] as const;

export const NOTICE_KINDS = ["retry", "guard", "compaction", "limit", "info"] as const;

const statsSchema = z.strictObject({
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_read_tokens: z.number(),
  cache_write_tokens: z.number(),
  total_tokens: z.number(),
  /** Estimated dollars for model calls; null when a model's price is unknown. */
  cost_usd: z.number().nullable(),
  llm_calls: z.number(),
  tool_calls: z.number(),
  tool_errors: z.number(),
  duration_ms: z.number(),
});

export const spendSchema = z.strictObject({
  /** Everything counted toward the cap: estimated model cost plus tool spend (reserved, then actual). */
  spent_usd: z.number(),
  model_usd: z.number(),
  tools_usd: z.number(),
  /** null: uncapped. */
  cap_usd: z.number().nullable(),
});

const errorSchema = z.strictObject({ type: z.string(), message: z.string(), code: z.number() });

/** The last line of every run, also when it fails before starting (then session_id, stats and spend are null). */
export const resultEventSchema = z.strictObject({
  type: z.literal("result"),
  schema_version: z.literal(STREAM_JSON_SCHEMA_VERSION),
  timestamp: z.string(),
  status: z.enum(["success", "max_iterations", "interrupted", "loop_aborted", "error"]),
  session_id: z.string().nullable(),
  response: z.string().nullable(),
  stats: statsSchema.nullable(),
  spend: spendSchema.nullable(),
  error: errorSchema.nullable(),
});

export const streamEventSchema = z.discriminatedUnion("type", [
  ev("ready", { model: z.string(), tool_count: z.number() }),
  ev("processing", { turn: z.number() }),
  ev("assistant_chunk", { content: z.string() }),
  ev("thinking_chunk", { content: z.string() }),
  ev("assistant_message", { content: z.string() }),
  ev("tool_call", {
    tool: z.string(),
    tool_call_id: z.string(),
    arguments: z.record(z.string(), z.unknown()),
    agent_id: agentId,
  }),
  ev("tool_output", {
    tool: z.string(),
    tool_call_id: z.string(),
    output: z.string(),
    success: z.boolean(),
    structured: z.record(z.string(), z.unknown()).optional(),
    agent_id: agentId,
  }),
  ev("tool_log", {
    tool: z.string(),
    log: z.string(),
    tool_call_id: z.string().optional(),
    agent_id: agentId,
    label: z.string().optional(),
  }),
  ev("tool_progress", {
    tool: z.string(),
    tool_call_id: z.string(),
    progress: z.number(),
    total: z.number().optional(),
    message: z.string().optional(),
  }),
  ev("tool_state_change", {
    tool: z.string(),
    tool_call_id: z.string(),
    state: z.enum(TOOL_STATES),
    detail: z.string().optional(),
  }),
  ev("approval_required", {
    tools: z.array(
      z.object({
        tool: z.string(),
        tool_call_id: z.string(),
        arguments: z.record(z.string(), z.unknown()),
        reason: z.string(),
        kind: z.string(),
        estimated_cost_usd: z.number().nullable().optional(),
        remaining_cap_usd: z.number().optional(),
        auto_approval_blocked: z.boolean().optional(),
        block_reason: z.string().optional(),
      }),
    ),
    count: z.number(),
  }),
  /** A call that needed approval was auto-approved, or was refused (the reason says how to allow it). */
  ev("approval_decision", {
    tool: z.string(),
    tool_call_id: z.string(),
    decision: z.enum(["auto_approved", "refused"]),
    source: z.string(),
    reason: z.string(),
    estimated_cost_usd: z.number().nullable().optional(),
    spent_usd: z.number(),
    cap_usd: z.number().nullable(),
  }),
  ev("llm_call", {
    model: z.string(),
    kind: z.enum(["main", "research", "compaction"]),
    latency_ms: z.number(),
    input_tokens: z.number(),
    output_tokens: z.number(),
    cache_read_tokens: z.number(),
    cache_write_tokens: z.number(),
    cost_usd: z.number().nullable(),
    stop_reason: z.string(),
    agent_id: agentId,
  }),
  ev("plan_update", {
    plan: z.array(
      z.object({
        id: z.string(),
        content: z.string(),
        status: z.enum(["pending", "in_progress", "completed"]),
      }),
    ),
  }),
  /** Something the agent loop did on its own: a retry, a guard nudge, compaction, a limit. */
  ev("notice", { kind: z.enum(NOTICE_KINDS), message: z.string() }),
  ev("compacted", {
    old_tokens: z.number(),
    new_tokens: z.number(),
    strategy: z.enum(["prune", "summary"]),
  }),
  ev("error", { error: z.string(), code: z.string(), fatal: z.boolean().optional() }),
  ev("interrupted", {}),
  ev("turn_complete", {
    final_response: z.string().nullable(),
    reason: z.enum(["done", "max_iterations", "abandoned", "empty_response"]),
    iterations: z.number(),
  }),
  resultEventSchema,
]);

export type StreamEvent = z.infer<typeof streamEventSchema>;
export type ResultEvent = z.infer<typeof resultEventSchema>;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/**
 * Maps an internal agent event onto the public schema; null for events that are not part of it
 * (stream boundaries, undo/new/resume acknowledgements, shutdown).
 */
export function toStreamEvent(event: AgentEvent): StreamEvent | null {
  const base = {
    schema_version: STREAM_JSON_SCHEMA_VERSION,
    seq: event.seq,
    timestamp: event.timestamp,
    session_id: event.session_id,
  } as const;
  const { seq: _seq, timestamp: _ts, session_id: _sid, ...body } = event;
  switch (body.type) {
    case "assistant_stream_end":
    case "undo_complete":
    case "new_complete":
    case "resume_complete":
    case "shutdown":
      return null;
    case "ready":
      return { ...base, type: "ready", model: body.model, tool_count: body.tool_count };
    case "notice":
      return { ...base, type: "notice", kind: body.kind, message: body.message };
    default:
      return { ...base, ...body } as StreamEvent;
  }
}
