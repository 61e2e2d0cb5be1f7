import { type ApprovalPrompt, runToolCalls, type ToolAuth, type ToolRegistry } from "@ml-intern/tool";
import { anchorFromUsage, type UsageAnchor } from "../context/tokens.ts";
import { describeLlmError, type LlmError } from "../llm/llm-error.ts";
import { type Message, patchDanglingToolCalls, type ToolCall } from "../llm/messages.ts";
import { estimateLlmCost } from "../llm/model-catalog.ts";
import type { LlmProvider, LlmResponse, ReasoningEffort } from "../llm/provider.ts";
import { withRetry } from "../llm/retry.ts";
import { PLAN_TOOL_NAME } from "../plan/plan-tool.ts";
import type { ApprovalGate, Compactor, DoomLoopCheck, PlanSource, SessionRecorder } from "./agent-hooks.ts";
import { createEventBus, type EventListener } from "./event-bus.ts";
import type {
  AgentEvent,
  AgentEventBody,
  ApprovalAnswer,
  ApprovalRequestItem,
  ErrorCode,
  Operation,
  TurnEndReason,
} from "./events.ts";

export interface AgentOptions {
  provider: LlmProvider;
  tools: ToolRegistry;
  systemPrompt: string;
  sessionId?: string;
  /** Per turn; -1 means unlimited. Default 300. */
  maxIterations?: number;
  stream?: boolean;
  effort?: ReasoningEffort;
  approval?: ApprovalGate;
  doomLoop?: DoomLoopCheck;
  compactor?: Compactor;
  plan?: PlanSource;
  recorder?: SessionRecorder;
  /** History to start from (a resumed session). */
  messages?: Message[];
  /** Loads a stored session for the `resume` operation. */
  loadSession?: (ref: string) => Promise<{ sessionId: string; messages: Message[] }>;
  /** Creates the id of a fresh session for `new`. */
  newSessionId?: () => string;
  auth?: ToolAuth;
  retry?: { maxAttempts?: number; baseDelayMs?: number; maxDelayMs?: number };
  /**
   * Budgets for sub-agents: a wrap-up nudge once the prompt passes `nudgeAt` of `maxPromptTokens`, and one
   * final tool-less answer when the token budget or the iteration limit is reached.
   */
  budget?: { maxPromptTokens?: number; nudgeAt?: number; finalAnswerOnLimit?: boolean };
  /** Tag for llm_call events ("main" or "research"). */
  kind?: "main" | "research";
  /** Continuation-guard retries per turn when the plan is unfinished. */
  maxPlanNudges?: number;
  now?: () => Date;
  /** Subscribed before anything is emitted, so it sees `ready` too. */
  onEvent?: EventListener;
}

export interface TurnResult {
  status: "done" | "max_iterations" | "interrupted" | "error";
  finalResponse: string | null;
  error?: { message: string; code: ErrorCode };
  iterations: number;
}

export interface Agent {
  readonly sessionId: string;
  /** Queue an operation. `interrupt` and `exec_approval` act immediately. */
  submit(op: Operation): void;
  subscribe(listener: EventListener): () => void;
  events(): AsyncIterableIterator<AgentEvent>;
  messages(): readonly Message[];
  /** Sends one user message and resolves when that turn ends (approvals are answered through `submit`). */
  send(text: string): Promise<TurnResult>;
  /**
   * Sends one user message and yields the events emitted until that turn ends (approvals are answered
   * through `submit` meanwhile). Breaking out early stops listening, not the turn.
   */
  turn(text: string): AsyncGenerator<AgentEvent, TurnResult>;
  /** Resolves when the queue is idle. */
  idle(): Promise<void>;
  /** Emits a host-side event through this agent's stream (e.g. plan_update from the plan tool). */
  notify(body: AgentEventBody): void;
  setModel(provider: LlmProvider): void;
  setEffort(effort: ReasoningEffort | undefined): void;
  readonly model: string;
  close(): Promise<void>;
}

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

interface PendingApproval {
  resolve(answers: ApprovalAnswer[] | "abandoned"): void;
}

