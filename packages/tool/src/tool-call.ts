/**
 * The one tool-call path every host uses (agent loop, SDK adapters, MCP server):
 * parse (JSON text or object) → validate (once) → approve (through an ApprovalGate) → run with abort,
 * progress and logs → truncate with spill → outcome. Failures never throw; they become error outcomes
 * with the texts in `toolCallText`.
 */
import {
  type ApprovalAnswer,
  type ApprovalCandidate,
  type ApprovalGate,
  evaluateApprovalRequirement,
  type GateVerdict,
  noApprovalGate,
  noApproverReason,
} from "./approval.ts";
import { toolCallText } from "./tool-call-text.ts";
import type {
  AnyToolDefinition,
  ApprovalRequirement,
  ToolAuth,
  ToolContext,
  ToolResult,
} from "./tool-definition.ts";
import type { ToolRegistry } from "./tool-registry.ts";
import { truncateMiddle } from "./truncate.ts";

/** One call a model asked for, in any SDK's shape once normalised. */
export interface ToolCallRequest {
  id: string;
  name: string;
  /** Parsed arguments, or the raw JSON text the model produced (OpenAI and the agent loop send a string). */
  input: unknown;
}

export type ToolCallStatus = "completed" | "failed" | "invalid" | "rejected" | "cancelled" | "abandoned";

/** Lifecycle states a host may show while a call moves through the path. */
export type ToolCallState =
  | "approved"
  | "rejected"
  | "running"
  | "cancelled"
  | "abandoned"
  | "completed"
  | "failed";

export interface ToolCallOutcome {
  id: string;
  name: string;
  /** What goes back to the model. */
  text: string;
  isError: boolean;
  status: ToolCallStatus;
  structured?: Record<string, unknown>;
  /** Host-only information from the tool (never sent to the model), e.g. `truncated`, `spillPath`. */
  meta?: Record<string, unknown>;
}

/** A call after parsing and validation: either ready to approve and run, or already answered. */
export type PreparedToolCall =
  | {
      ok: true;
      call: ToolCallRequest;
      tool: AnyToolDefinition;
      /** Validated arguments, defaults applied. */
      args: Record<string, unknown>;
      requirement: ApprovalRequirement | null;
    }
  | {
      ok: false;
      call: ToolCallRequest;
      /** The arguments as parsed before validation ({} when the JSON was malformed), for display. */
      rawArgs: Record<string, unknown>;
      outcome: ToolCallOutcome;
    };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseInput(input: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof input !== "string") return { ok: true, value: input ?? {} };
  try {
    const value: unknown = JSON.parse(input.trim() === "" ? "{}" : input);
    return isRecord(value) ? { ok: true, value } : { ok: false };
  } catch {
    return { ok: false };
  }
}

function errorOutcome(call: ToolCallRequest, status: ToolCallStatus, text: string): ToolCallOutcome {
  return { id: call.id, name: call.name, text, isError: true, status };
}

/** Parse and validate (the only validation a call gets), and the tool's own approval requirement. */
export function prepareToolCall(registry: ToolRegistry, call: ToolCallRequest): PreparedToolCall {
  const parsed = parseInput(call.input);
  if (!parsed.ok) {
    return {
      ok: false,
      call,
      rawArgs: {},
      outcome: errorOutcome(call, "invalid", toolCallText.malformedJson(call.name)),
    };
  }
  const validation = registry.validate(call.name, parsed.value);
  if (!validation.ok) {
    return {
      ok: false,
      call,
      rawArgs: isRecord(parsed.value) ? parsed.value : {},
      outcome: errorOutcome(call, "invalid", validation.message),
    };
  }
  return {
    ok: true,
    call,
    tool: validation.tool,
    args: validation.args,
    requirement: evaluateApprovalRequirement(validation.tool, validation.args),
  };
}

/**
 * What `run()` resolves with, or null as soon as the signal aborts (a throw or rejection passes through).
 * This sits on every tool call of every host, so a call that has already settled when its promise is first
 * looked at (most quick tools) is answered without an abort listener; the others race the signal. The
 * caller checks `signal.aborted` afterwards, so an abort during that first turn still cancels.
 */
async function untilAbort<T>(signal: AbortSignal, run: () => Promise<T>): Promise<T | null> {
  const running = Promise.resolve(run());
  let settled: { value: T } | undefined;
  let failed: { error: unknown } | undefined;
  running.then(
    (value) => {
      settled = { value };
    },
    (error: unknown) => {
      failed = { error };
    },
  );
  await undefined;
  if (settled) return settled.value;
  if (failed) throw failed.error;
  return untilAborted(running, signal);
}

/**
 * Runs a validated call: races the tool against `ctx.signal` (an abort answers at once, whatever the tool
 * does), turns a throw into a failure, and cuts an over-budget result with the registry's spill.
 */
