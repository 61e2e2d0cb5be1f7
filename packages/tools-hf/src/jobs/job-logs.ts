import { stripAnsi } from "../format.ts";
import type { HfCall, HfToolDeps } from "../hf-call.ts";
import { httpErrorFromResponse } from "../http/http-error.ts";
import { isTerminalStage, type JobInfo, stageOf } from "./jobs-api.ts";

export { isTerminalStage, TERMINAL_STAGES } from "./jobs-api.ts";

export interface LogLine {
  timestamp: string;
  text: string;
}

export interface ReadLogsOptions {
  namespace: string;
  jobId: string;
  /** Only the last N lines of history (sent on the first connection only). */
  tail?: number;
  /** Keep reading (reconnecting) until the job reaches a terminal stage. */
  follow: boolean;
  /** Stop after this many milliseconds in any case. */
  maxWaitMs: number;
  maxReconnects?: number;
  onLine?: (line: LogLine, count: number) => void;
  /** Reads the job (its stage is polled while following, and checked after a stream ends or drops). */
  getJob: () => Promise<JobInfo>;
}

export type StopReason = "finished" | "ended" | "time_limit" | "idle" | "cancelled" | "reconnect_limit";

export interface ReadLogsResult {
  lines: LogLine[];
  reconnects: number;
  stopReason: StopReason;
  finalStage?: string;
  /** The last job info read (stage polls), when any. */
  job?: JobInfo;
}

interface Frame {
  timestamp: string;
  data: string;
}

function parseDataLine(payload: string): Frame {
  try {
    const parsed = JSON.parse(payload) as { timestamp?: string; data?: unknown };
    return {
      timestamp: parsed.timestamp ?? "",
      data: typeof parsed.data === "string" ? parsed.data : payload,
    };
  } catch {
    return { timestamp: "", data: payload };
  }
}

const FINISHED_LINE = /^===== Job finished/;

/** The stage named in a `===== Job finished … =====` line, if any. */
export function stageFromFinishedLine(line: string): string | undefined {
  const m =
    /status\s*[=:]?\s*([A-Za-z]+)/i.exec(line) ??
    /\b(COMPLETED|CANCELED|CANCELLED|ERROR|FAILED)\b/.exec(line);
  const stage = m?.[1]?.toUpperCase();
  return stage && isTerminalStage(stage) ? stage : undefined;
}

type ReadOutcome =
  | { kind: "finish_line"; stage: string | undefined }
  | { kind: "terminal"; job: JobInfo }
  | { kind: "ended" }
  | { kind: "dropped"; error: unknown }
  | { kind: "stalled" }
  | { kind: "idle" }
  | { kind: "aborted" };

type Wake =
  | { kind: "read"; value: { done: boolean; value?: Uint8Array | undefined } }
  | { kind: "error"; error: unknown }
  | { kind: "tick" };

/**
 * Reads a job's SSE log stream (`data: {"timestamp","data"}` frames, `: keep-alive` comments).
 *
 * The real Hub may keep the stream open (keep-alives only) after the job ends, so reading ends on the
 * `===== Job finished` line, and while following the job's stage is polled: once it is terminal the stream gets
 * a short grace period for buffered lines and is closed. A stream that ends, drops or stalls (no bytes for the
 * idle limit) while the job runs is reconnected; the Hub replays history, so lines already seen are skipped.
 * Without follow, reading stops once no new line arrives for the idle limit.
 */
