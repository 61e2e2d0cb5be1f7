import { type AnyToolDefinition, defineTool, type ToolContext } from "@ml-intern/tool";
import { z } from "zod";

export interface Calls {
  executed: { name: string; args: Record<string, unknown>; ctx: ToolContext }[];
}

/** A few tools covering read-only, approval-gated, throwing and signal-honouring behaviour. */
export function sampleTools(calls: Calls): AnyToolDefinition[] {
  const add = defineTool({
    name: "add",
    description: "Adds two integers.",
    toolset: "math",
    input: z.object({
      a: z.number().int().describe("first addend"),
      b: z.number().int().describe("second addend"),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async execute(args, ctx) {
      calls.executed.push({ name: "add", args, ctx });
      ctx.progress(1, 1, "added");
      ctx.log(`adding ${args.a} and ${args.b}`);
      return { text: String(args.a + args.b), structured: { sum: args.a + args.b } };
    },
  });
  const deleteRepo = defineTool({
    name: "delete_repo",
    description: "Deletes a repository.",
    toolset: "repos",
    input: z.object({ repo: z.string().describe("repo id") }),
    annotations: { readOnlyHint: false, destructiveHint: true },
    needsApproval: (args) => ({ kind: "destructive", reason: `deletes ${args.repo}` }),
    async execute(args, ctx) {
      calls.executed.push({ name: "delete_repo", args, ctx });
      return { text: `deleted ${args.repo}` };
    },
  });
  const explode = defineTool({
    name: "explode",
    description: "Always throws.",
    toolset: "misc",
    input: z.object({}),
    annotations: { readOnlyHint: true },
    async execute() {
      throw new Error("kaboom");
    },
  });
  const wait = defineTool({
    name: "wait",
    description: "Waits until cancelled.",
    toolset: "misc",
    input: z.object({}),
    annotations: { readOnlyHint: true },
    execute(_args, ctx) {
      calls.executed.push({ name: "wait", args: {}, ctx });
      return new Promise((resolve) => {
        ctx.signal.addEventListener("abort", () => resolve({ text: "stopped late" }), { once: true });
      });
    },
  });
  return [add, deleteRepo, explode, wait] as AnyToolDefinition[];
}

/** Resolves once `check` holds, polling the microtask/timer queue; fails after `timeoutMs`. */
export async function waitFor(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const started = performance.now();
  while (!check()) {
    if (performance.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