export async function runTool(
  registry: ToolRegistry,
  prepared: { call: ToolCallRequest; tool: AnyToolDefinition; args: Record<string, unknown> },
  ctx: ToolContext,
  note = "",
): Promise<ToolCallOutcome> {
  const { call, tool } = prepared;
  const signal = ctx.signal;
  const cancelled = () => errorOutcome(call, "cancelled", toolCallText.cancelled(call.name));
  if (signal.aborted) return cancelled();
  let result: ToolResult | null;
  try {
    result = await untilAbort(signal, () => tool.execute(prepared.args, ctx));
  } catch (error) {
    if (signal.aborted) return cancelled();
    const message = error instanceof Error ? error.message : String(error);
    return errorOutcome(call, "failed", toolCallText.failed(call.name, message));
  }
  if (result === null || signal.aborted) return cancelled();
  let text = note + result.text;
  let meta = result.meta;
  const { budgetChars, spill } = registry.output;
  if (text.length > budgetChars) {
    const spillPath = spill ? await spill(call.id, call.name, text) : undefined;
    text = truncateMiddle(text, { maxChars: budgetChars, spillPath }).text;
    meta = { ...meta, truncated: true, ...(spillPath ? { spillPath } : {}) };
  }
  const outcome: ToolCallOutcome = {
    id: call.id,
    name: call.name,
    text,
    isError: result.isError === true,
    status: result.isError ? "failed" : "completed",
  };
  if (result.structured) outcome.structured = result.structured;
  if (meta) outcome.meta = meta;
  return outcome;
}

/** A call the gate asked a human about, with the gate's verdict (reason, kind, estimated cost). */
export interface ApprovalPrompt {
  candidate: ApprovalCandidate;
  verdict: GateVerdict;
}

/** Everything a host learns about a batch while it runs, in order (the agent maps these to its events). */
export interface ToolCallHooks {
  /** A call was parsed (before validation); `args` is {} when its JSON was malformed. */
  onCall?(call: ToolCallRequest, args: Record<string, unknown>): void;
  onState?(call: ToolCallRequest, state: ToolCallState, detail?: string): void;
  /** The call's final outcome (reported once per call, in completion order). */
  onOutcome?(outcome: ToolCallOutcome): void;
  onProgress?(call: ToolCallRequest, progress: number, total?: number, message?: string): void;
  onLog?(call: ToolCallRequest, message: string, extra?: { agentId?: string; label?: string }): void;
}

export interface ToolCallOptions extends ToolCallHooks {
  registry: ToolRegistry;
  /** Decides calls (default: calls needing approval are refused, the rest run). */
  gate?: ApprovalGate;
  /**
   * Asks a human about the calls the gate could not decide; resolves with their answers, or "abandoned"
   * when the user moved on without answering. Without it, such calls are refused.
   */
  ask?(
    prompts: readonly ApprovalPrompt[],
    signal: AbortSignal,
  ): Promise<readonly ApprovalAnswer[] | "abandoned">;
  /** Aborting cancels running tools and pending approvals; unfinished calls come back cancelled. */
  signal?: AbortSignal;
  sessionId: string;
  /** Per-call credentials overriding the tools' configured ones. */
  auth?: ToolAuth;
  /** Calls running at once (default unbounded); outcomes still come back in call order. */
  maxParallel?: number;
}

/** A tiny FIFO limiter: at most `max` of the scheduled tasks run at once. */
function createLimiter(max: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: (() => void)[] = [];
  const next = (): void => {
    active--;
    queue.shift()?.();
  };
  return <T>(task: () => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const start = (): void => {
        active++;
        task().then(resolve, reject).finally(next);
      };
      if (active < max) start();
      else queue.push(start);
    });
}

function sanitizeFeedback(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "").trim();
}

const stateOf = (outcome: ToolCallOutcome): ToolCallState | undefined =>
  outcome.status === "invalid" ? undefined : outcome.status;

/**
 * Runs one assistant message's tool calls through the path: every call is validated, the gate decides the
 * batch, asked calls wait for the human, allowed calls run in parallel. Outcomes come back in call order,
 * one per call, never throwing.
 */
