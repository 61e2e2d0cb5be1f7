import type { Message } from "../llm/messages.ts";
import type { AnyToolDefinition, ApprovalRequirement } from "../tool/tool-definition.ts";
import type { AgentEvent, PlanItem } from "./events.ts";

/** One call the approval gate decides on. */
export interface ApprovalCandidate {
  toolCallId: string;
  name: string;
  args: Record<string, unknown>;
  tool: AnyToolDefinition;
  requirement: ApprovalRequirement | null;
}

export interface GateVerdict {
  action: "allow" | "ask" | "deny";
  reason?: string;
  kind?: string;
  estimatedCostUsd?: number | null;
  remainingCapUsd?: number;
  autoApprovalBlocked?: boolean;
}

/** Decides which calls run, which need a human and which are refused (policy, rules, YOLO spend cap). */
export interface ApprovalGate {
  /** Decides a whole batch at once, so spend reservations cannot jointly exceed a cap. */
  decide(batch: readonly ApprovalCandidate[]): GateVerdict[];
  /** A call that was reserved against the spend cap ended; `ok` false releases its reservation. */
  settle?(toolCallId: string, ok: boolean, actualCostUsd?: number): void;
  /**
   * A human approved a call the gate asked about (`always`: auto-approve this tool for the rest of the
   * session): reserve its spend. Returns a refusal reason when that would exceed the cap.
   */
  approveManually?(candidate: ApprovalCandidate, options?: { always?: boolean }): string | null;
}

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
