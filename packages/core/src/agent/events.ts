import type { ApprovalAnswer, ToolCallState } from "@ml-intern/tool";

/** The one typed union of everything an agent reports; the CLI, JSON output, MCP server and traces consume it. */

export interface PlanItem {
  id: string;
  content: string;
  status: "pending" | "in_progress" | "completed";
}

export interface ApprovalRequestItem {
  tool: string;
  tool_call_id: string;
  arguments: Record<string, unknown>;
  reason: string;
  kind: string;
  estimated_cost_usd?: number | null;
  remaining_cap_usd?: number;
  auto_approval_blocked?: boolean;
  block_reason?: string;
}

/** A call that needed approval was auto-approved (headless, YOLO, a rule, "always") or refused, with the spend. */
export interface ApprovalDecisionInfo {
  tool: string;
  tool_call_id: string;
  decision: "auto_approved" | "refused";
  /** Who decided: headless, yolo, rule, session ("always allow"), or tool. */
  source: string;
  reason: string;
  /** The call's estimated cost (null: unknown; absent: not a paid call). */
  estimated_cost_usd?: number | null;
  /** Spend so far in this session (model calls and auto-approved reservations). */
  spent_usd: number;
  /** The spend cap, or null when uncapped. */
  cap_usd: number | null;
}

export type TurnEndReason = "done" | "max_iterations" | "abandoned";

export type ErrorCode =
  | "auth"
  | "quota"
  | "model_not_found"
  | "context_overflow"
  | "compaction_failed"
  | "loop_detected"
  | "llm_error"
  | "config"
  | "internal";

export type ToolState = ToolCallState;

/**
 * Something the agent loop did on its own, typed by `kind` (consumers switch on it; `message` is display
 * text only): a model retry, a guard nudge, a compaction step, a limit.
 */
export type AgentNotice =
  | {
      type: "notice";
      kind: "retry";
      message: string;
      attempt: number;
      delay_ms: number;
      error_kind: string;
      status?: number;
    }
  | {
      type: "notice";
      kind: "guard";
      message: string;
      /** repetition: the doom-loop check fired; plan_unfinished: text-only answer with open plan items;
       * context_budget: a sub-agent's wrap-up nudge; truncated_tool_calls: output cut mid tool call. */
      guard: "repetition" | "plan_unfinished" | "context_budget" | "truncated_tool_calls";
    }
  | {
      type: "notice";
      kind: "compaction";
      message: string;
      reason: "overflow" | "not_configured" | "nothing_to_compact";
      tokens?: number;
      limit?: number;
    }
  | { type: "notice"; kind: "limit"; message: string; limit: "iterations"; max_iterations: number }
  | {
      type: "notice";
      kind: "limit";
      message: string;
      limit: "tool_calls";
      /** How many calls the reply asked for and how many ran. */
      requested: number;
      max_tool_calls: number;
    };

export type NoticeKind = AgentNotice["kind"];

export type AgentEventBody =
  | AgentNotice
  | { type: "ready"; session_id: string; model: string; tool_count: number }
  | { type: "processing"; turn: number }
  | { type: "assistant_chunk"; content: string }
  | { type: "thinking_chunk"; content: string }
  | { type: "assistant_message"; content: string }
  | { type: "assistant_stream_end" }
  | {
      type: "tool_call";
      tool: string;
      tool_call_id: string;
      arguments: Record<string, unknown>;
      agent_id?: string;
    }
  | {
      type: "tool_output";
      tool: string;
      tool_call_id: string;
      output: string;
      success: boolean;
      structured?: Record<string, unknown>;
      agent_id?: string;
    }
  | { type: "tool_log"; tool: string; log: string; tool_call_id?: string; agent_id?: string; label?: string }
  | {
      type: "tool_progress";
      tool: string;
      tool_call_id: string;
      progress: number;
      total?: number;
      message?: string;
    }
  | { type: "tool_state_change"; tool: string; tool_call_id: string; state: ToolState; detail?: string }
  | { type: "approval_required"; tools: ApprovalRequestItem[]; count: number }
  | ({ type: "approval_decision" } & ApprovalDecisionInfo)
  | {
      type: "llm_call";
      model: string;
      kind: "main" | "research" | "compaction";
      latency_ms: number;
      input_tokens: number;
      output_tokens: number;
      cache_read_tokens: number;
      cache_write_tokens: number;
      cost_usd: number | null;
      stop_reason: string;
      agent_id?: string;
    }
  | { type: "plan_update"; plan: PlanItem[] }
  | { type: "turn_complete"; final_response: string | null; reason: TurnEndReason; iterations: number }
  | { type: "error"; error: string; code: ErrorCode; fatal?: boolean }
  | { type: "interrupted" }
  | { type: "compacted"; old_tokens: number; new_tokens: number; strategy: "prune" | "summary" }
  | { type: "undo_complete"; removed_messages: number }
  | { type: "new_complete"; session_id: string }
  | { type: "resume_complete"; session_id: string; message_count: number }
  | { type: "shutdown" };

export type AgentEventType = AgentEventBody["type"];

export type AgentEvent = AgentEventBody & { seq: number; timestamp: string; session_id: string };

export type EventOf<T extends AgentEventType> = Extract<AgentEvent, { type: T }>;

export type { ApprovalAnswer, ApprovalDecision } from "@ml-intern/tool";

/** Submissions into the agent's queue. */
export type Operation =
  | { type: "user_input"; text: string }
  | { type: "exec_approval"; approvals: ApprovalAnswer[] }
  | { type: "interrupt" }
  | { type: "compact" }
  | { type: "undo" }
  | { type: "new" }
  | { type: "resume"; session_id: string }
  | { type: "shutdown" };
