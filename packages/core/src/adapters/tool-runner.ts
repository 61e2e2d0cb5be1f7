import type {
  AnyToolDefinition,
  ApprovalRequirement,
  ToolAuth,
  ToolResult,
} from "../tool/tool-definition.ts";
import { createToolRegistry, type ToolRegistry } from "../tool/tool-registry.ts";

/** One call a model asked for, in any SDK's shape once normalised. */
export interface ToolCallRequest {
  id: string;
  name: string;
  /** Parsed arguments, or the raw JSON text the model produced (OpenAI sends a string). */
  input: unknown;
}

export type ToolCallStatus = "completed" | "failed" | "invalid" | "rejected" | "cancelled";

export interface ToolCallOutcome {
  id: string;
  name: string;
  /** What goes back to the model. */
  text: string;
  isError: boolean;
  status: ToolCallStatus;
  structured?: Record<string, unknown>;
  /** Host-only information from the tool (never sent to the model). */
  meta?: Record<string, unknown>;
}

export interface ToolApprovalRequest {
  toolCallId: string;
  name: string;
  args: Record<string, unknown>;
  requirement: ApprovalRequirement;
}

export type ToolApprovalAnswer = boolean | { approved: boolean; feedback?: string };

/** Decides calls whose tool says they need a human (spend, destructive, scheduled). */
export type ToolApprovalHandler = (
  request: ToolApprovalRequest,
) => ToolApprovalAnswer | Promise<ToolApprovalAnswer>;

export interface ToolRunnerOptions {
  /** Tool definitions (a registry is built over them) or a ready registry. */
  tools: readonly AnyToolDefinition[] | ToolRegistry;
  /** Without a handler, calls that need approval are refused with an explanation to the model. */
  approve?: ToolApprovalHandler;
  /** Passed to each tool's needsApproval (default true: CPU jobs also ask). */
  confirmCpuJobs?: boolean;
  sessionId?: string;
  /** Per-call credentials overriding the tools' configured ones. */
  auth?: ToolAuth;
  onProgress?(event: {
    toolCallId: string;
    name: string;
    progress: number;
    total?: number;
    message?: string;
  }): void;
  onLog?(event: { toolCallId: string; name: string; message: string }): void;
  /** Characters a result may carry before it is truncated (default 25,000); ignored for a ready registry. */
  outputBudgetChars?: number;
}

export interface RunOptions {
  /** Aborting cancels running tools; unfinished calls come back as cancelled. */
  signal?: AbortSignal;
}

export interface ToolRunner {
  readonly registry: ToolRegistry;
  /** Runs the calls in parallel; outcomes come back in call order, one per call, never throwing. */
  run(calls: readonly ToolCallRequest[], options?: RunOptions): Promise<ToolCallOutcome[]>;
}

const CANCELLED = "Tool call was cancelled before it finished.";

function isRegistry(tools: readonly AnyToolDefinition[] | ToolRegistry): tools is ToolRegistry {
  return !Array.isArray(tools);
}

function parseInput(input: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof input !== "string") return { ok: true, value: input };
  try {
    return { ok: true, value: JSON.parse(input.trim() === "" ? "{}" : input) };
  } catch {
    return { ok: false };
  }
}

function normaliseAnswer(answer: ToolApprovalAnswer): { approved: boolean; feedback?: string } {
  return typeof answer === "boolean" ? { approved: answer } : answer;
}

/** Validation, approval and execution of model tool calls outside the agent loop (the base of the SDK adapters). */
export function createToolRunner(options: ToolRunnerOptions): ToolRunner {
  const registry = isRegistry(options.tools)
    ? options.tools
    : createToolRegistry({ tools: options.tools, outputBudgetChars: options.outputBudgetChars });
  const sessionId = options.sessionId ?? crypto.randomUUID();

  async function runOne(call: ToolCallRequest, signal: AbortSignal): Promise<ToolCallOutcome> {
    const base = { id: call.id, name: call.name };
    const parsed = parseInput(call.input);
    if (!parsed.ok) {
      return {
        ...base,
        isError: true,
        status: "invalid",
        text: `The arguments of this call to '${call.name}' were not valid JSON, so it was not executed. Call it again with a JSON object.`,
      };
    }
    const validation = registry.validate(call.name, parsed.value);
    if (!validation.ok) return { ...base, isError: true, status: "invalid", text: validation.message };
    const requirement =
      validation.tool.needsApproval?.(validation.args, { confirmCpuJobs: options.confirmCpuJobs ?? true }) ??
      null;
    if (requirement) {
      if (!options.approve) {
        return {
          ...base,
          isError: true,
          status: "rejected",
          text: `Not executed: this call needs approval (${requirement.kind}: ${requirement.reason}) and this host has no approval handler.`,
        };
      }
      const answer = normaliseAnswer(
        await options.approve({ toolCallId: call.id, name: call.name, args: validation.args, requirement }),
      );
      if (!answer.approved) {
        const feedback = answer.feedback?.trim();
        return {
          ...base,
          isError: true,
          status: "rejected",
          text: `The user rejected this call${feedback ? `. User feedback: ${feedback}` : "."}`,
        };
      }
    }
    if (signal.aborted) return { ...base, isError: true, status: "cancelled", text: CANCELLED };
    const cancelled = new Promise<ToolResult>((resolve) => {
      signal.addEventListener("abort", () => resolve({ text: CANCELLED, isError: true }), { once: true });
    });
    const result = await Promise.race([
      registry.execute(call.name, validation.args, {
        signal,
        toolCallId: call.id,
        sessionId,
        ...(options.auth ? { auth: options.auth } : {}),
        progress: (progress, total, message) =>
          options.onProgress?.({ toolCallId: call.id, name: call.name, progress, total, message }),
        log: (message) => options.onLog?.({ toolCallId: call.id, name: call.name, message }),
      }),
      cancelled,
    ]);
    if (signal.aborted) return { ...base, isError: true, status: "cancelled", text: CANCELLED };
    const outcome: ToolCallOutcome = {
      ...base,
      text: result.text,
      isError: result.isError === true,
      status: result.isError ? "failed" : "completed",
    };
    if (result.structured) outcome.structured = result.structured;
    if (result.meta) outcome.meta = result.meta;
    return outcome;
  }

  return {
    registry,
    run(calls, runOptions = {}) {
      const signal = runOptions.signal ?? new AbortController().signal;
      return Promise.all(calls.map((call) => runOne(call, signal)));
    },
  };
}
