import type { PlanItem } from "../agent/events.ts";

export interface PlanStore {
  get(): readonly PlanItem[];
  set(plan: readonly PlanItem[]): void;
  /** Items still pending or in progress. */
  unfinished(): PlanItem[];
  clear(): void;
}

/** The current plan of one session (one store per session; no shared state). */
export function createPlanStore(initial: readonly PlanItem[] = []): PlanStore {
  let plan: PlanItem[] = initial.map((item) => ({ ...item }));
  return {
    get: () => plan,
    set(next) {
      plan = next.map((item) => ({ ...item }));
    },
    unfinished: () => plan.filter((item) => item.status !== "completed"),
    clear() {
      plan = [];
    },
  };
}

const MARK: Record<PlanItem["status"], string> = { completed: "[x]", in_progress: "[~]", pending: "[ ]" };

/** "[x] 1. content" lines and "N/M done"; "Plan is empty." for an empty plan. */
export function formatPlan(plan: readonly PlanItem[]): string {
  if (plan.length === 0) return "Plan is empty.";
  const lines = plan.map((item) => `${MARK[item.status]} ${item.id}. ${item.content}`);
  const done = plan.filter((item) => item.status === "completed").length;
  return `${lines.join("\n")}\n\n${done}/${plan.length} done`;
}
