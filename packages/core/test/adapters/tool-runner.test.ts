import { expect, test } from "bun:test";
import { createToolRegistry } from "@ml-intern/tool";
import { createToolRunner } from "../../src/adapters/tool-runner.ts";
import { type Calls, sampleTools, waitFor } from "./fixtures.ts";

function setup(extra: Partial<Parameters<typeof createToolRunner>[0]> = {}) {
  const calls: Calls = { executed: [] };
  const runner = createToolRunner({ tools: sampleTools(calls), sessionId: "s-1", ...extra });
  return { calls, runner };
}

test("runs calls and returns outcomes in call order with structured output", async () => {
  const { runner, calls } = setup();
  const out = await runner.run([
    { id: "c1", name: "add", input: { a: 2, b: 3 } },
    { id: "c2", name: "add", input: '{"a": 10, "b": -4}' },
  ]);
  expect(out.map((o) => [o.id, o.text, o.status])).toEqual([
    ["c1", "5", "completed"],
    ["c2", "6", "completed"],
  ]);
  expect(out[0]?.structured).toEqual({ sum: 5 });
  expect(calls.executed[0]?.ctx.sessionId).toBe("s-1");
  expect(calls.executed[0]?.ctx.toolCallId).toBe("c1");
});

test("invalid JSON, schema violations and unknown tools are error outcomes and never execute", async () => {
  const { runner, calls } = setup();
  const out = await runner.run([
    { id: "bad-json", name: "add", input: '{"a": 1,' },
    { id: "bad-args", name: "add", input: { a: "one", b: 2 } },
    { id: "unknown", name: "nope", input: {} },
  ]);
  expect(out.every((o) => o.isError && o.status === "invalid")).toBe(true);
  expect(out[0]?.text).toContain("not valid JSON");
  expect(out[1]?.text).toContain("Invalid arguments for tool 'add'");
  expect(out[1]?.text).toContain("- a:");
  expect(out[2]?.text).toContain("Unknown tool 'nope'");
  expect(calls.executed).toHaveLength(0);
});

test("a throwing tool becomes a failed outcome", async () => {
  const { runner } = setup();
  const [out] = await runner.run([{ id: "x", name: "explode", input: {} }]);
  expect(out).toMatchObject({ isError: true, status: "failed" });
  expect(out?.text).toContain("kaboom");
});

test("calls needing approval are refused without a handler", async () => {
  const { runner, calls } = setup();
  const [out] = await runner.run([{ id: "d", name: "delete_repo", input: { repo: "me/x" } }]);
  expect(out?.status).toBe("rejected");
  expect(out?.text).toContain("destructive: deletes me/x");
  expect(calls.executed).toHaveLength(0);
});

test("the approval handler sees the requirement and its answer decides", async () => {
  const seen: string[] = [];
  const { runner, calls } = setup({
    approve: async (req) => {
      seen.push(`${req.name}:${req.requirement.kind}:${String(req.args.repo)}`);
      return req.args.repo === "me/keep" ? { approved: false, feedback: "  keep it\n" } : true;
    },
  });
  const out = await runner.run([
    { id: "a", name: "delete_repo", input: { repo: "me/old" } },
    { id: "b", name: "delete_repo", input: { repo: "me/keep" } },
    { id: "c", name: "add", input: { a: 1, b: 1 } },
  ]);
  expect(seen.sort()).toEqual(["delete_repo:destructive:me/keep", "delete_repo:destructive:me/old"]);
  expect(out[0]).toMatchObject({ status: "completed", text: "deleted me/old" });
  expect(out[1]).toMatchObject({
    status: "rejected",
    text: "The user rejected this call. User feedback: keep it",
  });
  expect(out[2]?.status).toBe("completed");
  expect(calls.executed.map((c) => c.args.repo ?? "add")).not.toContain("me/keep");
});

test("aborting cancels running tools, and the tool sees its signal aborted", async () => {
  const { runner, calls } = setup();
  const controller = new AbortController();
  const pending = runner.run([{ id: "w", name: "wait", input: {} }], { signal: controller.signal });
  await waitFor(() => calls.executed.some((c) => c.name === "wait"));
  controller.abort();
  const out = await pending;
  expect(out[0]).toMatchObject({ id: "w", status: "cancelled", isError: true });
  expect(out).toHaveLength(1);
  expect(calls.executed.find((c) => c.name === "wait")?.ctx.signal.aborted).toBe(true);
});

test("an already aborted signal runs nothing", async () => {
  const { runner, calls } = setup();
  const out = await runner.run([{ id: "a", name: "add", input: { a: 1, b: 2 } }], {
    signal: AbortSignal.abort(),
  });
  expect(out[0]?.status).toBe("cancelled");
  expect(calls.executed).toHaveLength(0);
});

test("progress, log and per-call auth reach the host and the tool", async () => {
  const progress: string[] = [];
  const logs: string[] = [];
  const { runner, calls } = setup({
    auth: { hfToken: "hf_caller" },
    onProgress: (e) => progress.push(`${e.toolCallId}:${e.progress}/${e.total}:${e.message}`),
    onLog: (e) => logs.push(`${e.name}:${e.message}`),
  });
  await runner.run([{ id: "p", name: "add", input: { a: 4, b: 5 } }]);
  expect(progress).toEqual(["p:1/1:added"]);
  expect(logs).toEqual(["add:adding 4 and 5"]);
  expect(calls.executed[0]?.ctx.auth?.hfToken).toBe("hf_caller");
});

test("a ready registry is used as is, filters and output budget included", async () => {
  const calls: Calls = { executed: [] };
  const registry = createToolRegistry({
    tools: sampleTools(calls),
    filter: { readOnly: true },
    outputBudgetChars: 1_000,
  });
  const runner = createToolRunner({ tools: registry });
  expect(runner.registry).toBe(registry);
  const [out] = await runner.run([{ id: "d", name: "delete_repo", input: { repo: "x/y" } }]);
  expect(out?.text).toContain("Unknown tool 'delete_repo'");
});
