/**
 * The whole suite: lint, typecheck, then each package's `bun test` (two at a time, one process per package).
 * Ends with one "N passed, N failed" line.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dir, "..");
const only = process.argv.slice(2);

async function run(cmd: string[], cwd: string): Promise<{ code: number; out: string }> {
  const proc = Bun.spawn(cmd, {
    cwd,
    stdout: "pipe",
    stderr: "pipe",
    env: { ...process.env, FORCE_COLOR: "0" },
  });
  const [out, err] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
  return { code: await proc.exited, out: out + err };
}

function packages(): string[] {
  const dirs: string[] = [];
  for (const group of ["packages", "apps", "examples"]) {
    const base = join(root, group);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base)) {
      const dir = join(base, name);
      if (existsSync(join(dir, "package.json")) && existsSync(join(dir, "test"))) dirs.push(dir);
    }
  }
  for (const extra of ["deploy", "packaging"]) {
    if (existsSync(join(root, extra, "test"))) dirs.push(join(root, extra));
  }
  return only.length ? dirs.filter((d) => only.some((o) => d.endsWith(o))) : dirs;
}

let failedSteps = 0;
if (!only.length) {
  for (const [label, cmd] of [
    ["lint", ["bunx", "biome", "check", "."]],
    // One program over every workspace: each shared source is checked once (per-package `turbo run typecheck` re-checks them).
    ["typecheck", ["bunx", "tsc", "-p", "tsconfig.json"]],
  ] as const) {
    const started = Date.now();
    const res = await run([...cmd], root);
    console.log(
      `== ${label}: ${res.code === 0 ? "ok" : "FAILED"} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
    );
    if (res.code !== 0) {
      failedSteps++;
      console.log(res.out.slice(-20_000));
    }
  }
}

let passed = 0;
let failed = 0;
const queue = packages();
async function worker(): Promise<void> {
  for (let dir = queue.shift(); dir; dir = queue.shift()) {
    const started = Date.now();
    const res = await run(["bun", "test", "--timeout", "60000"], dir);
    const p = Number(/^\s*(\d+) pass/m.exec(res.out)?.[1] ?? 0);
    const f = Number(/^\s*(\d+) fail/m.exec(res.out)?.[1] ?? 0);
    const broken = res.code !== 0 && f === 0 ? 1 : 0;
    passed += p;
    failed += f + broken;
    const rel = dir.slice(root.length + 1);
    console.log(`== ${rel}: ${p} pass, ${f} fail (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    if (res.code !== 0) console.log(res.out.slice(-30_000));
  }
}
await Promise.all([worker(), worker()]);
console.log(`${passed} passed, ${failed + failedSteps} failed`);
process.exit(failed + failedSteps > 0 ? 1 : 0);