export function createAgent(options: AgentOptions): Agent {
  let sessionId = options.sessionId ?? crypto.randomUUID();
  let provider = options.provider;
  let effort = options.effort;
  let history: Message[] = [...(options.messages ?? [])];
  const bus = createEventBus(() => sessionId, options.now);
  if (options.onEvent) bus.subscribe(options.onEvent);
  const maxIterations = options.maxIterations ?? 300;
  const stream = options.stream ?? true;
  const maxPlanNudges = options.maxPlanNudges ?? 2;
  const queue: { op: Operation; done?: (result: TurnResult) => void }[] = [];
  let processing = false;
  let turnCounter = 0;
  let currentTurn: AbortController | undefined;
  let pending: PendingApproval | undefined;
  let anchor: UsageAnchor | undefined;
  let lastPromptTokens = 0;
  const idleWaiters: (() => void)[] = [];
  let closed = false;

  const emit = (body: AgentEventBody): AgentEvent => {
    const event = bus.emit(body);
    options.recorder?.event(event);
    return event;
  };
  const append = (message: Message) => {
    history.push(message);
    options.recorder?.message(message);
  };
  const replaceHistory = (messages: Message[], reason: "undo" | "compaction" | "new") => {
    history = messages;
    options.recorder?.replaced(messages, reason);
  };

  const drain = async () => {
    if (processing) return;
    processing = true;
    try {
      for (let item = queue.shift(); item; item = queue.shift()) {
        try {
          if (item.op.type === "user_input") {
            const result = await runTurn(item.op.text);
            item.done?.(result);
          } else await handle(item.op);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          emit({ type: "error", error: message, code: "internal" });
        }
      }
    } finally {
      processing = false;
      for (const w of idleWaiters.splice(0)) w();
    }
  };

  async function handle(op: Operation): Promise<void> {
    switch (op.type) {
      case "user_input":
      case "compact":
        await compact("manual");
        return;
      case "undo": {
        let removed = 0;
        const next = [...history];
        while (next.length) {
          const m = next.pop()!;
          removed++;
          if (m.role === "user" && !m.synthetic) break;
        }
        replaceHistory(next, "undo");
        options.doomLoop?.reset?.();
        emit({ type: "undo_complete", removed_messages: removed });
        return;
      }
      case "new":
        sessionId = options.newSessionId?.() ?? crypto.randomUUID();
        replaceHistory([], "new");
        options.doomLoop?.reset?.();
        anchor = undefined;
        lastPromptTokens = 0;
        emit({ type: "new_complete", session_id: sessionId });
        return;
      case "resume": {
        if (!options.loadSession) {
          emit({
            type: "error",
            error: "Resuming is not available: no session store configured.",
            code: "config",
          });
          return;
        }
        const loaded = await options.loadSession(op.session_id);
        sessionId = loaded.sessionId;
        history = [...loaded.messages];
        anchor = undefined;
        lastPromptTokens = 0;
        emit({ type: "resume_complete", session_id: sessionId, message_count: history.length });
        return;
      }
      case "shutdown":
        closed = true;
        emit({ type: "shutdown" });
        bus.close();
        return;
      case "interrupt":
      case "exec_approval":
        return;
    }
  }

  async function compact(
    reason: "threshold" | "overflow" | "manual",
    signal = new AbortController().signal,
  ): Promise<"compacted" | "skipped" | "failed"> {
    if (!options.compactor) {
      if (reason === "manual")
        emit({ type: "tool_log", tool: "system", log: "Compaction is not configured for this agent." });
      return "skipped";
    }
    const outcome = await options.compactor.maybeCompact({
      system: options.systemPrompt,
      tools: options.tools.schemas(),
      messages: history,
      anchor,
      reason,
      signal,
    });
    if (outcome.status === "compacted") {
      replaceHistory(outcome.messages, "compaction");
      anchor = undefined;
      emit({
        type: "compacted",
        old_tokens: outcome.old_tokens,
        new_tokens: outcome.new_tokens,
        strategy: outcome.strategy,
      });
      return "compacted";
    }
    if (outcome.status === "failed") {
      emit({ type: "error", error: outcome.error, code: "compaction_failed", fatal: true });
      return "failed";
    }
    if (reason === "manual") {
      emit({
        type: "tool_log",
        tool: "system",
        log: `Nothing to compact (${outcome.tokens} tokens; limit ${outcome.limit}).`,
      });
    }
    return "skipped";
  }

  async function callModel(signal: AbortSignal, withTools = true): Promise<LlmResponse> {
    const request = {
      system: options.systemPrompt,
      messages: patchDanglingToolCalls(history),
      tools: withTools ? options.tools.schemas() : [],
      stream,
      effort,
      sessionId,
    };
    const started = Date.now();
    const response = await withRetry(
      () =>
        provider.complete(request, {
          signal,
          onTextDelta: (content) => emit({ type: "assistant_chunk", content }),
          onThinkingDelta: (content) => emit({ type: "thinking_chunk", content }),
        }),
      {
        signal,
        maxAttempts: options.retry?.maxAttempts,
        baseDelayMs: options.retry?.baseDelayMs,
        maxDelayMs: options.retry?.maxDelayMs,
        onRetry: (error, attempt, delay) => {
          if (stream) emit({ type: "assistant_stream_end" });
          emit({
            type: "tool_log",
            tool: "system",
            log: `Model call failed (${error.kind}${error.status ? ` ${error.status}` : ""}); retrying in ${(delay / 1000).toFixed(1)} s (attempt ${attempt + 1}).`,
          });
        },
      },
    );
    lastPromptTokens =
      response.usage.inputTokens + response.usage.cacheReadTokens + response.usage.cacheWriteTokens;
    emit({
      type: "llm_call",
      model: provider.info.id,
      kind: options.kind ?? "main",
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

  async function runTurn(text: string): Promise<TurnResult> {
    const controller = new AbortController();
    currentTurn = controller;
    const signal = controller.signal;
    const turn = ++turnCounter;
    if (text.trim()) {
      append({ role: "user", content: text });
      options.doomLoop?.reset?.();
    }
    options.compactor?.newTurn();
    emit({ type: "processing", turn });
    let iterations = 0;
    let planNudges = 0;
    let finalResponse: string | null = null;
    let lastText: string | null = null;
    // The answer given before a continuation nudge; it stays the turn's answer unless real work follows.
    let reportBeforeNudge: string | null = null;
    let workSinceNudge = false;
    let overflowCompactions = 0;
    let wrapUpNudged = false;
    const budget = options.budget;
    const end = (status: TurnResult["status"], extra: Partial<TurnResult> = {}): TurnResult => {
      currentTurn = undefined;
      return { status, finalResponse, iterations, ...extra };
    };
    try {
      while (maxIterations < 0 || iterations < maxIterations) {
        if (signal.aborted) break;
        if ((await compact("threshold", signal)) === "failed") {
          return end("error", { error: { message: "Context compaction failed", code: "compaction_failed" } });
        }
        const loop = options.doomLoop?.check(history);
        if (loop) {
          if (loop.escalate) {
            throw new TurnStop(
              "loop_detected",
              "Stopped: the agent kept repeating the same tool calls after being warned. Rephrase the task or give it more guidance.",
            );
          }
          append({ role: "user", content: loop.message, synthetic: true });
          emit({
            type: "tool_log",
            tool: "system",
            log: "The same tool calls repeated with the same results; asked the model to take a different step.",
          });
        }
        const malformed = options.doomLoop?.malformed?.(history);
        if (malformed) append({ role: "user", content: malformed, synthetic: true });
        if (budget?.maxPromptTokens && lastPromptTokens > 0) {
          if (lastPromptTokens >= budget.maxPromptTokens) break;
          if (!wrapUpNudged && lastPromptTokens >= budget.maxPromptTokens * (budget.nudgeAt ?? 0.75)) {
            wrapUpNudged = true;
            append({ role: "user", content: WRAP_UP_NUDGE, synthetic: true });
            emit({
              type: "tool_log",
              tool: "system",
              log: `Context budget ${Math.round((lastPromptTokens / budget.maxPromptTokens) * 100)}% used; asking to wrap up.`,
            });
          }
        }

        let response: LlmResponse;
        try {
          response = await callModel(signal);
        } catch (raw) {
          const error = raw as LlmError;
          if (signal.aborted || error.kind === "aborted") break;
          if (error.kind === "context_overflow" && options.compactor && overflowCompactions < 2) {
            overflowCompactions++;
            emit({
              type: "tool_log",
              tool: "system",
              log: "The context overflowed the model's window; compacting.",
            });
            const outcome = await compact("overflow", signal);
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
              ? describeLlmError(error, provider.info.id, providerKeyHint(provider.info.provider))
              : String(raw);
          throw new TurnStop(code, message);
        }
        if (stream) emit({ type: "assistant_stream_end" });
        iterations++;
        const msg = response.message;
        if (msg.content) {
          emit({ type: "assistant_message", content: msg.content });
          lastText = msg.content;
        }

        if (response.stopReason === "max_tokens" && msg.toolCalls.length > 0) {
          append({ ...msg, toolCalls: [] });
          const names = msg.toolCalls.map((c) => c.name);
          append({ role: "user", content: MAX_TOKENS_NUDGE(names), synthetic: true });
          emit({
            type: "tool_log",
            tool: "system",
            log: `Output was cut at the token limit; dropped ${names.length} incomplete tool call(s).`,
          });
          continue;
        }

        if (msg.toolCalls.length === 0) {
          anchor = undefined;
          const unfinished = options.plan?.unfinished() ?? [];
          if (unfinished.length > 0 && planNudges < maxPlanNudges) {
            planNudges++;
            if (
              msg.content &&
              (!reportBeforeNudge || workSinceNudge || msg.content.length > reportBeforeNudge.length)
            )
              reportBeforeNudge = msg.content;
            workSinceNudge = false;
            if (msg.content || msg.reasoning?.length) append(msg);
            append({ role: "user", content: options.plan!.nudge(unfinished), synthetic: true });
            emit({
              type: "tool_log",
              tool: "system",
              log: "The plan still has unfinished items after a text-only answer; asking the model to continue.",
            });
            continue;
          }
          if (msg.content || msg.reasoning?.length) append(msg);
          // A short acknowledgement after a nudge ("Done.") never replaces the report given before it.
          finalResponse =
            reportBeforeNudge && !workSinceNudge && reportBeforeNudge.length > (msg.content ?? "").length
              ? reportBeforeNudge
              : msg.content || null;
          emit({ type: "turn_complete", final_response: finalResponse, reason: "done", iterations });
          return end("done");
        }

        if (msg.toolCalls.some((c) => c.name !== PLAN_TOOL_NAME)) workSinceNudge = true;
        append(msg);
        anchor = anchorFromUsage(response.usage, history);
        const status = await executeToolCalls(msg.toolCalls, signal);
        if (status === "interrupted") break;
        if (status === "abandoned") {
          emit({ type: "turn_complete", final_response: null, reason: "abandoned", iterations });
          return end("done");
        }
      }
      if (signal.aborted) {
        emit({ type: "interrupted" });
        return end("interrupted");
      }
      finalResponse = lastText;
      if (budget?.finalAnswerOnLimit) {
        append({ role: "user", content: FINAL_ANSWER_NUDGE, synthetic: true });
        const last = await callModel(signal, false);
        if (stream) emit({ type: "assistant_stream_end" });
        append({ ...last.message, toolCalls: [] });
        if (last.message.content) emit({ type: "assistant_message", content: last.message.content });
        finalResponse = last.message.content || lastText;
      }
      const reason: TurnEndReason = "max_iterations";
      emit({
        type: "tool_log",
        tool: "system",
        log: `Reached the limit of ${maxIterations} iterations for this turn; stopping. Send a message to continue.`,
      });
      emit({ type: "turn_complete", final_response: finalResponse, reason, iterations });
      return end("max_iterations");
    } catch (error) {
      if (error instanceof TurnStop) {
        emit({ type: "error", error: error.message, code: error.code });
        return end("error", { error: { message: error.message, code: error.code } });
      }
      if (signal.aborted) {
        emit({ type: "interrupted" });
        return end("interrupted");
      }
      const message = error instanceof Error ? error.message : String(error);
      emit({ type: "error", error: message, code: "internal" });
      return end("error", { error: { message, code: "internal" } });
    }
  }

  /** Runs one assistant message's tool calls through the one tool-call path; results are appended in call order. */
  async function executeToolCalls(
    calls: ToolCall[],
    signal: AbortSignal,
  ): Promise<"ok" | "interrupted" | "abandoned"> {
    const outcomes = await runToolCalls(
      calls.map((c) => ({ id: c.id, name: c.name, input: c.arguments })),
      {
        registry: options.tools,
        ...(options.approval ? { gate: options.approval } : {}),
        ask: (prompts, askSignal) => askHuman(prompts, askSignal),
        signal,
        sessionId,
        ...(options.auth ? { auth: options.auth } : {}),
        onCall: (call, args) =>
          emit({ type: "tool_call", tool: call.name, tool_call_id: call.id, arguments: args }),
        onState: (call, state, detail) =>
          emit({
            type: "tool_state_change",
            tool: call.name,
            tool_call_id: call.id,
            state,
            ...(detail !== undefined ? { detail } : {}),
          }),
        onOutcome: (outcome) =>
          emit({
            type: "tool_output",
            tool: outcome.name,
            tool_call_id: outcome.id,
            output: outcome.text,
            success: !outcome.isError,
            ...(outcome.structured ? { structured: outcome.structured } : {}),
          }),
        onProgress: (call, progress, total, message) =>
          emit({ type: "tool_progress", tool: call.name, tool_call_id: call.id, progress, total, message }),
        onLog: (call, log, extra) =>
          emit({
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
      append({
        role: "tool",
        toolCallId: outcome.id,
        name: outcome.name,
        content: outcome.text,
        isError: outcome.isError,
      });
    }
    if (signal.aborted) return "interrupted";
    return outcomes.some((o) => o.status === "abandoned") ? "abandoned" : "ok";
  }

  /** Shows the calls the gate asked about and waits for `exec_approval` (or a new message: abandoned). */
  function askHuman(prompts: readonly ApprovalPrompt[], signal: AbortSignal) {
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
        pending = undefined;
        resolve(answers);
      };
      pending = { resolve: done };
      emit({ type: "approval_required", tools: items, count: items.length });
      signal.addEventListener("abort", () => done([]), { once: true });
    });
  }

  const agent: Agent = {
    get sessionId() {
      return sessionId;
    },
    get model() {
      return provider.info.id;
    },
    submit(op) {
      if (closed) return;
      if (op.type === "interrupt") {
        queue.length = 0;
        currentTurn?.abort(new Error("interrupted"));
        return;
      }
      if (op.type === "exec_approval") {
        if (!pending) {
          emit({ type: "error", error: "There is no pending approval to answer.", code: "internal" });
          return;
        }
        pending.resolve(op.approvals);
        return;
      }
      if (op.type === "user_input" && pending) {
        // A new message while approvals are pending abandons them; the new text starts the next turn.
        pending.resolve("abandoned");
      }
      queue.push({ op });
      void drain();
    },
    subscribe: (listener) => bus.subscribe(listener),
    events: () => bus.stream(),
    messages: () => history,
    send(text) {
      return new Promise<TurnResult>((resolve) => {
        if (closed) {
          resolve({
            status: "error",
            finalResponse: null,
            iterations: 0,
            error: { message: "agent is closed", code: "internal" },
          });
          return;
        }
        if (pending) pending.resolve("abandoned");
        queue.push({ op: { type: "user_input", text }, done: resolve });
        void drain();
      });
    },
    async *turn(text) {
      const buffer: AgentEvent[] = [];
      let wake: (() => void) | undefined;
      let result: TurnResult | undefined;
      const unsubscribe = bus.subscribe((event) => {
        buffer.push(event);
        wake?.();
      });
      const finished = agent.send(text).then((r) => {
        result = r;
        wake?.();
      });
      try {
        for (;;) {
          while (buffer.length > 0) yield buffer.shift()!;
          if (result) return result;
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
      } finally {
        unsubscribe();
        void finished;
      }
    },
    idle() {
      if (!processing && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    notify(body) {
      emit(body);
    },
    setModel(next) {
      provider = next;
    },
    setEffort(next) {
      effort = next;
    },
    async close() {
      if (closed) return;
      currentTurn?.abort(new Error("shutdown"));
      agent.submit({ type: "shutdown" });
      await agent.idle();
    },
  };
  // Deferred so listeners attached right after creation see it.
  queueMicrotask(() =>
    emit({
      type: "ready",
      session_id: sessionId,
      model: provider.info.id,
      tool_count: options.tools.list().length,
    }),
  );
  return agent;
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
