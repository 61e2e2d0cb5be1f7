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

async function pump(
  stream: ReadableStream<Uint8Array>,
  push: (text: string) => void,
  stop: Promise<void>,
): Promise<void> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let stopped = false;
  stop.then(() => {
    stopped = true;
    reader.cancel().catch(() => undefined);
  });
  try {
    while (!stopped) {
      const { value, done } = await reader.read();
      if (done) break;
      push(decoder.decode(value, { stream: true }));
    }
  } catch {
    // cancelled after the drain window
  }
  push(decoder.decode());
}

/**
 * Runs argv in its own process group without blocking the event loop. A timeout or abort kills the whole
 * group (grandchildren too); a normal exit returns after a short drain even when a background job still
 * holds the pipe, so `nohup ... &` outlives the call.
 */
export async function runProcess(options: RunProcessOptions): Promise<ExecResult> {
  const started = performance.now();
  const collector = createOutputCollector({
    spillDir: options.spillDir,
    spillName: options.spillName,
    maxChars: options.maxOutputChars,
  });
  const push = (text: string) => {
    if (!text) return;
    collector.push(text);
    options.onOutput?.(text);
  };
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
  const proc = Bun.spawn(options.argv, {
    cwd: options.cwd,
    env: options.env,
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
    detached: true,
  });
  const pgid = proc.pid;
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

  let releaseStreams!: () => void;
  const stopStreams = new Promise<void>((resolve) => {
    releaseStreams = resolve;
  });
  const pumps = Promise.all([pump(proc.stdout, push, stopStreams), pump(proc.stderr, push, stopStreams)]);

  const exitCode = await proc.exited;
  clearTimeout(timer);
  options.signal?.removeEventListener("abort", onAbort);
  unregister?.();
  if (timedOut || cancelled) {
    // The shell is gone; make sure nothing it started survives.
    killGroup(pgid, "SIGKILL");
    if (killTimer) clearTimeout(killTimer);
  }
  const drain = setTimeout(releaseStreams, EXIT_DRAIN_MS);
  await pumps;
  clearTimeout(drain);
  releaseStreams();
  options.onExit?.(pgid);
  const collected = await collector.finish();
  return {
    exitCode: timedOut || cancelled ? null : exitCode,
    signal: proc.signalCode === null ? null : String(proc.signalCode),
    timedOut,
    cancelled,
    output: collected.text,
    truncated: collected.truncated,
    spillPath: collected.spillPath,
    durationMs: performance.now() - started,
  };
}
