import type { AgentEvent, ApprovalAnswer, ApprovalRequestItem, ToolAuth, TurnResult } from "@ml-intern/core";

/** Asks the MCP client's user about calls that need approval; one answer per item. */
export type ApprovalElicitor = (
  items: ApprovalRequestItem[],
  signal: AbortSignal,
) => Promise<ApprovalAnswer[]>;

export interface AgentRunRequest {
  task: string;
  /** Continue this session; a new one is started when absent. */
  sessionId?: string;
  /** Aborting interrupts the run (MCP cancellation). */
  signal: AbortSignal;
  /** Every agent event of the run, in order. */
  onEvent(event: AgentEvent): void;
  /** Present when the client supports elicitation; otherwise the server's approval policy decides. */
  elicit?: ApprovalElicitor;
  /** The caller's own credentials (HTTP Authorization), when they brought any. */
  auth?: ToolAuth;
}

export interface AgentRunResult {
  sessionId: string;
  status: TurnResult["status"];
  finalResponse: string | null;
  iterations: number;
  error?: TurnResult["error"];
}

/** Runs one task on the server's agent; injected so tests drive a fake agent. */
export type RunAgent = (request: AgentRunRequest) => Promise<AgentRunResult>;
