import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { isHuggingFaceUrl } from "@ml-intern/tools-hf/hosts";
import type { ExecOptions, ExecResult, FileStat, SandboxBackend } from "../backend.ts";
import { SandboxFileError, type SandboxFileErrorCode, SandboxRemoteError } from "../errors.ts";
import { SANDBOX_AUTH_HEADER, type SandboxReply } from "../server/protocol.ts";

export interface RemoteBackendOptions {
  /** Server root, e.g. https://owner-sandbox-1a2b3c4d.hf.space or http://127.0.0.1:7860 */
  baseUrl: string;
  /** The per-sandbox control-plane token. */
  sandboxToken: string;
  /** HF token for the Hub edge of a private Space; only ever sent to *.hf.space hosts. */
  hfToken?: string;
  fetch?: typeof fetch;
  /** Waits between attempts on connection errors or non-JSON replies (a waking Space); default 3 s, 6 s. */
  retryDelaysMs?: readonly number[];
  /** Extra time the HTTP request gets beyond the command timeout. */
  timeoutMarginMs?: number;
  /** Timeout of non-bash requests. */
  requestTimeoutMs?: number;
  /** Shown as the workspace when the server does not report one. */
  defaultWorkspace?: string;
  /** Called when the backend is disposed (e.g. delete the Space). */
  onDispose?: () => Promise<void>;
}

/**
 * May the sandbox server at `url` get the HF token? tools-hf's one host check, with this backend's own Space
 * counted as configured explicitly (it is the session's Space or the one the user named).
 */
export function isHfHost(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).host;
  } catch {
    return false;
  }
  return isHuggingFaceUrl(url, { spaceHosts: [host] });
}

const FILE_CODES = new Set<SandboxFileErrorCode>([
  "not_found",
  "is_directory",
  "outside_workspace",
  "invalid_path",
  "not_regular",
  "too_large",
  "encoding",
  "read_only",
  "io",
]);

