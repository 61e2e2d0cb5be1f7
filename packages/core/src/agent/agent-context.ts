import type { ToolRegistry } from "@ml-intern/tool";
import type { UsageAnchor } from "../context/tokens.ts";
import type { Message } from "../llm/messages.ts";
import type { LlmProvider, ReasoningEffort } from "../llm/provider.ts";
import type { AgentOptions } from "./agent.ts";
import type { EventBus } from "./event-bus.ts";
import type { AgentEvent, AgentEventBody, ApprovalAnswer } from "./events.ts";

/** An approval request the user has not answered yet. */
export interface PendingApproval {
  resolve(answers: ApprovalAnswer[] | "abandoned"): void;
}

/** The mutable state of one agent, shared by its turn, tool-batch and operation modules. */
export interface AgentState {
  sessionId: string;
  provider: LlmProvider;
  effort: ReasoningEffort | undefined;
  history: Message[];
  anchor: UsageAnchor | undefined;
  lastPromptTokens: number;
  pending: PendingApproval | undefined;
  currentTurn: AbortController | undefined;
  turnCounter: number;
  closed: boolean;
}

/** What every part of the agent works with: its options, state, and the one way to emit and record. */
export interface AgentContext {
  readonly options: AgentOptions & { tools: ToolRegistry };
  readonly state: AgentState;
  readonly bus: EventBus;
  readonly stream: boolean;
  readonly maxIterations: number;
  readonly maxPlanNudges: number;
  emit(body: AgentEventBody): AgentEvent;
  append(message: Message): void;
  replaceHistory(messages: Message[], reason: "undo" | "compaction" | "new"): void;
}
