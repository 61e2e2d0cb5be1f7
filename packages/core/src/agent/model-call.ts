import { patchDanglingToolCalls } from "../llm/messages.ts";
import { estimateLlmCost } from "../llm/model-catalog.ts";
import type { LlmResponse } from "../llm/provider.ts";
import { withRetry } from "../llm/retry.ts";
import type { AgentContext } from "./agent-context.ts";

/** One model call → events: streamed chunks, retries (as `notice` events), and one `llm_call` with usage and cost. */
export async function callModel(
  ctx: AgentContext,
  signal: AbortSignal,
  withTools = true,
): Promise<LlmResponse> {
  const s = ctx.state;
  const provider = s.provider;
  const request = {
    system: ctx.options.systemPrompt,
    messages: patchDanglingToolCalls(s.history),
    tools: withTools ? ctx.options.tools.schemas() : [],
    stream: ctx.stream,
    effort: s.effort,
    sessionId: s.sessionId,
  };
  const started = Date.now();
  const response = await withRetry(
    () =>
      provider.complete(request, {
        signal,
        onTextDelta: (content) => ctx.emit({ type: "assistant_chunk", content }),
        onThinkingDelta: (content) => ctx.emit({ type: "thinking_chunk", content }),
      }),
    {
      signal,
      maxAttempts: ctx.options.retry?.maxAttempts,
      baseDelayMs: ctx.options.retry?.baseDelayMs,
      maxDelayMs: ctx.options.retry?.maxDelayMs,
      onRetry: (error, attempt, delay) => {
        if (ctx.stream) ctx.emit({ type: "assistant_stream_end" });
        ctx.emit({
          type: "notice",
          kind: "retry",
          message: `Model call failed (${error.kind}${error.status ? ` ${error.status}` : ""}); retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1}).`,
          attempt: attempt + 1,
          delay_ms: delay,
          error_kind: error.kind,
          ...(error.status ? { status: error.status } : {}),
        });
      },
    },
  );
  s.lastPromptTokens =
    response.usage.inputTokens + response.usage.cacheReadTokens + response.usage.cacheWriteTokens;
  ctx.emit({
    type: "llm_call",
    model: provider.info.id,
    kind: ctx.options.kind ?? "main",
    latency_ms: Date.now() - started,
    input_tokens: response.usage.inputTokens,
    output_tokens: response.usage.outputTokens,
    cache_read_tokens: response.usage.cacheReadTokens,
    cache_write_tokens: response.usage.cacheWriteTokens,
    cost_usd: estimateLlmCost(provider.info.wireModel, response.usage),
    stop_reason: response.stopReason,
  });
  return response;
}
