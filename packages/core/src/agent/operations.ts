import type { AgentContext } from "./agent-context.ts";
import type { Operation } from "./events.ts";

/** Runs one queued operation other than a user message (compact, undo, new, resume, shutdown). */
export async function handleOperation(ctx: AgentContext, op: Operation): Promise<void> {
  const s = ctx.state;
  switch (op.type) {
    case "user_input":
    case "compact":
      await compact(ctx, "manual");
      return;
    case "undo": {
      let removed = 0;
      const next = [...s.history];
      while (next.length) {
        const m = next.pop()!;
        removed++;
        if (m.role === "user" && !m.synthetic) break;
      }
      ctx.replaceHistory(next, "undo");
      ctx.options.doomLoop?.reset?.();
      ctx.emit({ type: "undo_complete", removed_messages: removed });
      return;
    }
    case "new":
      s.sessionId = ctx.options.newSessionId?.() ?? crypto.randomUUID();
      ctx.replaceHistory([], "new");
      ctx.options.doomLoop?.reset?.();
      s.anchor = undefined;
      s.lastPromptTokens = 0;
      ctx.emit({ type: "new_complete", session_id: s.sessionId });
      return;
    case "resume": {
      if (!ctx.options.loadSession) {
        ctx.emit({
          type: "error",
          error: "Resuming is not available: no session store configured.",
          code: "config",
        });
        return;
      }
      const loaded = await ctx.options.loadSession(op.session_id);
      s.sessionId = loaded.sessionId;
      s.history = [...loaded.messages];
      s.anchor = undefined;
      s.lastPromptTokens = 0;
      ctx.emit({ type: "resume_complete", session_id: s.sessionId, message_count: s.history.length });
      return;
    }
    case "shutdown":
      s.closed = true;
      ctx.emit({ type: "shutdown" });
      ctx.bus.close();
      return;
    case "interrupt":
    case "exec_approval":
      return;
  }
}

/** Compacts the history when the compactor says so (threshold), after an overflow, or on request. */
export async function compact(
  ctx: AgentContext,
  reason: "threshold" | "overflow" | "manual",
  signal = new AbortController().signal,
): Promise<"compacted" | "skipped" | "failed"> {
  const s = ctx.state;
  if (!ctx.options.compactor) {
    if (reason === "manual") {
      ctx.emit({
        type: "notice",
        kind: "compaction",
        reason: "not_configured",
        message: "Compaction is not configured for this agent.",
      });
    }
    return "skipped";
  }
  const outcome = await ctx.options.compactor.maybeCompact({
    system: ctx.options.systemPrompt,
    tools: ctx.options.tools.schemas(),
    messages: s.history,
    anchor: s.anchor,
    reason,
    signal,
  });
  if (outcome.status === "compacted") {
    ctx.replaceHistory(outcome.messages, "compaction");
    s.anchor = undefined;
    ctx.emit({
      type: "compacted",
      old_tokens: outcome.old_tokens,
      new_tokens: outcome.new_tokens,
      strategy: outcome.strategy,
    });
    return "compacted";
  }
  if (outcome.status === "failed") {
    ctx.emit({ type: "error", error: outcome.error, code: "compaction_failed", fatal: true });
    return "failed";
  }
  if (reason === "manual") {
    ctx.emit({
      type: "notice",
      kind: "compaction",
      reason: "nothing_to_compact",
      tokens: outcome.tokens,
      limit: outcome.limit,
      message: `Nothing to compact (${outcome.tokens} tokens; limit ${outcome.limit}).`,
    });
  }
  return "skipped";
}
