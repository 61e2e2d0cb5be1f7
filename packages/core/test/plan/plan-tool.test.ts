import { describe, expect, test } from "bun:test";
import type { ToolContext } from "@ml-intern/tool";
import { createToolRegistry, toToolSchema } from "@ml-intern/tool";
import type { PlanItem } from "../../src/agent/events.ts";
import { continuationNudge, createContinuationGuard, createPlanSource } from "../../src/plan/continuation.ts";
import { createPlanStore, formatPlan } from "../../src/plan/plan-store.ts";
import { createPlanTool } from "../../src/plan/plan-tool.ts";

const ctx = (): ToolContext => ({
  signal: new AbortController().signal,
  toolCallId: "c1",
  sessionId: "s1",
  progress: () => {},
  log: () => {},
});

const todos: PlanItem[] = [
  { id: "1", content: "Inspect dataset", status: "completed" },
  { id: "2", content: "Write training script", status: "in_progress" },
  { id: "3", content: "Launch job", status: "pending" },
];

describe("plan_tool", () => {
  test("replaces the plan, reports it and notifies", async () => {
    const store = createPlanStore();
    const updates: PlanItem[][] = [];
    const tool = createPlanTool(store, { onUpdate: (p) => updates.push(p) });
    const registry = createToolRegistry({ tools: [tool] });
    const res = await registry.execute("plan_tool", { todos }, ctx());
    expect(res.isError).toBeUndefined();
    expect(res.text).toBe(
      "Plan updated:\n\n[x] 1. Inspect dataset\n[~] 2. Write training script\n[ ] 3. Launch job\n\n1/3 done",
    );
    expect(store.get()).toEqual(todos);
    expect(updates).toEqual([todos]);
    await registry.execute("plan_tool", { todos: [todos[0]!] }, ctx());
    expect(store.get()).toEqual([todos[0]!]);
  });

  test("more than one in_progress is an actionable error and keeps the old plan", async () => {
    const store = createPlanStore(todos);
    const tool = createPlanTool(store);
    const res = await tool.execute(
      {
        todos: [
          { id: "a", content: "x", status: "in_progress" },
          { id: "b", content: "y", status: "in_progress" },
        ],
      },
      ctx(),
    );
    expect(res.isError).toBe(true);
    expect(res.text).toContain('2 items are in_progress ("a", "b")');
    expect(res.text).toContain("call plan_tool again");
    expect(store.get()).toEqual(todos);
  });

  test("duplicate ids are refused", async () => {
    const tool = createPlanTool(createPlanStore());
    const res = await tool.execute(
      {
        todos: [
          { id: "a", content: "x", status: "pending" },
          { id: "a", content: "y", status: "pending" },
        ],
      },
      ctx(),
    );
    expect(res.isError).toBe(true);
  });

  test("bad status is rejected by the schema with a retry hint", async () => {
    const registry = createToolRegistry({ tools: [createPlanTool(createPlanStore())] });
    const res = await registry.execute(
      "plan_tool",
      { todos: [{ id: "1", content: "x", status: "done" }] },
      ctx(),
    );
    expect(res.isError).toBe(true);
    expect(res.text).toContain("todos.0.status");
  });

  test("empty plan", async () => {
    const res = await createPlanTool(createPlanStore(todos)).execute({ todos: [] }, ctx());
    expect(res.text).toBe("Plan is empty.");
    expect(formatPlan([])).toBe("Plan is empty.");
  });

  test("schema and annotations", () => {
    const tool = createPlanTool(createPlanStore());
    expect(tool.annotations).toEqual({
      title: "Update plan",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    const schema = toToolSchema(tool);
    expect(schema.description).toContain("At most ONE item may be in_progress");
    expect(JSON.stringify(schema.inputSchema)).toContain('"enum":["pending","in_progress","completed"]');
  });

  test("stores are independent", () => {
    const a = createPlanStore();
    const b = createPlanStore();
    a.set(todos);
    expect(b.get()).toEqual([]);
    expect(a.unfinished().map((t) => t.id)).toEqual(["2", "3"]);
  });
});

describe("continuation guard", () => {
  test("nudge lists up to 4 unfinished items", () => {
    const many: PlanItem[] = Array.from({ length: 7 }, (_, i) => ({
      id: `${i + 1}`,
      content: `step ${i + 1}`,
      status: i === 0 ? "completed" : "pending",
    }));
    const text = continuationNudge(many)!;
    expect(text).toStartWith("[SYSTEM: CONTINUATION GUARD]");
    expect(text).toContain(
      "2. step 2 [pending]; 3. step 3 [pending]; 4. step 4 [pending]; 5. step 5 [pending]",
    );
    expect(text).toContain("... and 2 more");
    expect(text).not.toContain("1. step 1");
    expect(continuationNudge(many.map((t) => ({ ...t, status: "completed" })))).toBeNull();
    expect(continuationNudge([])).toBeNull();
  });

  test("at most two nudges per turn; tool calls do not refill the budget, a new turn does", () => {
    const guard = createContinuationGuard();
    expect(guard.onTextOnly(todos)).not.toBeNull();
    expect(guard.onTextOnly(todos)).not.toBeNull();
    expect(guard.onTextOnly(todos)).toBeNull();
    guard.onToolCalls();
    expect(guard.onTextOnly(todos)).toBeNull();
    guard.reset();
    expect(guard.onTextOnly(todos)).not.toBeNull();
    guard.reset();
    expect(guard.onTextOnly([{ id: "1", content: "x", status: "completed" }])).toBeNull();
  });
});

test("plan source adapter", () => {
  const store = createPlanStore(todos);
  const source = createPlanSource(store);
  expect(source.unfinished().map((t) => t.id)).toEqual(["2", "3"]);
  expect(source.nudge(source.unfinished())).toContain("2. Write training script [in_progress]");
  // The cap holds for the rest of the turn: the plan reads as finished to the loop until reset.
  source.nudge(source.unfinished());
  expect(source.unfinished()).toEqual([]);
  source.reset();
  expect(source.unfinished().map((t) => t.id)).toEqual(["2", "3"]);
});
