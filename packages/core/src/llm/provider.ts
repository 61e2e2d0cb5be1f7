import type { ToolSchema } from "@ml-intern/tool";
import type { AssistantMessage, Message } from "./messages.ts";
import type { Usage } from "./usage.ts";

export type ReasoningEffort = "low" | "medium" | "high" | "max";

export interface LlmRequest {
  system: string;
  messages: readonly Message[];
  tools: readonly ToolSchema[];
  maxOutputTokens?: number;
  effort?: ReasoningEffort;
  stream: boolean;
  /** Sent to routers that attribute usage per session (never a secret). */
  sessionId?: string;
}

export interface LlmCallOptions {
  signal: AbortSignal;
  onTextDelta?(delta: string): void;
  onThinkingDelta?(delta: string): void;
}

export type StopReason = "end_turn" | "tool_use" | "max_tokens" | "refusal" | "other";

export interface LlmResponse {
  message: AssistantMessage;
  stopReason: StopReason;
  usage: Usage;
  model: string;
}

export interface ModelInfo {
  /** The id the user chose, e.g. "anthropic/claude-sonnet-4-5". */
  id: string;
  provider: string;
  /** The model name sent on the wire. */
  wireModel: string;
  contextWindow: number;
  maxOutputTokens: number;
  supportsThinking: boolean;
}

export interface LlmProvider {
  readonly info: ModelInfo;
  complete(request: LlmRequest, options: LlmCallOptions): Promise<LlmResponse>;
}
