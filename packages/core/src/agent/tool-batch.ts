import { type ApprovalPrompt, runToolCalls } from "@ml-intern/tool";
import type { ToolCall } from "../llm/messages.ts";
import type { AgentContext } from "./agent-context.ts";
import type { ApprovalAnswer, ApprovalRequestItem } from "./events.ts";

/** The one home of the per-reply tool-call limits (AgentOptions.maxToolCallsPerReply / maxParallelToolCalls). */
export const TOOL_CALL_LIMITS = { maxPerReply: 64, maxParallel: 8 } as const;

/** The result text of a call beyond the per-reply cap. */
export const overCapText = (requested: number, max: number): string =>
  `Not executed: this reply asked for ${requested} tool calls; at most ${max} run per reply. Ask for fewer at a time.`;

/**
 * Runs one assistant message's tool calls through the one tool-call path; results are appended in call order.
 * Calls beyond the per-reply cap are not run: each still gets an error result so every tool_use is answered.
 */
export async function executeToolCalls(
  ctx: AgentContext,
  calls: ToolCall[],
  signal: AbortSignal,
): Promise<"ok" | "interrupted" | "abandoned"> {
  const s = ctx.state;
  const max = Math.max(1, ctx.options.maxToolCallsPerReply ?? TOOL_CALL_LIMITS.maxPerReply);
  const ran = calls.slice(0, max);
  const skipped = calls.slice(max);
  if (skipped.length > 0) {
    ctx.emit({
      type: "notice",
      kind: "limit",
      limit: "tool_calls",
      requested: calls.length,
      max_tool_calls: max,
      message: `The model asked for ${calls.length} tool calls in one reply; ran the first ${max}, the rest got a "not executed" result.`,
    });
  }
  const outcomes = await runToolCalls(
    ran.map((c) => ({ id: c.id, name: c.name, input: c.arguments })),
    {
      registry: ctx.options.tools,
      maxParallel: ctx.options.maxParallelToolCalls ?? TOOL_CALL_LIMITS.maxParallel,
      ...(ctx.options.approval ? { gate: ctx.options.approval } : {}),
      ask: (prompts, askSignal) => askHuman(ctx, prompts, askSignal),
      signal,
      sessionId: s.sessionId,
      ...(ctx.options.auth ? { auth: ctx.options.auth } : {}),
      onCall: (call, args) =>
        ctx.emit({ type: "tool_call", tool: call.name, tool_call_id: call.id, arguments: args }),
      onState: (call, state, detail) =>
        ctx.emit({
          type: "tool_state_change",
          tool: call.name,
          tool_call_id: call.id,
          state,
          ...(detail !== undefined ? { detail } : {}),
        }),
      onOutcome: (outcome) =>
        ctx.emit({
          type: "tool_output",
          tool: outcome.name,
          tool_call_id: outcome.id,
          output: outcome.text,
          success: !outcome.isError,
          ...(outcome.structured ? { structured: outcome.structured } : {}),
        }),
      onProgress: (call, progress, total, message) =>
        ctx.emit({ type: "tool_progress", tool: call.name, tool_call_id: call.id, progress, total, message }),
      onLog: (call, log, extra) =>
        ctx.emit({
          type: "tool_log",
          tool: call.name,
          tool_call_id: call.id,
          log,
          agent_id: extra?.agentId,
          label: extra?.label,
        }),
    },
  );
  for (const outcome of outcomes) {
    ctx.append({
      role: "tool",
      toolCallId: outcome.id,
      name: outcome.name,
      content: outcome.text,
      isError: outcome.isError,
    });
  }
  const text = overCapText(calls.length, max);
  for (const call of skipped) {
    ctx.emit({ type: "tool_output", tool: call.name, tool_call_id: call.id, output: text, success: false });
    ctx.append({ role: "tool", toolCallId: call.id, name: call.name, content: text, isError: true });
  }
  if (signal.aborted) return "interrupted";
  return outcomes.some((o) => o.status === "abandoned") ? "abandoned" : "ok";
}

/** Shows the calls the gate asked about and waits for `exec_approval` (or a new message: abandoned). */
function askHuman(ctx: AgentContext, prompts: readonly ApprovalPrompt[], signal: AbortSignal) {
  const s = ctx.state;
  const items: ApprovalRequestItem[] = prompts.map(({ candidate, verdict }) => ({
    tool: candidate.name,
    tool_call_id: candidate.toolCallId,
    arguments: candidate.args,
    reason: verdict.reason ?? candidate.requirement?.reason ?? "This action needs your approval.",
    kind: verdict.kind ?? candidate.requirement?.kind ?? "custom",
    ...(verdict.estimatedCostUsd !== undefined ? { estimated_cost_usd: verdict.estimatedCostUsd } : {}),
    ...(verdict.remainingCapUsd !== undefined ? { remaining_cap_usd: verdict.remainingCapUsd } : {}),
    ...(verdict.autoApprovalBlocked ? { auto_approval_blocked: true, block_reason: verdict.reason } : {}),
  }));
  return new Promise<ApprovalAnswer[] | "abandoned">((resolve) => {
    const done = (answers: ApprovalAnswer[] | "abandoned") => {
      s.pending = undefined;
      resolve(answers);
    };
    s.pending = { resolve: done };
    ctx.emit({ type: "approval_required", tools: items, count: items.length });
    signal.addEventListener("abort", () => done([]), { once: true });
  });
}
