import { type AnyToolDefinition, defineTool, errorResult } from "@ml-intern/core";
import { z } from "zod";

export interface SampleToolsProbe {
  /** Resolves when the slow tool has started; the value is its abort signal. */
  slowStarted: Promise<AbortSignal>;
  /** Set when the slow tool observed the abort and stopped. */
  slowStopped: Promise<void>;
  seenAuth: (string | undefined)[];
  /** Lets the gated tool finish. */
  release(): void;
}

/** Small tools with the traits the adapter must carry: structured output, errors, progress, logs, cancellation. */
export function createSampleTools(): { tools: AnyToolDefinition[]; probe: SampleToolsProbe } {
  let started!: (s: AbortSignal) => void;
  let stopped!: () => void;
  const probe: SampleToolsProbe = {
    slowStarted: new Promise((r) => {
      started = r;
    }),
    slowStopped: new Promise((r) => {
      stopped = r;
    }),
    seenAuth: [],
    release: () => releaseGate(),
  };
  let releaseGate: () => void = () => {};
  const gateOpened = new Promise<void>((resolve) => {
    releaseGate = resolve;
  });
  const echo = defineTool({
    name: "echo_text",
    description: "Echoes text back, with its length as structured data.",
    toolset: "demo",
    input: z.object({
      text: z.string().describe("Text to echo"),
      times: z.number().int().min(1).max(5).optional().describe("Repeat count"),
    }),
    output: z.object({ text: z.string(), length: z.number() }),
    annotations: {
      title: "Echo",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    },
    async execute(args, ctx) {
      probe.seenAuth.push(ctx.auth?.hfToken);
      const text = args.text.repeat(args.times ?? 1);
      return { text: `echo: ${text}`, structured: { text, length: text.length } };
    },
  });
  const fail = defineTool({
    name: "always_fails",
    description: "Returns an actionable error.",
    toolset: "demo",
    input: z.object({ repo: z.string().describe("A repo id") }),
    annotations: { readOnlyHint: true, openWorldHint: true },
    async execute(args) {
      return errorResult(`Repository ${args.repo} not found. Check the id with hub_repo_search.`);
    },
  });
  const thrower = defineTool({
    name: "throws_error",
    description: "Throws.",
    toolset: "demo",
    input: z.object({}),
    annotations: { readOnlyHint: true },
    async execute() {
      throw new Error("boom");
    },
  });
  const slow = defineTool({
    name: "slow_job",
    description: "Reports progress and logs until cancelled.",
    toolset: "jobs",
    input: z.object({
      steps: z.number().int().describe("Progress steps to report"),
      wait: z.boolean().optional().describe("Wait for cancellation after the steps"),
    }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    needsApproval: () => ({ kind: "spend", reason: "runs a job", estimatedCostUsd: 1 }),
    async execute(args, ctx) {
      for (let i = 1; i <= args.steps; i++) {
        ctx.progress(i, args.steps, `step ${i}`);
        ctx.log(`log line ${i}`);
      }
      started(ctx.signal);
      if (!args.wait) return { text: "done" };
      await new Promise<void>((resolve) => {
        if (ctx.signal.aborted) resolve();
        ctx.signal.addEventListener("abort", () => resolve(), { once: true });
      });
      stopped();
      return { text: "cancelled", isError: true };
    },
  });
  const big = defineTool({
    name: "big_output",
    description: "Returns a large text.",
    toolset: "demo",
    input: z.object({ chars: z.number().int().describe("How many characters") }),
    annotations: { readOnlyHint: true },
    async execute(args) {
      return { text: "x".repeat(args.chars) };
    },
  });
  const gated = defineTool({
    name: "gated_job",
    description: "Reports progress, waits until the test releases it, reports again and finishes.",
    toolset: "jobs",
    input: z.object({}),
    annotations: { readOnlyHint: true },
    async execute(_args, ctx) {
      ctx.progress(1, 2, "first half");
      await gateOpened;
      ctx.progress(2, 2, "second half");
      return { text: "gated done" };
    },
  });
  return { tools: [echo, fail, thrower, slow, big, gated] as AnyToolDefinition[], probe };
}
