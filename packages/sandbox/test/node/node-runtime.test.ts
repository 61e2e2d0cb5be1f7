/**
 * The package on Node 20: the source is bundled for Node (Bun.build, target "node", as the release build
 * does, dependencies included so no install is needed) and a session script runs under `node`: local
 * backends without isolation and with bubblewrap, then the sandbox server on node:http.
 */
import { beforeAll, expect, test } from "bun:test";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createTempDir, type TempDir } from "@ml-intern/testing/temp-dir";
import { uniqueSleep } from "../lib/harness.ts";

let temp: TempDir;
let bundle: string;

beforeAll(async () => {
  temp = await createTempDir("sandbox-node-");
  const result = await Bun.build({
    entrypoints: [join(import.meta.dir, "fixtures", "node-session.ts")],
    outdir: join(temp.path, "dist"),
    target: "node",
    format: "esm",
    naming: "[name].mjs",
    throw: false,
  });
  if (!result.success) throw new Error(result.logs.map((l) => String(l)).join("\n"));
  bundle = join(temp.path, "dist", "node-session.mjs");
  return () => temp[Symbol.asyncDispose]();
});

function runNode(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("node", args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

interface SessionReport {
  kind: string;
  interleaved: string;
  exitCode: number;
  write: string;
  edit: string;
  read: string;
  onDisk: string;
  escape: string;
  timedOut: { text: string; flag: boolean };
  aborted: { text: string; flag: boolean };
  long: { truncated: boolean; spill: string };
  background: string;
}

test("on Node 20, bash/read/write/edit run on the local backends (none and bwrap) and the server runs on node:http", async () => {
  const scratch = join(temp.path, "scratch");
  const run = await runNode([bundle, scratch, uniqueSleep()]);
  if (run.code !== 0) throw new Error(`node exited ${run.code}:\n${run.stderr}\n${run.stdout}`);
  const report = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}") as {
    runtime: string;
    node: string;
    none: SessionReport;
    bwrap: SessionReport;
    server: { text: string; isError: boolean };
  };
  expect(report.runtime).toBe("node");
  expect(Number(/^v(\d+)/.exec(report.node)?.[1])).toBeGreaterThanOrEqual(20);
  for (const [isolation, kind] of [
    ["none", "local-unrestricted"],
    ["bwrap", "local-bwrap"],
  ] as const) {
    const s = report[isolation];
    expect(s.kind).toBe(kind);
    expect(s.interleaved).toContain("one\ntwo\nthree\n");
    expect(s.interleaved).toContain("Exit code 3");
    expect(s.exitCode).toBe(3);
    expect(s.write).toBe("ok");
    expect(s.edit).toBe("ok");
    expect(s.read).toBe("     1\talpha\n     2\tgamma");
    expect(s.onDisk).toBe("alpha\ngamma\n");
    expect(s.escape).toContain("outside the workspace");
    expect(s.timedOut.flag).toBe(true);
    expect(s.timedOut.text).toContain("before");
    expect(s.timedOut.text).toContain("timed out after 1s");
    expect(s.aborted.flag).toBe(true);
    expect(s.aborted.text).not.toContain("unreachable");
    expect(s.long.truncated).toBe(true);
    expect(s.long.spill).toContain("15000\t15000");
    expect(s.background).toBe("started\n");
  }
  expect(report.server).toEqual({ text: "remote\nfrom-42\n", isError: false });
}, 60_000);
