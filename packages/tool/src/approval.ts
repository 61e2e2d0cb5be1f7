import type { AnyToolDefinition, ApprovalRequirement } from "./tool-definition.ts";

/** One validated call the approval gate decides on. */
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

/**
 * Decides which calls run, which need a human and which are refused. The tool-call path consults it;
 * core's approval policy (rules, YOLO, spend cap) implements it through `createApprovalGate`.
 */
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

export type ApprovalDecision = "approve" | "reject" | "always";

/** A human's answer to one call the gate asked about. */
export interface ApprovalAnswer {
  tool_call_id: string;
  decision: ApprovalDecision;
  feedback?: string;
  /** Replaces the call's arguments before it runs (validated again, as a new input). */
  edited_arguments?: Record<string, unknown>;
}

/** The tool's own requirement for these (validated) arguments; a throwing `needsApproval` asks, to be safe. */
export function evaluateApprovalRequirement(
  tool: Pick<AnyToolDefinition, "name" | "needsApproval">,
  args: Record<string, unknown>,
): ApprovalRequirement | null {
  if (!tool.needsApproval) return null;
  try {
    return tool.needsApproval(args) ?? null;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      kind: "custom",
      reason: `Could not evaluate whether '${tool.name}' needs approval (${message}); asking to be safe.`,
    };
  }
}

/** Without a gate: calls that need no approval run, the others are refused (no one can decide them). */
export const noApprovalGate: ApprovalGate = {
  decide: (batch) =>
    batch.map((c) =>
      c.requirement ? { action: "deny", reason: noApproverReason(c.requirement) } : { action: "allow" },
    ),
};

export function noApproverReason(requirement: ApprovalRequirement): string {
  return `this call needs approval (${requirement.kind}: ${requirement.reason}) and this host has no approval handler.`;
}
