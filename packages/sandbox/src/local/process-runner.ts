import { type ChildProcess, spawn } from "node:child_process";
import type { Readable } from "node:stream";
import type { ExecResult } from "../backend.ts";
import { EXIT_DRAIN_MS, KILL_GRACE_MS } from "../core/limits.ts";
import { createOutputCollector } from "../core/output-collector.ts";

export interface RunProcessOptions {
  argv: string[];
  env: Record<string, string>;
  cwd?: string;
  timeoutMs: number;
  signal?: AbortSignal;
  onOutput?: (text: string) => void;
  spillDir?: string;
  spillName: string;
  maxOutputChars?: number;
  /** Called with the process group id right after spawning (for session-end cleanup). */
  onSpawn?: (pgid: number) => void;
  /** Called when the call is over; background jobs may still live in the group. */
  onExit?: (pgid: number) => void;
  /** Registers a way to kill this call from outside (user interrupt). */
  registerKill?: (kill: () => void) => () => void;
}

export function killGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

interface SpawnOptions {
  /** The complete environment; the host's (process.env) when omitted. */
  env?: Record<string, string>;
  cwd?: string;
  /** Own session and process group (pgid = pid), so the whole group can be signalled. */
  detached?: boolean;
}

/**
 * Spawns argv with stdin closed and stdout/stderr piped (node:child_process: runs on Node and on Bun).
 * Throws like a synchronous spawn would when the program cannot be started.
 */
export async function spawnPiped(argv: readonly string[], options: SpawnOptions = {}): Promise<ChildProcess> {
  const [program, ...args] = argv;
  if (!program) throw new Error("spawnPiped needs a program to run.");
  const child = spawn(program, args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: options.detached ?? false,
    windowsHide: true,
  });
  // The child's own 'error' events (failed spawn, failed kill) must never become uncaught exceptions.
  const failed = new Promise<Error>((resolve) => child.once("error", resolve));
  if (child.pid === undefined) throw await failed;
  return child;
}

/** Resolves with the exit code and signal; 'exit' can come before the pipes are drained. */
export function waitForExit(
  child: ChildProcess,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}

/** Decodes a pipe as UTF-8 into push; resolves when the pipe reaches its end (or fails). */
export function readText(stream: Readable | null, push: (text: string) => void): Promise<void> {
  if (!stream) return Promise.resolve();
  // A TextDecoder per pipe (multi-byte characters may straddle chunks); cheaper on Bun than setEncoding.
  const decoder = new TextDecoder();
  stream.on("data", (chunk: Uint8Array) => push(decoder.decode(chunk, { stream: true })));
  return new Promise((resolve) => {
    const done = () => {
      push(decoder.decode());
      resolve();
    };
    stream.once("end", done);
    stream.once("close", done);
    stream.once("error", done);
  });
}

/** Waits for promise, at most ms. */
function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([promise.then(() => undefined), expired]).finally(() => clearTimeout(timer));
}

/**
 * Runs argv in its own process group without blocking the event loop. A timeout or abort kills the whole
 * group (grandchildren too); a normal exit returns after a short drain even when a background job still
 * holds the pipe, so `nohup ... &` outlives the call.
 */
export async function runProcess(options: RunProcessOptions): Promise<ExecResult> {
  const started = performance.now();
  if (options.signal?.aborted) {
    return {
      exitCode: null,
      signal: null,
      timedOut: false,
      cancelled: true,
      output: "",
      truncated: false,
      durationMs: 0,
    };
  }
  const collector = createOutputCollector({
    spillDir: options.spillDir,
    spillName: options.spillName,
    maxChars: options.maxOutputChars,
  });
  let reading = true;
  const push = (text: string) => {
    if (!text || !reading) return;
    collector.push(text);
    options.onOutput?.(text);
  };
  const child = await spawnPiped(options.argv, { env: options.env, cwd: options.cwd, detached: true });
  const pgid = child.pid as number;
  const exited = waitForExit(child);
  const pipes = Promise.all([readText(child.stdout, push), readText(child.stderr, push)]);
  options.onSpawn?.(pgid);

  let timedOut = false;
  let cancelled = false;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const kill = () => {
    killGroup(pgid, "SIGTERM");
    killTimer ??= setTimeout(() => killGroup(pgid, "SIGKILL"), KILL_GRACE_MS);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    kill();
  }, options.timeoutMs);
  const onAbort = () => {
    cancelled = true;
    kill();
  };
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const unregister = options.registerKill?.(onAbort);

  const exit = await exited;
  clearTimeout(timer);
  options.signal?.removeEventListener("abort", onAbort);
  unregister?.();
  if (timedOut || cancelled) {
    // The shell is gone; make sure nothing it started survives.
    killGroup(pgid, "SIGKILL");
    if (killTimer) clearTimeout(killTimer);
  }
  // Output still buffered in the pipes is read for a short while; a background job may hold them open.
  await within(pipes, EXIT_DRAIN_MS);
  reading = false;
  child.stdout?.destroy();
  child.stderr?.destroy();
  options.onExit?.(pgid);
  const collected = await collector.finish();
  return {
    exitCode: timedOut || cancelled ? null : exit.code,
    signal: exit.signal,
    timedOut,
    cancelled,
    output: collected.text,
    truncated: collected.truncated,
    spillPath: collected.spillPath,
    durationMs: performance.now() - started,
  };
}
