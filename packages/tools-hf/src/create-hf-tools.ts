import type { AnyToolDefinition } from "@ml-intern/tool";
import { createHfWhoamiTool } from "./account/hf-whoami.ts";
import type { HfConfig } from "./config.ts";
import { createHfInspectDatasetTool } from "./datasets/hf-inspect-dataset.ts";
import { createExploreHfDocsTool } from "./docs/explore-hf-docs.ts";
import { createFetchHfDocsTool } from "./docs/fetch-hf-docs.ts";
import { createFindHfApiTool } from "./docs/find-hf-api.ts";
import type { WorkspaceFileReader } from "./hf-call.ts";
import { createHfCallDeps } from "./hf-deps.ts";
import type { FetchLike } from "./http/hf-http.ts";
import { createHfJobsTool } from "./jobs/hf-jobs.ts";
import type { JobTracker } from "./jobs/job-tracker.ts";
import { createHfPapersTool } from "./papers/hf-papers.ts";
import type { HardwarePriceCatalog } from "./pricing/hardware-catalog.ts";
import { createHfRepoFilesTool } from "./repos/hf-repo-files.ts";
import { createHfRepoFilesWriteTool } from "./repos/hf-repo-files-write.ts";
import {
  createHfRepoGitDestructiveTool,
  createHfRepoGitTool,
  createHfRepoGitWriteTool,
} from "./repos/hf-repo-git.ts";
import { createHubRepoDetailsTool } from "./repos/hub-repo-details.ts";
import { createHubRepoSearchTool } from "./repos/hub-repo-search.ts";

export interface CreateHfToolsOptions {
  config: HfConfig;
  fetch?: FetchLike;
  /** false: CPU jobs run without approval (GPU and scheduled jobs always ask). Default true. */
  confirmCpuJobs?: boolean;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Delay before reconnecting a dropped job-log stream (default 1000 ms). */
  logReconnectDelayMs?: number;
  /** Non-follow log reads stop after this long without a new line (default 5000 ms). */
  logIdleTimeoutMs?: number;
  /** Job stage poll interval while following logs (default 10 s). */
  jobStatusPollMs?: number;
  /** A followed log stream silent (no keep-alives either) this long is reconnected (default 120 s). */
  logFollowIdleMs?: number;
  /** Grace for buffered log lines once the job is seen terminal (default 2 s). */
  logFinishGraceMs?: number;
  /** Job hardware prices (default: the Hub's /api/jobs/hardware, cached 6 h, static table as fallback). */
  prices?: HardwarePriceCatalog;
  /** Jobs started by hf_jobs; the host calls `cancelAll()` on interrupt (see createJobTracker). */
  jobTracker?: JobTracker;
  /** Reads workspace/sandbox files, so `hf_jobs` can ship a `script` path the agent wrote. */
  readWorkspaceFile?: WorkspaceFileReader;
}

/** Every Hugging Face tool, in the order the model should see them. */
export function createHfTools(options: CreateHfToolsOptions): AnyToolDefinition[] {
  const deps = createHfCallDeps(options);
  const tools: AnyToolDefinition[] = [
    createExploreHfDocsTool(deps),
    createFetchHfDocsTool(deps),
    createHfPapersTool(deps),
    createHfInspectDatasetTool(deps),
    createHubRepoSearchTool(deps),
    createHubRepoDetailsTool(deps),
    createHfRepoFilesTool(deps),
    createHfRepoFilesWriteTool(deps),
    createHfRepoGitTool(deps),
    createHfRepoGitWriteTool(deps),
    createHfRepoGitDestructiveTool(deps),
    createHfJobsTool(
      deps,
      options.confirmCpuJobs === undefined ? {} : { confirmCpuJobs: options.confirmCpuJobs },
    ),
    createHfWhoamiTool(deps),
    createFindHfApiTool(deps),
  ];
  return tools;
}
