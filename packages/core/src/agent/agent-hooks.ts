import type { Message } from "../llm/messages.ts";
import type { AgentEvent, PlanItem } from "./events.ts";

/** The approval gate is part of the tool-call path; core's approval policy implements it. */
export type { ApprovalCandidate, ApprovalGate, GateVerdict } from "@ml-intern/tool";

export interface DoomLoopVerdict {
  message: string;
  /** True when the same loop is detected again after its nudge: stop the turn. */
  escalate: boolean;
}

export interface DoomLoopCheck {
  check(messages: readonly Message[]): DoomLoopVerdict | null;
  /** Extra nudge for repeated malformed-argument calls to one tool. */
  malformed?(messages: readonly Message[]): string | null;
  reset?(): void;
}

/** Context compaction (see context/compactor.ts for the implementation the runtime uses). */
export type { CompactionInput, CompactionOutcome, Compactor } from "../context/compactor.ts";

export interface PlanSource {
  unfinished(): PlanItem[];
  /** The corrective message for a text-only answer while the plan is unfinished. */
  nudge(items: PlanItem[]): string;
}

/** Receives every message appended to history and every event, in order (durable session files). */
export interface SessionRecorder {
  message(message: Message): void;
  event(event: AgentEvent): void;
  /** History was rewritten (undo, compaction, new): persist the new state. */
  replaced(messages: readonly Message[], reason: "undo" | "compaction" | "new"): void;
}
