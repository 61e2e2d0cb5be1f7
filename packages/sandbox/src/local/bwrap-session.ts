import { type ChildProcess, spawn } from "node:child_process";
import type { ExecResult } from "../backend.ts";
import { EXIT_DRAIN_MS } from "../core/limits.ts";
import { createOutputCollector } from "../core/output-collector.ts";
import { SandboxUnavailableError } from "../errors.ts";
import type { SessionCgroup } from "./cgroup.ts";
import { watchRun } from "./run-deadline.ts";
import { within } from "./within.ts";

/** How long a session may take to start (bwrap, then the runtime loading the init). */
const READY_TIMEOUT_MS = 20_000;

export interface SessionStartOptions {
  /** The whole argv: bwrap, its arguments, `--`, then the runtime running SESSION_INIT_SOURCE. */
  argv: readonly string[];
  /** The session's cgroup, if any: the process is moved in before bwrap starts. */
  cgroup?: SessionCgroup;
}

export interface SessionRunOptions {
  argv: string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  signal?: AbortSignal;
  onOutput?: (text: string) => void;
  spillDir?: string;
  spillName: string;
  maxOutputChars?: number;
  maxSpillBytes?: number;
  registerKill?: (kill: () => void) => () => void;
}

/** One long-lived sandbox per agent session; every command of the session runs inside it. */
export interface SandboxSession {
  /** False once the sandbox has ended (disposed, or it died). */
  readonly alive: boolean;
  run(options: SessionRunOptions): Promise<ExecResult>;
  /** Ends the sandbox and everything in it. */
  dispose(): Promise<void>;
}

type InitEvent =
  | { ev: "ready" }
  | { ev: "start"; id: string; pid: number }
  | { ev: "out"; id: string; data: string }
  | { ev: "exit"; id: string; code: number | null; signal: string | null }
  | { ev: "drained"; id: string }
  | { ev: "error"; id: string; message: string };

interface CallListener {
  onEvent(event: InitEvent): void;
  onSessionEnd(): void;
}

/** Starts the session's sandbox and waits until its init answers; throws SandboxUnavailableError otherwise. */
export async function startSandboxSession(options: SessionStartOptions): Promise<SandboxSession> {
  const argv = options.cgroup
    ? ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', options.cgroup.procsFile, ...options.argv]
    : [...options.argv];
  const child: ChildProcess = spawn(argv[0] as string, argv.slice(1), {
    stdio: ["pipe", "pipe", "pipe"],
    env: {},
  });
  const listeners = new Map<string, CallListener>();
  let alive = true;
  let stderr = "";
  let readyResolve: (() => void) | undefined;
  const ready = new Promise<void>((resolve) => {
    readyResolve = resolve;
  });
  const exited = new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.once("error", () => resolve());
  });
  const end = () => {
    if (!alive) return;
    alive = false;
    for (const listener of [...listeners.values()]) listener.onSessionEnd();
    listeners.clear();
  };
  void exited.then(end);
  child.stdin?.on("error", () => undefined);
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (text: string) => {
    stderr = (stderr + text).slice(-4_000);
  });
  let buffer = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (text: string) => {
    buffer += text;
    for (let at = buffer.indexOf("\n"); at >= 0; at = buffer.indexOf("\n")) {
      const line = buffer.slice(0, at);
      buffer = buffer.slice(at + 1);
      let event: InitEvent;
      try {
        event = JSON.parse(line) as InitEvent;
      } catch {
        continue;
      }
      if (event.ev === "ready") readyResolve?.();
      else listeners.get(event.id)?.onEvent(event);
    }
  });

  const send = (message: Record<string, unknown>) => {
    if (alive) child.stdin?.write(`${JSON.stringify(message)}\n`);
  };

  const teardown = async () => {
    end();
    child.stdin?.end();
    await options.cgroup?.kill();
    await within(exited, 500);
    if (child.exitCode === null && child.signalCode === null) {
      // bwrap's --die-with-parent takes the whole pid namespace down with it.
      child.kill("SIGKILL");
      await within(exited, 2_000);
    }
    await options.cgroup?.remove();
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  const startFailed = await Promise.race([
    ready.then(() => false),
    exited.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(true), READY_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  if (startFailed) {
    await teardown();
    throw new SandboxUnavailableError(
      `the session sandbox did not start: ${stderr.trim() || `exit ${child.exitCode ?? child.signalCode ?? "timeout"}`}`,
    );
  }

  let counter = 0;
  return {
    get alive() {
      return alive;
    },
    async run(run) {
      const started = performance.now();
      const cancelledResult = (): ExecResult => ({
        exitCode: null,
        signal: null,
        timedOut: false,
        cancelled: true,
        output: "",
        truncated: false,
        durationMs: 0,
      });
      if (run.signal?.aborted) return cancelledResult();
      if (!alive) throw new Error("The sandbox session has ended.");
      counter += 1;
      const id = String(counter);
      const collector = createOutputCollector({
        spillDir: run.spillDir,
        spillName: run.spillName,
        maxChars: run.maxOutputChars,
        maxSpillBytes: run.maxSpillBytes,
      });
      let reading = true;
      let exitResolve: (status: { code: number | null; signal: string | null }) => void = () => {};
      let drainedResolve: () => void = () => {};
      let failure: string | undefined;
      let sessionEnded = false;
      const exit = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
        exitResolve = resolve;
      });
      const drained = new Promise<void>((resolve) => {
        drainedResolve = resolve;
      });
      listeners.set(id, {
        onEvent(event) {
          if (event.ev === "out") {
            if (!reading || !event.data) return;
            collector.push(event.data);
            run.onOutput?.(event.data);
          } else if (event.ev === "exit") exitResolve({ code: event.code, signal: event.signal });
          else if (event.ev === "drained") drainedResolve();
          else if (event.ev === "error") {
            failure = event.message;
            exitResolve({ code: null, signal: null });
            drainedResolve();
          }
        },
        onSessionEnd() {
          sessionEnded = true;
          exitResolve({ code: null, signal: "SIGKILL" });
          drainedResolve();
        },
      });
      send({ op: "run", id, argv: run.argv, cwd: run.cwd, env: run.env });

      const deadline = watchRun({
        timeoutMs: run.timeoutMs,
        ...(run.signal ? { signal: run.signal } : {}),
        ...(run.registerKill ? { registerKill: run.registerKill } : {}),
        kill: (signal) => send({ op: "kill", id, signal }),
      });
      const status = await exit;
      deadline.finish();
      const { timedOut, cancelled } = deadline;
      await within(drained, EXIT_DRAIN_MS);
      reading = false;
      send({ op: "release", id });
      listeners.delete(id);
      const collected = await collector.finish();
      if (failure && !timedOut && !cancelled && collected.text === "") {
        throw new Error(`Cannot run the command: ${failure}`);
      }
      const ended = sessionEnded
        ? `${collected.text && !collected.text.endsWith("\n") ? "\n" : ""}(The sandbox session ended while this command ran: every process in it was killed, background jobs included. The next command starts a new session.)\n`
        : "";
      return {
        exitCode: timedOut || cancelled ? null : status.code,
        signal: status.signal,
        timedOut,
        cancelled,
        output: collected.text + ended,
        truncated: collected.truncated,
        spillPath: collected.spillPath,
        durationMs: performance.now() - started,
      };
    },
    dispose: teardown,
  };
}
