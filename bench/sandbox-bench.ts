/**
 * Overhead of the `bash` tool running `true`, through the tool layer: bubblewrap vs unrestricted,
 * median of 100 calls (after 5 warm-up calls). Target: at most 10 ms with bubblewrap (default options).
 * "bwrap+ptys" is bubblewrap with `ptys: true` (bwrap's own --dev with a private devpts), for comparison.
 * Since session mode (one sandbox per session) the first call also starts the session: reported apart.
 * Before session mode, bubblewrap ran once per command: 7.25 ms median (SANDBOX_BEFORE_MS).
 *   bun bench/sandbox-bench.ts
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ToolContext } from "@ml-intern/core";
import { createLocalBackend, createSandboxTools, probeBubblewrap } from "@ml-intern/sandbox";

export interface SandboxBenchRow {
  backend: "bwrap" | "bwrap+ptys" | "none";
  calls: number;
  medianMs: number;
  p90Ms: number;
  /** The first call, which starts the session's sandbox. */
  firstCallMs: number;
}

/** bwrap per command through the tool layer, before session mode (same bench, same machine). */
export const SANDBOX_BEFORE_MS = 7.25;

const CALLS = 100;
const WARMUP = 5;

const context = (): ToolContext => ({
  signal: new AbortController().signal,
  toolCallId: "bench",
  sessionId: "bench",
  progress: () => {},
  log: () => {},
});

async function measure(label: SandboxBenchRow["backend"]): Promise<SandboxBenchRow> {
  const workspace = await mkdtemp(join(tmpdir(), "sandbox-bench-"));
  const backend = await createLocalBackend({
    workspace,
    isolation: label === "none" ? "none" : "bwrap",
    ptys: label === "bwrap+ptys",
    warn: () => {},
  });
  const tools = createSandboxTools({ backend });
  const bash = tools.tools.find((t) => t.name === "bash");
  if (!bash) throw new Error("bash tool missing");
  const args = bash.input.parse({ command: "true" });
  const times: number[] = [];
  let firstCallMs = 0;
  try {
    for (let i = 0; i < WARMUP + CALLS; i++) {
      const start = performance.now();
      const result = await bash.execute(args, context());
      const elapsed = performance.now() - start;
      if (result.isError) throw new Error(`bash failed: ${result.text}`);
      if (i === 0) firstCallMs = elapsed;
      if (i >= WARMUP) times.push(elapsed);
    }
  } finally {
    await tools.dispose();
    await rm(workspace, { recursive: true, force: true });
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))] as number;
  return { backend: label, calls: CALLS, medianMs: at(0.5), p90Ms: at(0.9), firstCallMs };
}

export async function runSandboxBench(): Promise<SandboxBenchRow[]> {
  const rows: SandboxBenchRow[] = [];
  const probe = await probeBubblewrap();
  if (probe.ok) rows.push(await measure("bwrap"), await measure("bwrap+ptys"));
  else
    process.stderr.write(
      `sandbox-bench: bubblewrap unavailable (${probe.reason}); measuring unrestricted only\n`,
    );
  rows.push(await measure("none"));
  return rows;
}

if (import.meta.main) {
  const rows = await runSandboxBench();
  console.log("bash `true` through the tool layer (median of 100 calls)");
  console.log("| backend | median ms | p90 ms | first call ms | before ms |");
  console.log("|---|---|---|---|---|");
  for (const r of rows)
    console.log(
      `| ${r.backend} | ${r.medianMs.toFixed(2)} | ${r.p90Ms.toFixed(2)} | ${r.firstCallMs.toFixed(1)} | ${r.backend === "bwrap" ? SANDBOX_BEFORE_MS : "-"} |`,
    );
}
