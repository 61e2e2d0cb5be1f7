/**
 * `bun run bench`: prints every performance figure of the project, with its target. Asserts nothing.
 * Pass names to run a subset: bun run bench -- loop sandbox
 */
import { benchDoomLoop, benchPrune } from "./core-bench-parts.ts";
import { benchLoop } from "./loop-bench.ts";
import { runSandboxBench, SANDBOX_BEFORE_MS } from "./sandbox-bench.ts";
import { benchToolFootprint } from "./tool-footprint.ts";

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);
const fmt = (n: number, digits = 2) => n.toFixed(digits);

function table(title: string, header: string[], rows: (string | number)[][]): void {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  console.log(`\n## ${title}`);
  for (const [i, row] of cells.entries()) {
    console.log(`| ${row.map((c, j) => c.padEnd(widths[j]!)).join(" | ")} |`);
    if (i === 0) console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  }
}

if (want("loop")) {
  const r = await benchLoop();
  table(
    "Agent loop overhead (instant fake model, no-op tool)",
    ["iterations", "history tokens", "ms/iteration", "target", "peak RSS MB", "target"],
    [[r.iterations, r.historyTokens, fmt(r.msPerIteration, 3), "≤ 3", fmt(r.peakRssMb, 0), "≤ 250"]],
  );
}
if (want("tools")) {
  const rows = await benchToolFootprint();
  table(
    "Tool-definition footprint per request (estimated tokens)",
    ["toolset", "tools", "tokens"],
    rows.map((r) => [r.toolset, r.tools, r.tokens]),
  );
}
if (want("compaction")) {
  const p = await benchPrune();
  table(
    "Prune-pass compaction of a synthetic session",
    [
      "session tokens",
      "messages",
      "pruned",
      "tokens after",
      "median ms",
      "worst ms",
      "logic-only ms",
      "target ms",
    ],
    [
      [
        p.sessionTokens,
        p.messages,
        p.pruned,
        p.tokensAfter,
        fmt(p.ms),
        fmt(p.maxMs),
        fmt(p.logicMs),
        `≤ ${p.budgetMs}`,
      ],
    ],
  );
}
if (want("doom-loop")) {
  const d = await benchDoomLoop();
  table(
    "Doom-loop check",
    ["checks", "window", "ms/check (cached)", "ms/check (cold)", "target"],
    [[d.iterations, d.window, fmt(d.ms, 4), fmt(d.coldMs, 4), `≤ ${d.budgetMs}`]],
  );
}
if (want("sandbox")) {
  const rows = await runSandboxBench();
  table(
    "bash `true` through the tool layer (median of 100; first call starts the session's sandbox)",
    ["backend", "median ms", "p90 ms", "first call ms", "before (bwrap per command) ms", "target"],
    rows.map((r) => [
      r.backend,
      fmt(r.medianMs),
      fmt(r.p90Ms),
      fmt(r.firstCallMs, 1),
      r.backend === "bwrap" ? SANDBOX_BEFORE_MS : "-",
      r.backend === "bwrap" ? "≤ 10" : "-",
    ]),
  );
}
if (want("cli")) {
  const proc = Bun.spawnSync([process.execPath, `${import.meta.dir}/cli-bench.ts`, "--json"], {
    stdout: "pipe",
    stderr: "inherit",
  });
  const r = JSON.parse(proc.stdout.toString()) as {
    results: Record<string, { median_ms: number; min_ms: number; target_ms: number }>;
    bun_floor_median_ms: number;
  };
  table(
    "CLI start-up (median of 30 runs; peers: Claude Code ~85/230 ms, opencode ~450 ms, gemini-cli ~1.1 s)",
    ["command", "median ms", "min ms", "target ms", "Bun floor ms", "ratio vs Claude Code"],
    Object.entries(r.results).map(([flag, x]) => [
      `ml-intern ${flag}`,
      fmt(x.median_ms, 1),
      fmt(x.min_ms, 1),
      x.target_ms,
      fmt(r.bun_floor_median_ms, 1),
      `${fmt((flag === "--version" ? 85 : 230) / x.median_ms, 1)}x faster`,
    ]),
  );
}
if (want("mcp")) {
  // Its own process: it spawns both servers and prints its tables.
  Bun.spawnSync([process.execPath, `${import.meta.dir}/mcp-bench.ts`], {
    stdout: "inherit",
    stderr: "inherit",
  });
}
