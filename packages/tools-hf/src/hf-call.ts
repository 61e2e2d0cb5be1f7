import { setTimeout as delay } from "node:timers/promises";
import type { ToolContext } from "@ml-intern/tool";
import type { HfConfig } from "./config.ts";
import { isHfUrl } from "./http/hf-hosts.ts";
import { createHttpClient, type FetchLike, type HttpClient } from "./http/hf-http.ts";
import type { JobTracker } from "./jobs/job-tracker.ts";
import type { HardwarePriceCatalog } from "./pricing/hardware-catalog.ts";

/** Dependencies shared by every HF tool; injected once by `createHfTools`. */
export interface HfToolDeps {
  config: HfConfig;
  fetch: FetchLike;
  /** Clock in milliseconds (job log time limits). */
  now: () => number;
  /** Waits between log-stream reconnects; resolves early when the signal aborts. */
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Delay before reconnecting a dropped log stream. */
  logReconnectDelayMs: number;
  /** A non-follow log read stops after this long without a new line. */
  logIdleTimeoutMs: number;
  /** Caches whoami answers per token (whoami-v2 is strictly rate-limited). */
  whoamiCache: Map<string, Promise<unknown>>;
  /** While following a job's logs, its stage is polled this often (the stream may stay open after the end). */
  jobStatusPollMs: number;
  /** A followed log stream with no bytes at all (not even keep-alives) for this long is reconnected. */
  logFollowIdleMs: number;
  /** Once a poll sees the job terminal, buffered log lines get this long before the stream is closed. */
  logFinishGraceMs: number;
  /** Job hardware prices: the Hub's `/api/jobs/hardware`, cached (the one price source for estimates). */
  prices: HardwarePriceCatalog;
  /** Jobs started and not yet seen finishing, for cancel-on-interrupt. */
  jobTracker: JobTracker;
  /** Reads a file of the agent's workspace or sandbox (a `script` path); absent when the host has none. */
  readWorkspaceFile?: WorkspaceFileReader;
}

/** Reads a workspace/sandbox file as UTF-8 text; rejects (with a message for the model) when it cannot. */
export type WorkspaceFileReader = (path: string, signal: AbortSignal) => Promise<string>;

export interface FailureInfo {
  status: number;
  url: string;
  headers: Headers;
}

/** One tool call's view of HF: the effective token, a signal-bound fetch and the options for `@huggingface/hub`. */
export interface HfCall {
  config: HfConfig;
  token: string | undefined;
  signal: AbortSignal;
  fetch: typeof fetch;
  /** Spread into every `@huggingface/hub` call. */
  hub: { hubUrl: string; fetch: typeof fetch; accessToken?: string };
  http: HttpClient;
  /** The last non-2xx response seen by this call (headers the hub client drops, like Retry-After). */
  lastFailure(): FailureInfo | undefined;
}

/**
 * node:timers/promises' wait. tools-hf's callers race it against streams and check the signal after it, so
 * its contract is to end early on abort (the AbortError is absorbed here, the only way this wait fails) and
 * to return at once for a zero wait.
 */
export function defaultSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted || ms <= 0) return Promise.resolve();
  return delay(ms, undefined, { signal }).catch(() => undefined);
}

export function createHfCall(deps: HfToolDeps, ctx: Pick<ToolContext, "signal" | "auth">): HfCall {
  const token = ctx.auth?.hfToken ?? deps.config.token;
  let failure: FailureInfo | undefined;
  const bound: FetchLike = async (input, init) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.toString() : input.url;
    const headers = new Headers(init?.headers);
    // The hub client adds the token itself; never let it reach a non-HF host (e.g. a CDN redirect target).
    if (!isHfUrl(url, deps.config)) headers.delete("authorization");
    const signal = init?.signal ? AbortSignal.any([init.signal, ctx.signal]) : ctx.signal;
    const response = await deps.fetch(url, { ...init, headers, signal });
    if (!response.ok) failure = { status: response.status, url, headers: response.headers };
    return response;
  };
  const fetchFn = bound as typeof fetch;
  return {
    config: deps.config,
    token,
    signal: ctx.signal,
    fetch: fetchFn,
    hub: { hubUrl: deps.config.hubUrl, fetch: fetchFn, ...(token ? { accessToken: token } : {}) },
    http: createHttpClient({
      fetch: deps.fetch,
      config: deps.config,
      signal: ctx.signal,
      ...(token ? { hfToken: token } : {}),
      headersFor: (url): Record<string, string> =>
        deps.config.s2ApiKey && url.startsWith(deps.config.s2Url)
          ? { "x-api-key": deps.config.s2ApiKey }
          : {},
    }),
    lastFailure: () => failure,
  };
}
