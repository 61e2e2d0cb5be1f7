import { stripAnsi } from "../format.ts";
import type { HfCall, HfToolDeps } from "../hf-call.ts";
import { httpErrorFromResponse } from "../http/http-error.ts";

export const TERMINAL_STAGES: ReadonlySet<string> = new Set([
  "COMPLETED",
  "CANCELED",
  "CANCELLED",
  "ERROR",
  "FAILED",
  "DELETED",
]);

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
  /** Stop after this many seconds in any case. */
  maxWaitSeconds: number;
  maxReconnects?: number;
  onLine?: (line: LogLine, count: number) => void;
  /** Reads the job's stage (used after a stream ends or drops). */
  getStage: () => Promise<string>;
}

export interface ReadLogsResult {
  lines: LogLine[];
  reconnects: number;
  stopReason: "finished" | "ended" | "time_limit" | "idle" | "cancelled" | "reconnect_limit";
  finalStage?: string;
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

type ReadOutcome =
  | { kind: "ended" }
  | { kind: "dropped"; error: unknown }
  | { kind: "idle" }
  | { kind: "aborted" };

/**
 * Reads a job's SSE log stream. Lines are `data: {"timestamp","data"}`. When the stream ends or drops while the job
 * is still running, it reconnects (skipping lines already seen, since the server replays history) until the job is
 * terminal, the time limit passes, or the call is cancelled.
 */
export async function readJobLogs(
  deps: HfToolDeps,
  call: HfCall,
  options: ReadLogsOptions,
): Promise<ReadLogsResult> {
  const lines: LogLine[] = [];
  const seen = new Set<string>();
  let lastTimestamp = "";
  const deadline = deps.now() + options.maxWaitSeconds * 1000;
  const maxReconnects = options.maxReconnects ?? 20;
  let reconnects = 0;

  const limit = new AbortController();
  const timer = setTimeout(() => limit.abort(), Math.max(0, options.maxWaitSeconds * 1000));
  const signal = AbortSignal.any([call.signal, limit.signal]);

  const accept = (frame: Frame) => {
    const key = `${frame.timestamp}\u0000${frame.data}`;
    if (seen.has(key) || (frame.timestamp && lastTimestamp && frame.timestamp < lastTimestamp)) return;
    seen.add(key);
    if (frame.timestamp > lastTimestamp) lastTimestamp = frame.timestamp;
    if (/^===== Job (started|finished)/.test(frame.data)) return;
    const line = { timestamp: frame.timestamp, text: stripAnsi(frame.data) };
    lines.push(line);
    options.onLine?.(line, lines.length);
  };

  const readOnce = async (first: boolean): Promise<ReadOutcome> => {
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
    if (!response.ok) throw await httpErrorFromResponse(response, url.toString());
    const reader = response.body?.getReader();
    if (!reader) return { kind: "ended" };
    const decoder = new TextDecoder();
    let buffer = "";
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    const aborted = new Promise<"aborted">((resolve) => {
      if (signal.aborted) resolve("aborted");
      signal.addEventListener("abort", () => resolve("aborted"), { once: true });
    });
    try {
      while (true) {
        const idle = new Promise<"idle">((resolve) => {
          idleTimer = setTimeout(() => resolve("idle"), options.follow ? 2 ** 31 - 1 : deps.logIdleTimeoutMs);
        });
        const next = await Promise.race([reader.read(), idle, aborted]);
        clearTimeout(idleTimer);
        if (next === "idle" || next === "aborted") {
          await reader.cancel().catch(() => {});
          return { kind: next };
        }
        if (next.done) break;
        buffer += decoder.decode(next.value, { stream: true });
        const parts = buffer.split("\n");
        buffer = parts.pop() ?? "";
        for (const raw of parts) {
          const line = raw.replace(/\r$/, "");
          if (line.startsWith("data:")) accept(parseDataLine(line.slice(5).trimStart()));
        }
      }
      if (buffer.startsWith("data:")) accept(parseDataLine(buffer.slice(5).trimStart()));
      return { kind: "ended" };
    } catch (error) {
      return signal.aborted ? { kind: "aborted" } : { kind: "dropped", error };
    } finally {
      clearTimeout(idleTimer);
    }
  };

  try {
    let first = true;
    while (true) {
      const outcome = await readOnce(first);
      first = false;
      if (outcome.kind === "aborted") {
        return { lines, reconnects, stopReason: call.signal.aborted ? "cancelled" : "time_limit" };
      }
      if (outcome.kind === "idle") return { lines, reconnects, stopReason: "idle" };
      const stage = await options.getStage().catch(() => "UNKNOWN");
      if (TERMINAL_STAGES.has(stage)) return { lines, reconnects, stopReason: "finished", finalStage: stage };
      if (outcome.kind === "ended" && !options.follow)
        return { lines, reconnects, stopReason: "ended", finalStage: stage };
      if (reconnects >= maxReconnects)
        return { lines, reconnects, stopReason: "reconnect_limit", finalStage: stage };
      if (deps.now() >= deadline) return { lines, reconnects, stopReason: "time_limit", finalStage: stage };
      reconnects += 1;
      await deps.sleep(deps.logReconnectDelayMs, signal);
      if (signal.aborted)
        return { lines, reconnects, stopReason: call.signal.aborted ? "cancelled" : "time_limit" };
    }
  } finally {
    clearTimeout(timer);
  }
}

/** Collapses uv's dependency-install noise (everything before "Installed N packages"). */
export function collapseInstallNoise(lines: string[]): string[] {
  const index = lines.findIndex((l) => /^Installed \d+ packages? in /.test(l.trim()));
  return index > 0 ? ["[installs truncated]", ...lines.slice(index)] : lines;
}
