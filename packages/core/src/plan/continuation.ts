import type { PlanItem } from "../agent/events.ts";

/** Retries of a text-only answer allowed per turn while the plan is unfinished. */
export const MAX_CONTINUATION_NUDGES = 2;

/**
 * The corrective message for a text-only answer while plan items are unfinished, or null when the plan
 * is complete (or empty).
 */
export function continuationNudge(plan: readonly PlanItem[], maxListed = 4): string | null {
  const open = plan.filter((item) => item.status !== "completed");
  if (open.length === 0) return null;
  const listed = open
    .slice(0, maxListed)
    .map((item) => `${item.id}. ${item.content} [${item.status}]`)
    .join("; ");
  const more = open.length > maxListed ? `; ... and ${open.length - maxListed} more` : "";
  return (
    "[SYSTEM: CONTINUATION GUARD] Your last response had no tool calls, but the task is not finished: " +
    `the plan still has unfinished items: ${listed}${more}. Do not hand control back to the user yet. ` +
    "Continue with the next item and make at least one tool call now. If an item is really done, mark it " +
    "completed with plan_tool; if you are genuinely blocked, first use tools to inspect the state and confirm " +
    "the blocker, then explain it."
  );
}

export interface ContinuationGuard {
  /** The nudge to inject after a text-only answer, or null (plan done, or retries used up this turn). */
  onTextOnly(plan: readonly PlanItem[]): string | null;
  /** The model made tool calls: the retry budget refills. */
  onToolCalls(): void;
  /** A new user turn. */
  reset(): void;
}

export function createContinuationGuard(maxNudges = MAX_CONTINUATION_NUDGES): ContinuationGuard {
  let used = 0;
  return {
    onTextOnly(plan) {
      if (used >= maxNudges) return null;
      const nudge = continuationNudge(plan);
      if (nudge) used++;
      return nudge;
    },
    onToolCalls() {
      used = 0;
    },
    reset() {
      used = 0;
    },
  };
}

/** Adapts a plan store to the agent loop's PlanSource hook. */
export function createPlanSource(store: { unfinished(): PlanItem[] }) {
  return {
    unfinished: () => store.unfinished(),
    nudge: (items: PlanItem[]): string => continuationNudge(items) ?? "",
  };
}