export async function runToolCalls(
  calls: readonly ToolCallRequest[],
  options: ToolCallOptions,
): Promise<ToolCallOutcome[]> {
  const signal = options.signal ?? new AbortController().signal;
  const gate = options.gate ?? noApprovalGate;
  const outcomes = new Map<string, ToolCallOutcome>();

  /** The one place a call ends: record the outcome, report its state and its output. */
  const finish = (outcome: ToolCallOutcome, detail?: string): void => {
    outcomes.set(outcome.id, outcome);
    const state = stateOf(outcome);
    if (state) options.onState?.(requestOf(outcome), state, detail);
    options.onOutcome?.(outcome);
  };
  const byId = new Map(calls.map((c) => [c.id, c]));
  const requestOf = (outcome: ToolCallOutcome): ToolCallRequest =>
    byId.get(outcome.id) ?? { id: outcome.id, name: outcome.name, input: {} };

  const candidates: ApprovalCandidate[] = [];
  const requests = new Map<string, ToolCallRequest>();
  for (const call of calls) {
    const prepared = prepareToolCall(options.registry, call);
    options.onCall?.(call, prepared.ok ? prepared.args : prepared.rawArgs);
    if (!prepared.ok) {
      finish(prepared.outcome);
      continue;
    }
    requests.set(call.id, call);
    candidates.push({
      toolCallId: call.id,
      name: call.name,
      args: prepared.args,
      tool: prepared.tool,
      requirement: prepared.requirement,
    });
  }

  const limit = createLimiter(Math.max(1, options.maxParallel ?? Number.POSITIVE_INFINITY));
  const run = (candidate: ApprovalCandidate, args: Record<string, unknown>, note = ""): Promise<void> =>
    limit(() => runOne(candidate, args, note));
  const runOne = async (
    candidate: ApprovalCandidate,
    args: Record<string, unknown>,
    note = "",
  ): Promise<void> => {
    if (signal.aborted) return; // queued behind the limit and cancelled before its turn
    const call = requests.get(candidate.toolCallId) as ToolCallRequest;
    options.onState?.(call, "running");
    const ctx: ToolContext = {
      signal,
      toolCallId: call.id,
      sessionId: options.sessionId,
      progress: (progress, total, message) => options.onProgress?.(call, progress, total, message),
      log: (message, extra) => options.onLog?.(call, message, extra),
    };
    if (options.auth) ctx.auth = options.auth;
    const outcome = await runTool(options.registry, { call, tool: candidate.tool, args }, ctx, note);
    const actual = typeof outcome.meta?.actualCostUsd === "number" ? outcome.meta.actualCostUsd : undefined;
    gate.settle?.(call.id, !outcome.isError, actual);
    if (outcome.status === "cancelled") return; // reported with the other unfinished calls below
    finish(outcome);
  };

  const verdicts = candidates.length > 0 ? gate.decide(candidates) : [];
  const running: Promise<void>[] = [];
  const asked: ApprovalPrompt[] = [];
  candidates.forEach((candidate, i) => {
    const verdict: GateVerdict = verdicts[i] ?? { action: "deny", reason: "no decision" };
    if (verdict.action === "allow") running.push(run(candidate, candidate.args));
    else if (verdict.action === "ask") asked.push({ candidate, verdict });
    else {
      const reason = verdict.reason ?? "denied by policy";
      finish(rejected(candidate, toolCallText.notExecuted(reason)), verdict.reason);
    }
  });

  if (asked.length > 0 && !signal.aborted && !options.ask) {
    for (const { candidate, verdict } of asked) {
      const requirement = candidate.requirement ?? { kind: "custom", reason: verdict.reason ?? "" };
      const reason = noApproverReason(requirement);
      finish(rejected(candidate, toolCallText.notExecuted(reason)), reason);
    }
  } else if (asked.length > 0 && options.ask && !signal.aborted) {
    const answers = await untilAborted(options.ask(asked, signal), signal);
    for (const { candidate } of asked) {
      if (signal.aborted || answers === null) break;
      const id = candidate.toolCallId;
      if (answers === "abandoned") {
        finish({ ...rejected(candidate, toolCallText.abandoned), status: "abandoned" });
        continue;
      }
      const answer = answers.find((a) => a.tool_call_id === id);
      const approved = answer?.decision === "approve" || answer?.decision === "always";
      const refusal = approved
        ? (gate.approveManually?.(candidate, { always: answer?.decision === "always" }) ?? null)
        : null;
      if (!approved || refusal) {
        const feedback = answer?.feedback ? sanitizeFeedback(answer.feedback) : "";
        const text = refusal ? toolCallText.notExecuted(refusal) : toolCallText.rejected(feedback);
        finish(rejected(candidate, text), feedback || refusal || undefined);
        continue;
      }
      const call = requests.get(id) as ToolCallRequest;
      options.onState?.(call, "approved");
      if (answer?.edited_arguments) {
        const check = options.registry.validate(candidate.name, answer.edited_arguments);
        if (!check.ok) {
          finish(errorOutcome(call, "invalid", check.message));
          continue;
        }
        running.push(run(candidate, check.args, toolCallText.editedNote));
        continue;
      }
      running.push(run(candidate, candidate.args));
    }
  }

  await Promise.all(running);
  return calls.map((call) => {
    const outcome = outcomes.get(call.id);
    if (outcome) return outcome;
    const cancelled = errorOutcome(call, "cancelled", toolCallText.cancelled(call.name));
    finish(cancelled);
    return cancelled;
  });
}

/** One call through the whole path (the MCP server's `tools/call`). */
export async function runToolCall(call: ToolCallRequest, options: ToolCallOptions): Promise<ToolCallOutcome> {
  const [outcome] = await runToolCalls([call], options);
  return outcome as ToolCallOutcome;
}

function rejected(candidate: ApprovalCandidate, text: string): ToolCallOutcome {
  return { id: candidate.toolCallId, name: candidate.name, text, isError: true, status: "rejected" };
}

/** Resolves with the promise's value, or null as soon as the signal aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T | null> {
  if (signal.aborted) return Promise.resolve(null);
  return new Promise<T | null>((resolve, reject) => {
    const onAbort = () => resolve(null);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
