import type { ExecResult } from "../backend.ts";
import { EXIT_DRAIN_MS } from "../core/limits.ts";
import { createOutputCollector } from "../core/output-collector.ts";
import type { ProcessSpawner } from "./process-spawner.ts";
import { watchRun } from "./run-deadline.ts";
import { within } from "./within.ts";

export interface RunProcessOptions {
  argv: string[];
  env: Record<string, string>;
  cwd?: string;
  /** Bun.spawn or node:child_process (see createProcessSpawner). */
  spawner: ProcessSpawner;
  timeoutMs: number;
  signal?: AbortSignal;
  onOutput?: (text: string) => void;
  spillDir?: string;
  spillName: string;
  maxOutputChars?: number;
  maxSpillBytes?: number;
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
    maxSpillBytes: options.maxSpillBytes,
  });
  let reading = true;
  const push = (text: string) => {
    if (!text || !reading) return;
    collector.push(text);
    options.onOutput?.(text);
  };
  const child = await options.spawner.spawn({
    argv: options.argv,
    env: options.env,
    cwd: options.cwd,
    detached: true,
    onText: push,
  });
  const pgid = child.pid;
  options.onSpawn?.(pgid);

  const deadline = watchRun({
    timeoutMs: options.timeoutMs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.registerKill ? { registerKill: options.registerKill } : {}),
    kill: (signal) => killGroup(pgid, signal),
  });
  const exit = await child.exited;
  deadline.finish();
  const { timedOut, cancelled } = deadline;
  // Output still buffered in the pipes is read for a short while; a background job may hold them open.
  await within(child.drained, EXIT_DRAIN_MS);
  reading = false;
  child.release();
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
