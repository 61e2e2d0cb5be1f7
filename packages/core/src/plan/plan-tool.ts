import { defineTool, errorResult, textResult } from "@ml-intern/tool";
import { z } from "zod";
import type { PlanItem } from "../agent/events.ts";
import { formatPlan, type PlanStore } from "./plan-store.ts";
import description from "./plan-tool.txt" with { type: "text" };

export const PLAN_TOOL_NAME = "plan_tool";

const planInput = z.object({
  todos: z
    .array(
      z.object({
        id: z.string().min(1).describe('Short stable identifier of the item, e.g. "1" or "eval".'),
        content: z.string().min(1).describe("What the step does, in one line."),
        status: z
          .enum(["pending", "in_progress", "completed"])
          .describe(
            "pending = not started, in_progress = being worked on now (at most one), completed = done.",
          ),
      }),
    )
    .describe("The complete plan; it replaces the previous one."),
});

export interface PlanToolOptions {
  /** Called with the new plan after every successful update (emit plan_update from here). */
  onUpdate?: (plan: PlanItem[]) => void;
}

export function createPlanTool(store: PlanStore, options: PlanToolOptions = {}) {
  return defineTool({
    name: PLAN_TOOL_NAME,
    description,
    toolset: "planning",
    input: planInput,
    annotations: {
      title: "Update plan",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    },
    async execute({ todos }) {
      const active = todos.filter((t) => t.status === "in_progress");
      if (active.length > 1) {
        const ids = active.map((t) => `"${t.id}"`).join(", ");
        return errorResult(
          `Plan not updated: ${active.length} items are in_progress (${ids}), but only one may be at a time. ` +
            "Keep the one you are working on now as in_progress, set the others to pending (or completed if they are really done), and call plan_tool again with the whole list.",
        );
      }
      const seen = new Set<string>();
      const dupes = new Set<string>();
      for (const t of todos) (seen.has(t.id) ? dupes : seen).add(t.id);
      if (dupes.size > 0) {
        return errorResult(
          `Plan not updated: duplicate ids ${[...dupes].map((d) => `"${d}"`).join(", ")}. Give every item a unique id and call plan_tool again with the whole list.`,
        );
      }
      const plan: PlanItem[] = todos.map((t) => ({ id: t.id, content: t.content, status: t.status }));
      store.set(plan);
      options.onUpdate?.(plan);
      const done = plan.filter((t) => t.status === "completed").length;
      const text = plan.length === 0 ? "Plan is empty." : `Plan updated:\n\n${formatPlan(plan)}`;
      return textResult(text, { plan, done, total: plan.length });
    },
  });
}
