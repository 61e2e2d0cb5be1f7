/**
 * Start-up time of the `ml-intern` CLI: median wall time of `--version` and `--help` over N runs
 * (after warm-up). Targets: 40 ms and 60 ms. Usage: bun bench/cli-bench.ts [runs]
 * Prints a table and, with --json, one JSON object (for bench/run.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const MAIN = resolve(import.meta.dir, "../apps/cli/src/main.ts");
const runs = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 30);
const asJson = process.argv.includes("--json");
const TARGETS: Record<string, number> = { "--version": 40, "--help": 60 };

function timeOnce(flag: string, entry = MAIN): number {
  const started = performance.now();
  const r = Bun.spawnSync([process.execPath, entry, flag], { stdout: "pipe", stderr: "pipe" });
  const elapsed = performance.now() - started;
  if (r.exitCode !== 0) throw new Error(`${entry} ${flag} exited ${r.exitCode}: ${r.stderr.toString()}`);
  return elapsed;
}

/** Floor: Bun running a one-line script, to tell our cost from the runtime's. */
function baseline(): number {
  const dir = mkdtempSync(join(tmpdir(), "cli-bench-"));
  const probe = join(dir, "probe.ts");
  writeFileSync(probe, 'process.stdout.write("x\\n");\n');
  try {
    for (let i = 0; i < 3; i++) timeOnce("", probe);
    return median(Array.from({ length: runs }, () => timeOnce("", probe)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const results: Record<string, { median_ms: number; min_ms: number; target_ms: number; runs: number }> = {};
for (const flag of Object.keys(TARGETS)) {
  for (let i = 0; i < 3; i++) timeOnce(flag);
  const samples = Array.from({ length: runs }, () => timeOnce(flag));
  results[flag] = {
    median_ms: Math.round(median(samples) * 10) / 10,
    min_ms: Math.round(Math.min(...samples) * 10) / 10,
    target_ms: TARGETS[flag]!,
    runs,
  };
}

const floor = Math.round(baseline() * 10) / 10;

if (asJson) {
  process.stdout.write(
    `${JSON.stringify({ benchmark: "cli-startup", results, bun_floor_median_ms: floor })}\n`,
  );
} else {
  process.stdout.write(`bun one-line script (floor) median ${floor.toFixed(1)} ms\n`);
  for (const [flag, r] of Object.entries(results)) {
    const verdict = r.median_ms <= r.target_ms ? "ok" : "OVER TARGET";
    process.stdout.write(
      `ml-intern ${flag.padEnd(10)} median ${r.median_ms.toFixed(1)} ms  min ${r.min_ms.toFixed(1)} ms  target ${r.target_ms} ms  ${verdict}\n`,
    );
  }
}
