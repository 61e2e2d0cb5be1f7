import { KILL_GRACE_MS } from "../core/limits.ts";

export interface RunDeadlineOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Lets the backend kill this run from outside (session dispose); returns an unregister function. */
  registerKill?: (kill: () => void) => () => void;
  /** Delivers a signal to everything the run started. */
  kill: (signal: NodeJS.Signals) => void;
}

export interface RunDeadline {
  readonly timedOut: boolean;
  readonly cancelled: boolean;
  /** Stops watching once the command has exited; after a timeout or a cancel, SIGKILLs whatever it left. */
  finish(): void;
}

/**
 * A command's timeout and cancellation: SIGTERM first, SIGKILL after a grace period, and a last SIGKILL when
 * the shell is gone so nothing it started (setsid children included) survives. Both local runners use it.
 */
export function watchRun(options: RunDeadlineOptions): RunDeadline {
  let timedOut = false;
  let cancelled = false;
  let killTimer: ReturnType<typeof setTimeout> | undefined;
  const kill = () => {
    options.kill("SIGTERM");
    killTimer ??= setTimeout(() => options.kill("SIGKILL"), KILL_GRACE_MS);
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
  return {
    get timedOut() {
      return timedOut;
    },
    get cancelled() {
      return cancelled;
    },
    finish() {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      unregister?.();
      if (timedOut || cancelled) {
        options.kill("SIGKILL");
        if (killTimer) clearTimeout(killTimer);
      }
    },
  };
}
