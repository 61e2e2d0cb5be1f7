import type { ToolAuth, ToolRegistry } from "@ml-intern/tool";
import type { Message } from "../llm/messages.ts";
import type { LlmProvider, ReasoningEffort } from "../llm/provider.ts";
import type { AgentContext, AgentState } from "./agent-context.ts";
import type { ApprovalGate, Compactor, DoomLoopCheck, PlanSource, SessionRecorder } from "./agent-hooks.ts";
import { createEventBus, type EventListener } from "./event-bus.ts";
import type { AgentEvent, AgentEventBody, ErrorCode, Operation } from "./events.ts";
import { handleOperation } from "./operations.ts";
import { runTurn } from "./turn.ts";

export interface AgentOptions {
  provider: LlmProvider;
  tools: ToolRegistry;
  systemPrompt: string;
  sessionId?: string;
  /** Per turn; -1 means unlimited. Default 300. */
  maxIterations?: number;
  /** Tool calls run per model reply; calls beyond it get a "not executed" result. Default 64. */
  maxToolCallsPerReply?: number;
  /** Tool calls of one reply running at once. Default 8. */
  maxParallelToolCalls?: number;
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

/**
 * The agent's public API and its submission queue. The parts: `turn.ts` (one user turn), `model-call.ts`
 * (one model call → events), `tool-batch.ts` (one assistant message's tool calls through the tool-call
 * path), `operations.ts` (compact, undo, new, resume, shutdown).
 */
export function createAgent(options: AgentOptions): Agent {
  const s: AgentState = {
    sessionId: options.sessionId ?? crypto.randomUUID(),
    provider: options.provider,
    effort: options.effort,
    history: [...(options.messages ?? [])],
    anchor: undefined,
    lastPromptTokens: 0,
    pending: undefined,
    currentTurn: undefined,
    turnCounter: 0,
    closed: false,
  };
  const bus = createEventBus(() => s.sessionId, options.now);
  if (options.onEvent) bus.subscribe(options.onEvent);
  const ctx: AgentContext = {
    options,
    state: s,
    bus,
    stream: options.stream ?? true,
    maxIterations: options.maxIterations ?? 300,
    maxPlanNudges: options.maxPlanNudges ?? 2,
    emit(body) {
      const event = bus.emit(body);
      options.recorder?.event(event);
      return event;
    },
    append(message) {
      s.history.push(message);
      options.recorder?.message(message);
    },
    replaceHistory(messages, reason) {
      s.history = messages;
      options.recorder?.replaced(messages, reason);
    },
  };
  const emit = ctx.emit;
  const queue: { op: Operation; done?: (result: TurnResult) => void }[] = [];
  let processing = false;
  const idleWaiters: (() => void)[] = [];

  const drain = async () => {
    if (processing) return;
    processing = true;
    try {
      for (let item = queue.shift(); item; item = queue.shift()) {
        try {
          if (item.op.type === "user_input") {
            const result = await runTurn(ctx, item.op.text);
            item.done?.(result);
          } else await handleOperation(ctx, item.op);
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

  const agent: Agent = {
    get sessionId() {
      return s.sessionId;
    },
    get model() {
      return s.provider.info.id;
    },
    submit(op) {
      if (s.closed) return;
      if (op.type === "interrupt") {
        queue.length = 0;
        s.currentTurn?.abort(new Error("interrupted"));
        return;
      }
      if (op.type === "exec_approval") {
        if (!s.pending) {
          emit({ type: "error", error: "There is no pending approval to answer.", code: "internal" });
          return;
        }
        s.pending.resolve(op.approvals);
        return;
      }
      if (op.type === "user_input" && s.pending) {
        // A new message while approvals are pending abandons them; the new text starts the next turn.
        s.pending.resolve("abandoned");
      }
      queue.push({ op });
      void drain();
    },
    subscribe: (listener) => bus.subscribe(listener),
    events: () => bus.stream(),
    messages: () => s.history,
    send(text) {
      return new Promise<TurnResult>((resolve) => {
        if (s.closed) {
          resolve({
            status: "error",
            finalResponse: null,
            iterations: 0,
            error: { message: "agent is closed", code: "internal" },
          });
          return;
        }
        if (s.pending) s.pending.resolve("abandoned");
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
      s.provider = next;
    },
    setEffort(next) {
      s.effort = next;
    },
    async close() {
      if (s.closed) return;
      s.currentTurn?.abort(new Error("shutdown"));
      agent.submit({ type: "shutdown" });
      await agent.idle();
    },
  };
  // Deferred so listeners attached right after creation see it.
  queueMicrotask(() =>
    emit({
      type: "ready",
      session_id: s.sessionId,
      model: s.provider.info.id,
      tool_count: options.tools.list().length,
    }),
  );
  return agent;
}
