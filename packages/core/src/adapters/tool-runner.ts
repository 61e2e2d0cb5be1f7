import {
  type AnyToolDefinition,
  type ApprovalAnswer,
  type ApprovalGate,
  type ApprovalPrompt,
  type ApprovalRequirement,
  createToolRegistry,
  runToolCalls,
  type ToolAuth,
  type ToolCallOutcome,
  type ToolCallRequest,
  type ToolRegistry,
} from "@ml-intern/tool";

export type { ToolCallOutcome, ToolCallRequest, ToolCallStatus } from "@ml-intern/tool";

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

function isRegistry(tools: readonly AnyToolDefinition[] | ToolRegistry): tools is ToolRegistry {
  return !Array.isArray(tools);
}

/** Calls whose tool states a requirement go to the host's handler; the rest run. */
const askOnRequirement: ApprovalGate = {
  decide: (batch) =>
    batch.map((c) =>
      c.requirement
        ? { action: "ask", reason: c.requirement.reason, kind: c.requirement.kind }
        : { action: "allow" },
    ),
};

/** Model tool calls outside the agent loop (the base of the SDK adapters), through the one tool-call path. */
export function createToolRunner(options: ToolRunnerOptions): ToolRunner {
  const registry = isRegistry(options.tools)
    ? options.tools
    : createToolRegistry({ tools: options.tools, outputBudgetChars: options.outputBudgetChars });
  const sessionId = options.sessionId ?? crypto.randomUUID();
  const approve = options.approve;
  const ask = approve
    ? async (prompts: readonly ApprovalPrompt[]) =>
        Promise.all(
          prompts.map(async ({ candidate }): Promise<ApprovalAnswer> => {
            const requirement = candidate.requirement as ApprovalRequirement;
            const raw = await approve({
              toolCallId: candidate.toolCallId,
              name: candidate.name,
              args: candidate.args,
              requirement,
            });
            const answer = typeof raw === "boolean" ? { approved: raw } : raw;
            return {
              tool_call_id: candidate.toolCallId,
              decision: answer.approved ? "approve" : "reject",
              ...(answer.feedback ? { feedback: answer.feedback } : {}),
            };
          }),
        )
    : undefined;

  return {
    registry,
    run(calls, runOptions = {}) {
      return runToolCalls(calls, {
        registry,
        sessionId,
        ...(approve ? { gate: askOnRequirement } : {}),
        ...(ask ? { ask } : {}),
        ...(runOptions.signal ? { signal: runOptions.signal } : {}),
        ...(options.auth ? { auth: options.auth } : {}),
        onProgress: (call, progress, total, message) =>
          options.onProgress?.({ toolCallId: call.id, name: call.name, progress, total, message }),
        onLog: (call, message) => options.onLog?.({ toolCallId: call.id, name: call.name, message }),
      });
    },
  };
}
