/**
 * MCP server benchmark: Streamable HTTP throughput and latency (tools/list and a cheap tool call,
 * concurrency 16) side by side with @modelcontextprotocol/server-everything, RSS idle / after load /
 * across repeated loads, and stdio spawn-to-initialized.
 *
 *   bun bench/mcp-bench.ts            (MCP_BENCH_SECONDS=10, MCP_BENCH_ROUNDS=2, MCP_BENCH_CONCURRENCY=16)
 *
 * MCP_BENCH_SMOL=1 runs our server under `bun --smol`. RSS is read right after each workload ("after") and
 * again after SETTLE_MS without requests ("settled": what the server keeps between loads). "server CPU" is the
 * server process's CPU time (all threads, /proc) per answered request: on a shared machine it moves much less
 * than req/s, which also depends on what else runs (the client shares the cores).
 *
 * `--serve` is the internal server mode: the real tool catalog plus a bench echo tool, on a free port.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { defineTool } from "@ml-intern/core";
import { serveHttp } from "@ml-intern/mcp-server";
import { createToolCatalog } from "@ml-intern/runtime/catalog";
import { buildMcpRequest, initializeRequest, openMcpSession } from "@ml-intern/testing/mcp/mcp-http";
import { z } from "zod";

const ROOT = join(import.meta.dir, "..");
/** Quiet time before the "settled" RSS reading (a measurement interval, not synchronisation). */
const SETTLE_MS = 1500;
const MCP_PKG = join(ROOT, "packages", "mcp-server");
const EVERYTHING = join(MCP_PKG, "node_modules", ".bin", "mcp-server-everything");
const BIN = join(MCP_PKG, "src", "bin.ts");

const echoTool = defineTool({
  name: "echo",
  description: "Echoes the message back (benchmark tool).",
  toolset: "bench",
  input: z.object({ message: z.string().describe("Text to echo") }),
  annotations: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false },
  async execute(args) {
    return { text: `Echo: ${args.message}` };
  },
});

async function serveMode(): Promise<void> {
  // Unreachable base URLs: the benchmark never calls the network tools.
  const env = { HF_ENDPOINT: "http://127.0.0.1:9", GITHUB_API_URL: "http://127.0.0.1:9" };
  const tools = [...createToolCatalog({ env, cwd: process.cwd() }), echoTool];
  // MCP_BENCH_NO_FAST_PATH=1 sends every tools/list through the SDK (to measure what the fast path buys).
  const noFastPath = Boolean(process.env.MCP_BENCH_NO_FAST_PATH);
  const running = serveHttp({
    tools,
    host: "127.0.0.1",
    port: 0,
    ...(noFastPath ? { toolsListFastPath: false as const } : {}),
  });
  process.stdout.write(`${running.url}\n`);
}