/** A client for the sandbox server; exposes it as a SandboxBackend. */
export async function createRemoteBackend(options: RemoteBackendOptions): Promise<SandboxBackend> {
  const doFetch = options.fetch ?? fetch;
  const base = options.baseUrl.replace(/\/+$/, "");
  const delays = options.retryDelaysMs ?? [3_000, 6_000];
  const margin = options.timeoutMarginMs ?? 30_000;
  const requestTimeout = options.requestTimeoutMs ?? 60_000;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    [SANDBOX_AUTH_HEADER]: `Bearer ${options.sandboxToken}`,
  };
  if (options.hfToken && isHfHost(base)) headers.authorization = `Bearer ${options.hfToken}`;

  async function call(
    path: string,
    body: unknown,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<SandboxReply & Record<string, unknown>> {
    const url = `${base}/api/${path}`;
    let lastError = "";
    for (let attempt = 0; attempt <= delays.length; attempt++) {
      if (attempt > 0) await delay(delays[attempt - 1] as number, undefined, signal ? { signal } : {});
      const timeout = AbortSignal.timeout(timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      let response: Response;
      try {
        response = await doFetch(url, {
          method: body === undefined ? "GET" : "POST",
          headers,
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: combined,
          redirect: "follow",
        });
      } catch (error) {
        if (signal?.aborted) throw error;
        if (timeout.aborted)
          throw new SandboxRemoteError(`Sandbox request timed out after ${Math.round(timeoutMs / 1000)}s.`);
        lastError = `cannot reach the sandbox at ${base}: ${error instanceof Error ? error.message : String(error)}`;
        continue;
      }
      const text = await response.text();
      let json: Record<string, unknown>;
      try {
        json = JSON.parse(text) as Record<string, unknown>;
      } catch {
        lastError = `the sandbox answered HTTP ${response.status} with a non-JSON body (it may still be starting)`;
        continue;
      }
      if (!response.ok) {
        const detail = json.error ?? json.detail ?? `HTTP ${response.status}`;
        throw new SandboxRemoteError(
          `Sandbox error (HTTP ${response.status}): ${String(detail)}`,
          response.status,
        );
      }
      return json as SandboxReply & Record<string, unknown>;
    }
    throw new SandboxRemoteError(`Sandbox unreachable after ${delays.length + 1} attempts: ${lastError}`);
  }

  const fileCall = async (path: string, body: unknown) => {
    const reply = await call(path, body, requestTimeout);
    if (!reply.success) {
      const code = FILE_CODES.has(reply.code as SandboxFileErrorCode)
        ? (reply.code as SandboxFileErrorCode)
        : "io";
      throw new SandboxFileError(code, reply.error ?? "Sandbox file operation failed.");
    }
    return reply;
  };

  let workspace = options.defaultWorkspace ?? "/app";
  try {
    const info = (await call("info", undefined, requestTimeout)) as unknown as { workspace?: string };
    if (typeof info.workspace === "string") workspace = info.workspace;
  } catch (error) {
    if (error instanceof SandboxRemoteError && error.status === 404) {
      // an older server without /api/info
    } else throw error;
  }
  const running = new Set<string>();

  return {
    kind: "remote",
    workspace,
    async exec(command: string, exec: ExecOptions): Promise<ExecResult> {
      const started = performance.now();
      const callId = randomUUID();
      running.add(callId);
      const onAbort = () => {
        call("kill", { call_id: callId }, requestTimeout).catch(() => undefined);
      };
      exec.signal?.addEventListener("abort", onAbort, { once: true });
      try {
        const reply = await call(
          "bash",
          { command, work_dir: exec.cwd ?? workspace, timeout: exec.timeoutMs / 1000, call_id: callId },
          exec.timeoutMs + margin,
          exec.signal,
        );
        if (reply.output) exec.onOutput?.(reply.output);
        const error = reply.error ?? "";
        const timedOut = reply.timed_out ?? error.startsWith("Timeout");
        const cancelled = reply.cancelled ?? false;
        const exitMatch = /Exit code (-?\d+)/.exec(error);
        if (!reply.success && !timedOut && !cancelled && !exitMatch && reply.exit_code === undefined) {
          throw new SandboxFileError(
            FILE_CODES.has(reply.code as SandboxFileErrorCode) ? (reply.code as SandboxFileErrorCode) : "io",
            error || "Sandbox command failed.",
          );
        }
        return {
          exitCode:
            reply.exit_code !== undefined
              ? reply.exit_code
              : reply.success
                ? 0
                : exitMatch
                  ? Number(exitMatch[1])
                  : null,
          signal: null,
          timedOut,
          cancelled,
          output: reply.output ?? "",
          truncated: reply.truncated ?? false,
          spillPath: reply.full_output_path ?? undefined,
          durationMs: performance.now() - started,
        };
      } catch (error) {
        if (exec.signal?.aborted) {
          return {
            exitCode: null,
            signal: null,
            timedOut: false,
            cancelled: true,
            output: "",
            truncated: false,
            durationMs: performance.now() - started,
          };
        }
        throw error;
      } finally {
        exec.signal?.removeEventListener("abort", onAbort);
        running.delete(callId);
      }
    },
    async readFile(path) {
      const reply = await fileCall("read", { path, raw: true });
      return {
        path: (reply.path as string | undefined) ?? path,
        content: reply.output,
        encoding: reply.encoding === "latin1" ? "latin1" : "utf8",
      };
    },
    async writeFile(path, content, write) {
      const encoding = write?.encoding ?? "utf8";
      // Older servers know only UTF-8: send the field only when it matters.
      const reply = await fileCall(
        "write",
        encoding === "utf8" ? { path, content } : { path, content, encoding },
      );
      return {
        path: (reply.path as string | undefined) ?? path,
        bytes: (reply.bytes as number | undefined) ?? Buffer.byteLength(content),
      };
    },
    async stat(path): Promise<FileStat> {
      const reply = await fileCall("exists", { path });
      return { exists: reply.output === "true", isDirectory: reply.is_directory ?? false };
    },
    async killAll() {
      const n = running.size;
      await call("kill", {}, requestTimeout);
      return n;
    },
    async dispose() {
      await call("kill", {}, requestTimeout).catch(() => undefined);
      await options.onDispose?.();
    },
  };
}
