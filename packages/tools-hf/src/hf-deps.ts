import type { HfConfig } from "./config.ts";
import { defaultSleep, type HfToolDeps, type WorkspaceFileReader } from "./hf-call.ts";
import { createHttpClient, type FetchLike } from "./http/hf-http.ts";
import { createJobTracker, type JobTracker } from "./jobs/job-tracker.ts";
import { createHardwarePriceCatalog, type HardwarePriceCatalog } from "./pricing/hardware-catalog.ts";

export interface HfDepsOptions {
  config: HfConfig;
  fetch?: FetchLike;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  logReconnectDelayMs?: number;
  logIdleTimeoutMs?: number;
  jobStatusPollMs?: number;
  logFollowIdleMs?: number;
  logFinishGraceMs?: number;
  prices?: HardwarePriceCatalog;
  jobTracker?: JobTracker;
  readWorkspaceFile?: WorkspaceFileReader;
}

export function createHfCallDeps(options: HfDepsOptions): HfToolDeps {
  const fetchFn: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const now = options.now ?? Date.now;
  return {
    config: options.config,
    fetch: fetchFn,
    now,
    sleep: options.sleep ?? defaultSleep,
    logReconnectDelayMs: options.logReconnectDelayMs ?? 1000,
    logIdleTimeoutMs: options.logIdleTimeoutMs ?? 5000,
    jobStatusPollMs: options.jobStatusPollMs ?? 10_000,
    logFollowIdleMs: options.logFollowIdleMs ?? 120_000,
    logFinishGraceMs: options.logFinishGraceMs ?? 2000,
    whoamiCache: new Map(),
    prices:
      options.prices ??
      createHardwarePriceCatalog({
        now,
        // The hardware list is public: no token needed.
        fetchHardware: (signal) =>
          createHttpClient({ fetch: fetchFn, config: options.config, signal }).json<unknown>(
            `${options.config.hubUrl}/api/jobs/hardware`,
          ),
      }),
    jobTracker: options.jobTracker ?? createJobTracker(),
    ...(options.readWorkspaceFile ? { readWorkspaceFile: options.readWorkspaceFile } : {}),
  };
}