interface LoadResult {
  requests: number;
  /** Server CPU time (user + system, all threads) per answered request, µs. */
  cpuUs: number;
  errors: number;
  rps: number;
  p50: number;
  p99: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** USER_HZ, 100 on every Linux the benchmark runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU time (user + system, all threads) of a process so far, µs. */
function cpuUs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1_000_000) / CLOCK_TICKS_PER_SECOND;
}
async function load(
  url: string,
  pid: number,
  sessions: string[],
  body: unknown,
  seconds: number,
): Promise<LoadResult> {
  const payload = JSON.stringify(body);
  const cpuBefore = cpuUs(pid);
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  await Promise.all(
    sessions.map(async (sessionId) => {
      const request = buildMcpRequest(url, body, { sessionId });
      const headers = request.headers;
      while (performance.now() < deadline) {
        const t0 = performance.now();
        try {
          const res = await fetch(url, { method: "POST", headers, body: payload });
          const text = await res.text();
          if (res.status !== 200 || !text.includes('"result"')) errors++;
          else latencies.push(performance.now() - t0);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuUs(pid) - cpuBefore;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    cpuUs: cpu / Math.max(1, latencies.length),
    errors,
    rps: latencies.length / elapsed,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

interface Target {
  name: string;
  start(): Promise<{ url: string; pid: number; stop(): Promise<void> }>;
  echo: { name: string; arguments: Record<string, unknown> };
}

async function readLine(
  stream: ReadableStream<Uint8Array>,
  match: RegExp,
  timeoutMs = 20_000,
): Promise<string> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const timer = setTimeout(() => void reader.cancel(), timeoutMs);
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before ${match}: ${buffer}`);
      buffer += decoder.decode(value);
      const m = match.exec(buffer);
      if (m) return m[0];
    }
  } finally {
    clearTimeout(timer);
    reader.releaseLock();
  }
}

const ours: Target = {
  name: "ml-intern (bun)",
  async start() {
    const smol = process.env.MCP_BENCH_SMOL ? ["--smol"] : [];
    const proc = Bun.spawn([process.execPath, ...smol, import.meta.path, "--serve"], {
      stdout: "pipe",
      stderr: "inherit",
    });
    const url = await readLine(proc.stdout, /http:\/\/\S+\/mcp/);
    return {
      url,
      pid: proc.pid,
      stop: async () => {
        proc.kill();
        await proc.exited;
      },
    };
  },
  echo: { name: "echo", arguments: { message: "hello" } },
};

const everything: Target = {
  name: "server-everything (node)",
  async start() {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const proc = Bun.spawn(["node", EVERYTHING, "streamableHttp"], {
      env: { ...process.env, PORT: String(port) },
      stdout: "pipe",
      stderr: "pipe",
    });
    await readLine(proc.stderr, /listening on port \d+/i).catch(() =>
      readLine(proc.stdout, /listening on port \d+/i),
    );
    return {
      url: `http://127.0.0.1:${port}/mcp`,
      pid: proc.pid,
      stop: async () => {
        proc.kill();
        await proc.exited;
      },
    };
  },
  echo: { name: "echo", arguments: { message: "hello" } },
};

export interface McpBenchRow {
  server: string;
  workload: string;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Server CPU per request, µs. */
  cpuUs: number;
  rssAfterMb: number;
  rssSettledMb: number;
}

export interface McpBenchResult {
  rows: McpBenchRow[];
  idleRssMb: Record<string, number>;
  /** Spawn → initialize result, and spawn → first tools/list result (tools loaded). */
  spawnMs: { median: number; min: number; runs: number; toolsListMedian: number };
}

async function benchTarget(target: Target, seconds: number, rounds: number, concurrency: number) {
  const server = await target.start();
  const rows: McpBenchRow[] = [];
  try {
    const idle = rssMb(server.pid);
    const sessions: string[] = [];
    for (let i = 0; i < concurrency; i++) sessions.push((await openMcpSession(fetch, server.url)) ?? "");
    const workloads = [
      { name: "tools/list", body: { jsonrpc: "2.0", id: 7, method: "tools/list" } },
      { name: "tools/call echo", body: { jsonrpc: "2.0", id: 8, method: "tools/call", params: target.echo } },
    ];
    for (let round = 1; round <= rounds; round++) {
      for (const w of workloads) {
        const r = await load(server.url, server.pid, sessions, w.body, seconds);
        const rssAfterMb = rssMb(server.pid);
        await Bun.sleep(SETTLE_MS);
        rows.push({
          server: target.name,
          workload: w.name,
          round,
          rps: r.rps,
          p50: r.p50,
          p99: r.p99,
          errors: r.errors,
          cpuUs: r.cpuUs,
          rssAfterMb,
          rssSettledMb: rssMb(server.pid),
        });
      }
    }
    return { idle, rows };
  } finally {
    await server.stop();
  }
}

/** Spawn → initialize response over stdio, median of `runs`. */
async function benchSpawn(runs: number): Promise<McpBenchResult["spawnMs"]> {
  const times: number[] = [];
  const listTimes: number[] = [];
  const init = `${JSON.stringify(initializeRequest())}\n`;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const proc = Bun.spawn([process.execPath, BIN, "--no-agent"], {
      stdin: "pipe",
      stdout: "pipe",
      stderr: "ignore",
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "/tmp" },
    });
    proc.stdin.write(init);
    proc.stdin.flush();
    const reader = proc.stdout.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    const until = async (needle: string) => {
      while (!buffer.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stdio server exited before ${needle}`);
        buffer += decoder.decode(value);
      }
    };
    await until('"protocolVersion"');
    times.push(performance.now() - t0);
    proc.stdin.write(
      `${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n${JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" })}\n`,
    );
    proc.stdin.flush();
    await until('"id":2');
    listTimes.push(performance.now() - t0);
    reader.releaseLock();
    proc.stdin.end();
    await proc.exited;
  }
  times.sort((a, b) => a - b);
  listTimes.sort((a, b) => a - b);
  return { median: percentile(times, 50), min: times[0]!, runs, toolsListMedian: percentile(listTimes, 50) };
}

export async function runMcpBench(
  options: { seconds?: number; rounds?: number; concurrency?: number; spawnRuns?: number } = {},
): Promise<McpBenchResult> {
  const seconds = options.seconds ?? 10;
  const rounds = options.rounds ?? 2;
  const concurrency = options.concurrency ?? 16;
  const rows: McpBenchRow[] = [];
  const idleRssMb: Record<string, number> = {};
  for (const target of [everything, ours]) {
    const r = await benchTarget(target, seconds, rounds, concurrency);
    idleRssMb[target.name] = r.idle;
    rows.push(...r.rows);
  }
  const spawnMs = await benchSpawn(options.spawnRuns ?? 10);
  return { rows, idleRssMb, spawnMs };
}

function printTable(result: McpBenchResult, concurrency: number, seconds: number): void {
  const f = (n: number, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : "n/a");
  console.log(`\n## MCP over Streamable HTTP (concurrency ${concurrency}, ${seconds} s per workload)`);
  console.log(
    `| server | workload | round | req/s | p50 ms | p99 ms | errors | server CPU µs/req | RSS after MB | RSS settled (${SETTLE_MS / 1000} s) MB |`,
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|");
  for (const r of result.rows) {
    console.log(
      `| ${r.server} | ${r.workload} | ${r.round} | ${f(r.rps, 0)} | ${f(r.p50, 2)} | ${f(r.p99, 2)} | ${r.errors} | ${f(r.cpuUs, 0)} | ${f(r.rssAfterMb)} | ${f(r.rssSettledMb)} |`,
    );
  }
  const best = (server: string, workload: string) =>
    Math.max(...result.rows.filter((r) => r.server === server && r.workload === workload).map((r) => r.rps));
  console.log("\n| figure | value | target |");
  console.log("|---|---|---|");
  for (const w of ["tools/list", "tools/call echo"]) {
    const ratio = best(ours.name, w) / best(everything.name, w);
    console.log(`| ${w} throughput vs server-everything | ${f(ratio, 2)}x | ≥ 2x |`);
  }
  const ourRows = result.rows.filter((r) => r.server === ours.name);
  console.log(`| idle RSS (ml-intern) | ${f(result.idleRssMb[ours.name] ?? Number.NaN)} MB | ≤ 80 MB |`);
  console.log(
    `| idle RSS (server-everything) | ${f(result.idleRssMb[everything.name] ?? Number.NaN)} MB | — |`,
  );
  console.log(
    `| max RSS after load (ml-intern) | ${f(Math.max(...ourRows.map((r) => r.rssAfterMb)))} MB | ≤ 150 MB, flat |`,
  );
  console.log(
    `| RSS after each load (ml-intern) | ${ourRows.map((r) => f(r.rssAfterMb)).join(" → ")} MB | flat |`,
  );
  console.log(
    `| RSS settled after each load (ml-intern) | ${ourRows.map((r) => f(r.rssSettledMb)).join(" → ")} MB | flat |`,
  );
  console.log(
    `| stdio spawn → initialized (median of ${result.spawnMs.runs}) | ${f(result.spawnMs.median)} ms (min ${f(result.spawnMs.min)}) | ≤ 100 ms |`,
  );
}

if (import.meta.main) {
  if (process.argv.includes("--serve")) {
    await serveMode();
  } else {
    const seconds = Number(process.env.MCP_BENCH_SECONDS ?? 10);
    const rounds = Number(process.env.MCP_BENCH_ROUNDS ?? 2);
    const concurrency = Number(process.env.MCP_BENCH_CONCURRENCY ?? 16);
    const result = await runMcpBench({ seconds, rounds, concurrency });
    printTable(result, concurrency, seconds);
  }
}
