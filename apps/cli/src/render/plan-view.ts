import type { PlanItem } from "@ml-intern/core";
import type { Colors } from "./colors.ts";

/** The plan as the user sees it after a turn: ✓ done, ▸ in progress, ○ pending, and a count. */
export function renderPlan(plan: readonly PlanItem[], c: Colors): string {
  if (plan.length === 0) return "";
  const done = plan.filter((p) => p.status === "completed").length;
  const lines = plan.map((item) => {
    if (item.status === "completed") return `  ${c.green("✓")} ${c.dim(item.content)}`;
    if (item.status === "in_progress") return `  ${c.yellow("▸")} ${item.content}`;
    return `  ${c.dim("○")} ${item.content}`;
  });
  return `${c.bold("Plan")} ${c.dim(`${done}/${plan.length} done`)}\n${lines.join("\n")}\n`;
}