export async function readJobLogs(
  deps: HfToolDeps,
  call: HfCall,
  options: ReadLogsOptions,
): Promise<ReadLogsResult> {
  const lines: LogLine[] = [];
  const accepted = new Map<string, number>();
  let lastTimestamp = "";
  let lastJob: JobInfo | undefined;
  const deadline = deps.now() + options.maxWaitMs;
  const maxReconnects = options.maxReconnects ?? 100;
  let reconnects = 0;

  const limit = new AbortController();
  const timer = setTimeout(() => limit.abort(), Math.max(0, options.maxWaitMs));
  const signal = AbortSignal.any([call.signal, limit.signal]);
  const aborted = (): ReadLogsResult => ({
    lines,
    reconnects,
    stopReason: call.signal.aborted ? "cancelled" : "time_limit",
    ...(lastJob ? { finalStage: stageOf(lastJob), job: lastJob } : {}),
  });
  const poll = async (): Promise<JobInfo | undefined> => {
    try {
      lastJob = await options.getJob();
      return lastJob;
    } catch {
      return undefined;
    }
  };

  /** Returns true for the finished line (not shown as a log line). */
  const accept = (frame: Frame, seenThisConnection: Map<string, number>): "line" | "skip" | "finish" => {
    const key = `${frame.timestamp}\u0000${frame.data}`;
    const occurrence = (seenThisConnection.get(key) ?? 0) + 1;
    seenThisConnection.set(key, occurrence);
    if (frame.timestamp && lastTimestamp && frame.timestamp < lastTimestamp) return "skip";
    if (occurrence <= (accepted.get(key) ?? 0)) return "skip";
    accepted.set(key, occurrence);
    if (frame.timestamp > lastTimestamp) lastTimestamp = frame.timestamp;
    if (FINISHED_LINE.test(frame.data)) return "finish";
    if (/^===== Job started/.test(frame.data)) return "skip";
    const line = { timestamp: frame.timestamp, text: stripAnsi(frame.data) };
    lines.push(line);
    options.onLine?.(line, lines.length);
    return "line";
  };

  /**
   * One connection. `drainMs`: the job is already over; read the replayed history until the finished line, the
   * end, or no new line for this long.
   */
  const readOnce = async (first: boolean, drainMs?: number): Promise<ReadOutcome> => {
    const polling = options.follow && drainMs === undefined;
    const url = new URL(`${call.config.hubUrl}/api/jobs/${options.namespace}/${options.jobId}/logs`);
    if (first && options.tail) url.searchParams.set("tail", String(options.tail));
    const headers: Record<string, string> = { accept: "text/event-stream" };
    if (call.token) headers.authorization = `Bearer ${call.token}`;
    let response: Response;
    try {
      response = await deps.fetch(url.toString(), { headers, signal });
    } catch (error) {
      return signal.aborted ? { kind: "aborted" } : { kind: "dropped", error };
    }
    if (!response.ok) {
      if (response.status >= 500) {
        await response.body?.cancel().catch(() => {});
        return { kind: "dropped", error: new Error(`HTTP ${response.status}`) };
      }
      throw await httpErrorFromResponse(response, url.toString());
    }
    const reader = response.body?.getReader();
    if (!reader) return { kind: "ended" };
    const decoder = new TextDecoder();
    const seen = new Map<string, number>();
    let buffer = "";
    let pending: Promise<Wake> | undefined;
    let lastByteAt = deps.now();
    let lastLineAt = deps.now();
    let nextPollAt = deps.now() + deps.jobStatusPollMs;
    let graceUntil: number | undefined;
    let terminalJob: JobInfo | undefined;
    const close = () => reader.cancel().catch(() => {});
    const handle = (raw: string): ReadOutcome | undefined => {
      const line = raw.replace(/\r$/, "");
      if (!line.startsWith("data:")) return undefined;
      const frame = parseDataLine(line.slice(5).trimStart());
      const verdict = accept(frame, seen);
      if (verdict === "line") lastLineAt = deps.now();
      if (verdict === "finish") return { kind: "finish_line", stage: stageFromFinishedLine(frame.data) };
      return undefined;
    };
    try {
      while (true) {
        pending ??= reader.read().then(
          (value): Wake => ({ kind: "read", value }),
          (error: unknown): Wake => ({ kind: "error", error }),
        );
        const now = deps.now();
        const idleAt = options.follow
          ? lastByteAt + deps.logFollowIdleMs
          : lastLineAt + deps.logIdleTimeoutMs;
        const wakeAt = Math.min(idleAt, options.follow ? nextPollAt : idleAt, graceUntil ?? idleAt, deadline);
        const tick = new AbortController();
        const sleeping = deps
          .sleep(Math.max(0, wakeAt - now), AbortSignal.any([signal, tick.signal]))
          .then((): Wake => ({ kind: "tick" }));
        const wake = await Promise.race([pending, sleeping]);
        tick.abort();
        if (signal.aborted) {
          await close();
          return { kind: "aborted" };
        }
        if (wake.kind === "error") return { kind: "dropped", error: wake.error };
        if (wake.kind === "read") {
          pending = undefined;
          if (wake.value.done) break;
          lastByteAt = deps.now();
          buffer += decoder.decode(wake.value.value, { stream: true });
          const parts = buffer.split("\n");
          buffer = parts.pop() ?? "";
          for (const raw of parts) {
            const outcome = handle(raw);
            if (outcome) {
              await close();
              return outcome;
            }
          }
          continue;
        }
        const t = deps.now();
        if (t >= deadline) {
          await close();
          return { kind: "aborted" };
        }
        if (graceUntil !== undefined && terminalJob && t >= graceUntil) {
          await close();
          return { kind: "terminal", job: terminalJob };
        }
        if (t >= idleAt) {
          await close();
          return polling ? { kind: "stalled" } : { kind: "idle" };
        }
        if (polling && t >= nextPollAt && graceUntil === undefined) {
          const job = await poll();
          if (job && isTerminalStage(stageOf(job))) {
            terminalJob = job;
            graceUntil = deps.now() + deps.logFinishGraceMs;
          }
          nextPollAt = deps.now() + deps.jobStatusPollMs;
        }
      }
      const outcome = buffer ? handle(buffer) : undefined;
      return outcome ?? { kind: "ended" };
    } catch (error) {
      return signal.aborted ? { kind: "aborted" } : { kind: "dropped", error };
    }
  };

  /** After the finished line, the job info may lag a moment behind: poll briefly for the terminal stage. */
  const confirmFinal = async (lineStage: string | undefined): Promise<string> => {
    for (let attempt = 0; attempt < 5; attempt++) {
      const job = await poll();
      if (job && isTerminalStage(stageOf(job))) return stageOf(job);
      if (signal.aborted) break;
      await deps.sleep(deps.jobStatusPollMs, signal);
    }
    return lineStage ?? (lastJob ? stageOf(lastJob) : "UNKNOWN");
  };

  const result = (stopReason: StopReason, finalStage?: string): ReadLogsResult => ({
    lines,
    reconnects,
    stopReason,
    ...(finalStage ? { finalStage } : {}),
    ...(lastJob ? { job: lastJob } : {}),
  });

  try {
    if (options.follow) {
      // A job that is still scheduling has no log stream yet: wait for it to start (or end).
      let job = await poll();
      // Poll quickly at first (scheduling often takes seconds), backing off to the normal interval.
      for (
        let wait = Math.min(500, deps.jobStatusPollMs);
        job && stageOf(job) === "SCHEDULING" && !signal.aborted;
        wait = Math.min(wait * 2, deps.jobStatusPollMs)
      ) {
        await deps.sleep(wait, signal);
        if (signal.aborted) break;
        job = (await poll()) ?? job;
      }
      if (signal.aborted) return aborted();
    }
    let first = true;
    while (true) {
      const outcome = await readOnce(first);
      first = false;
      if (outcome.kind === "aborted") return aborted();
      if (outcome.kind === "finish_line") return result("finished", await confirmFinal(outcome.stage));
      if (outcome.kind === "terminal") {
        // Over without a finished line on this stream: read the replayed history once more for missing lines.
        reconnects += 1;
        const drained = await readOnce(false, deps.logFinishGraceMs);
        if (drained.kind === "aborted") return aborted();
        return result("finished", stageOf(outcome.job));
      }
      const job = await poll();
      const stage = job ? stageOf(job) : "UNKNOWN";
      if (isTerminalStage(stage)) {
        // The stream ended or broke before the finished line: the job is over, but its last lines may be missing.
        if (outcome.kind !== "idle") {
          reconnects += 1;
          const drained = await readOnce(false, deps.logFinishGraceMs);
          if (drained.kind === "aborted") return aborted();
        }
        return result("finished", stage);
      }
      if (outcome.kind === "idle") return result("idle", stage);
      if (!options.follow) return result("ended", stage);
      if (reconnects >= maxReconnects) return result("reconnect_limit", stage);
      if (deps.now() >= deadline) return result("time_limit", stage);
      reconnects += 1;
      await deps.sleep(deps.logReconnectDelayMs, signal);
      if (signal.aborted) return aborted();
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Collapses uv's dependency-install noise (everything before "Installed N packages in …"). */
export function collapseInstallNoise(lines: string[]): string[] {
  const index = lines.findIndex((l) => /^\s*Installed \d+ packages? in /.test(l));
  return index > 0 ? ["[installs truncated]", ...lines.slice(index)] : lines;
}
