import type { ApprovalCandidate, ApprovalGate, GateVerdict } from "../agent/agent-hooks.ts";
import type { ApprovalDecisionInfo } from "../agent/events.ts";
import type { ApprovalPolicy, ApprovalSubject } from "./approval-policy.ts";

function subjectOf(candidate: ApprovalCandidate): ApprovalSubject {
  // The loop already evaluated the tool's requirement; the policy reuses it rather than calling it again.
  return {
    tool: { name: candidate.name, needsApproval: () => candidate.requirement },
    toolCallId: candidate.toolCallId,
    args: candidate.args,
  };
}

export interface ApprovalGateOptions {
  /** Every auto-approval of a call that needed approval, and every refusal (to report as an event). */
  onDecision?(decision: ApprovalDecisionInfo): void;
}

const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;

/** Adapts an ApprovalPolicy to the agent loop's ApprovalGate hook. */
export function createApprovalGate(policy: ApprovalPolicy, options: ApprovalGateOptions = {}): ApprovalGate {
  return {
    decide(batch) {
      // Sequential on purpose: each auto-approved call reserves its spend before the next is judged.
      return batch.map((candidate): GateVerdict => {
        const v = policy.decide(subjectOf(candidate));
        const reported = v.action === "deny" || (v.action === "allow" && v.source !== "none");
        if (reported && options.onDecision) {
          options.onDecision({
            tool: candidate.name,
            tool_call_id: candidate.toolCallId,
            decision: v.action === "allow" ? "auto_approved" : "refused",
            source: v.source,
            reason: v.reason,
            ...(v.estimatedCostUsd !== undefined ? { estimated_cost_usd: v.estimatedCostUsd } : {}),
            spent_usd: round6(policy.ledger.totalUsd()),
            cap_usd: policy.ledger.capUsd,
          });
        }
        return {
          action: v.action,
          reason: v.blockReason ?? v.reason,
          ...(v.requirement ? { kind: v.requirement.kind } : {}),
          ...(v.estimatedCostUsd !== undefined ? { estimatedCostUsd: v.estimatedCostUsd } : {}),
          ...(v.remainingCapUsd !== undefined ? { remainingCapUsd: v.remainingCapUsd } : {}),
          ...(v.autoApprovalBlocked ? { autoApprovalBlocked: true } : {}),
        };
      });
    },
    settle(toolCallId, ok, actualCostUsd) {
      if (!ok) policy.release(toolCallId);
      else if (actualCostUsd !== undefined) policy.reconcile(toolCallId, actualCostUsd, { allowZero: true });
    },
    approveManually(candidate, options) {
      const outcome = policy.approveByUser(subjectOf(candidate), candidate.requirement, options);
      return outcome.ok ? null : outcome.reason;
    },
  };
}
