import { anchorFromUsage } from "../context/tokens.ts";
import { describeLlmError, type LlmError } from "../llm/llm-error.ts";
import type { LlmResponse } from "../llm/provider.ts";
import { PLAN_TOOL_NAME } from "../plan/plan-tool.ts";
import type { TurnResult } from "./agent.ts";
import type { AgentContext } from "./agent-context.ts";
import type { ErrorCode, TurnEndReason } from "./events.ts";
import { callModel } from "./model-call.ts";
import { compact } from "./operations.ts";
import { executeToolCalls } from "./tool-batch.ts";

const MAX_TOKENS_NUDGE = (names: string[]) =>
  `[SYSTEM: Your previous response was cut off at the output-token limit while writing tool calls, so these calls were lost and NOT executed: ${names.join(", ")}. Retry with smaller pieces: split large file writes into several smaller 'write'/'edit' calls, or use bash with a heredoc.]`;

const WRAP_UP_NUDGE =
  "[SYSTEM: You have used most of your context budget. Wrap up within one or two more steps, then give your final answer.]";
const FINAL_ANSWER_NUDGE =
  "[SYSTEM: You have reached your step or context limit. Do not call any tools. Write your final answer now from what you have found so far, and say what is still unverified.]";

class TurnStop extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** One user turn: model calls and tool batches until a final answer, a stop, an interrupt or the limit. */
export async function runTurn(ctx: AgentContext, text: string): Promise<TurnResult> {
  const s = ctx.state;
  const controller = new AbortController();
  s.currentTurn = controller;
  const signal = controller.signal;
  const turn = ++s.turnCounter;
  if (text.trim()) {
    ctx.append({ role: "user", content: text });
    ctx.options.doomLoop?.reset?.();
  }
  ctx.options.compactor?.newTurn();
  ctx.emit({ type: "processing", turn });
  let iterations = 0;
  let planNudges = 0;
  let finalResponse: string | null = null;
  let lastText: string | null = null;
  // The answer given before a continuation nudge; it stays the turn's answer unless real work follows.
  let reportBeforeNudge: string | null = null;
  let workSinceNudge = false;
  let overflowCompactions = 0;
  let wrapUpNudged = false;
  const budget = ctx.options.budget;
  const end = (status: TurnResult["status"], extra: Partial<TurnResult> = {}): TurnResult => {
    s.currentTurn = undefined;
    return { status, finalResponse, iterations, ...extra };
  };
  try {
    while (ctx.maxIterations < 0 || iterations < ctx.maxIterations) {
      if (signal.aborted) break;
      if ((await compact(ctx, "threshold", signal)) === "failed") {
        return end("error", { error: { message: "Context compaction failed", code: "compaction_failed" } });
      }
      const loop = ctx.options.doomLoop?.check(s.history);
      if (loop) {
        if (loop.escalate) {
          throw new TurnStop(
            "loop_detected",
            "Stopped: the agent kept repeating the same tool calls after being warned. Rephrase the task or give it more guidance.",
          );
        }
        ctx.append({ role: "user", content: loop.message, synthetic: true });
        ctx.emit({
          type: "notice",
          kind: "guard",
          guard: "repetition",
          message:
            "The same tool calls repeated with the same results; asked the model to take a different step.",
        });
      }
      const malformed = ctx.options.doomLoop?.malformed?.(s.history);
      if (malformed) ctx.append({ role: "user", content: malformed, synthetic: true });
      if (budget?.maxPromptTokens && s.lastPromptTokens > 0) {
        if (s.lastPromptTokens >= budget.maxPromptTokens) break;
        if (!wrapUpNudged && s.lastPromptTokens >= budget.maxPromptTokens * (budget.nudgeAt ?? 0.75)) {
          wrapUpNudged = true;
          ctx.append({ role: "user", content: WRAP_UP_NUDGE, synthetic: true });
          ctx.emit({
            type: "notice",
            kind: "guard",
            guard: "context_budget",
            message: `Context budget ${Math.round((s.lastPromptTokens / budget.maxPromptTokens) * 100)}% used; asking to wrap up.`,
          });
        }
      }

      let response: LlmResponse;
      try {
        response = await callModel(ctx, signal);
      } catch (raw) {
        const error = raw as LlmError;
        if (signal.aborted || error.kind === "aborted") break;
        if (error.kind === "context_overflow" && ctx.options.compactor && overflowCompactions < 2) {
          overflowCompactions++;
          ctx.emit({
            type: "notice",
            kind: "compaction",
            reason: "overflow",
            message: "The context overflowed the model's window; compacting.",
          });
          const outcome = await compact(ctx, "overflow", signal);
          if (outcome === "failed") {
            return end("error", {
              error: { message: "Context compaction failed", code: "compaction_failed" },
            });
          }
          // With compaction off (or nothing left to shrink) a retry would overflow again.
          if (outcome === "compacted") continue;
        }
        const code: ErrorCode =
          error.kind === "auth"
            ? "auth"
            : error.kind === "quota"
              ? "quota"
              : error.kind === "model_not_found"
                ? "model_not_found"
                : error.kind === "context_overflow"
                  ? "context_overflow"
                  : "llm_error";
        const message =
          typeof error.kind === "string"
            ? describeLlmError(error, s.provider.info.id, providerKeyHint(s.provider.info.provider))
            : String(raw);
        throw new TurnStop(code, message);
      }
      if (ctx.stream) ctx.emit({ type: "assistant_stream_end" });
      iterations++;
      const msg = response.message;
      if (msg.content) {
        ctx.emit({ type: "assistant_message", content: msg.content });
        lastText = msg.content;
      }

      if (response.stopReason === "max_tokens" && msg.toolCalls.length > 0) {
        ctx.append({ ...msg, toolCalls: [] });
        const names = msg.toolCalls.map((c) => c.name);
        ctx.append({ role: "user", content: MAX_TOKENS_NUDGE(names), synthetic: true });
        ctx.emit({
          type: "notice",
          kind: "guard",
          guard: "truncated_tool_calls",
          message: `Output was cut at the token limit; dropped ${names.length} incomplete tool call(s).`,
        });
        continue;
      }

      if (msg.toolCalls.length === 0) {
        s.anchor = undefined;
        const unfinished = ctx.options.plan?.unfinished() ?? [];
        if (unfinished.length > 0 && planNudges < ctx.maxPlanNudges) {
          planNudges++;
          if (
            msg.content &&
            (!reportBeforeNudge || workSinceNudge || msg.content.length > reportBeforeNudge.length)
          )
            reportBeforeNudge = msg.content;
          workSinceNudge = false;
          if (msg.content || msg.reasoning?.length) ctx.append(msg);
          ctx.append({ role: "user", content: ctx.options.plan?.nudge(unfinished) ?? "", synthetic: true });
          ctx.emit({
            type: "notice",
            kind: "guard",
            guard: "plan_unfinished",
            message:
              "The plan still has unfinished items after a text-only answer; asking the model to continue.",
          });
          continue;
        }
        if (msg.content || msg.reasoning?.length) ctx.append(msg);
        // A short acknowledgement after a nudge ("Done.") never replaces the report given before it.
        finalResponse =
          reportBeforeNudge && !workSinceNudge && reportBeforeNudge.length > (msg.content ?? "").length
            ? reportBeforeNudge
            : msg.content || null;
        ctx.emit({ type: "turn_complete", final_response: finalResponse, reason: "done", iterations });
        return end("done");
      }

      if (msg.toolCalls.some((c) => c.name !== PLAN_TOOL_NAME)) workSinceNudge = true;
      ctx.append(msg);
      s.anchor = anchorFromUsage(response.usage, s.history);
      const status = await executeToolCalls(ctx, msg.toolCalls, signal);
      if (status === "interrupted") break;
      if (status === "abandoned") {
        ctx.emit({ type: "turn_complete", final_response: null, reason: "abandoned", iterations });
        return end("done");
      }
    }
    if (signal.aborted) {
      ctx.emit({ type: "interrupted" });
      return end("interrupted");
    }
    finalResponse = lastText;
    if (budget?.finalAnswerOnLimit) {
      ctx.append({ role: "user", content: FINAL_ANSWER_NUDGE, synthetic: true });
      const last = await callModel(ctx, signal, false);
      if (ctx.stream) ctx.emit({ type: "assistant_stream_end" });
      ctx.append({ ...last.message, toolCalls: [] });
      if (last.message.content) ctx.emit({ type: "assistant_message", content: last.message.content });
      finalResponse = last.message.content || lastText;
    }
    const reason: TurnEndReason = "max_iterations";
    ctx.emit({
      type: "notice",
      kind: "limit",
      limit: "iterations",
      max_iterations: ctx.maxIterations,
      message: `Reached the limit of ${ctx.maxIterations} iterations for this turn; stopping. Send a message to continue.`,
    });
    ctx.emit({ type: "turn_complete", final_response: finalResponse, reason, iterations });
    return end("max_iterations");
  } catch (error) {
    if (error instanceof TurnStop) {
      ctx.emit({ type: "error", error: error.message, code: error.code });
      return end("error", { error: { message: error.message, code: error.code } });
    }
    if (signal.aborted) {
      ctx.emit({ type: "interrupted" });
      return end("interrupted");
    }
    const message = error instanceof Error ? error.message : String(error);
    ctx.emit({ type: "error", error: message, code: "internal" });
    return end("error", { error: { message, code: "internal" } });
  }
}

function providerKeyHint(provider: string): string {
  switch (provider) {
    case "anthropic":
      return "ANTHROPIC_API_KEY";
    case "bedrock":
      return "your AWS credentials and AWS_REGION";
    case "openai":
      return "OPENAI_API_KEY";
    case "hf-router":
      return "HF_TOKEN (run `hf auth login` or create a token at https://huggingface.co/settings/tokens)";
    default:
      return `the API key for ${provider}`;
  }
}
