import type { HfConfig } from "./config.ts";
import { defaultSleep, type HfToolDeps } from "./hf-call.ts";
import type { FetchLike } from "./http/hf-http.ts";

export interface HfDepsOptions {
  config: HfConfig;
  fetch?: FetchLike;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  logReconnectDelayMs?: number;
  logIdleTimeoutMs?: number;
}

export function createHfCallDeps(options: HfDepsOptions): HfToolDeps {
  return {
    config: options.config,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    now: options.now ?? Date.now,
    sleep: options.sleep ?? defaultSleep,
    logReconnectDelayMs: options.logReconnectDelayMs ?? 1000,
    logIdleTimeoutMs: options.logIdleTimeoutMs ?? 5000,
    whoamiCache: new Map(),
  };
}
