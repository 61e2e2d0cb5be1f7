import type { AnyToolDefinition } from "@ml-intern/core";
import { createHfWhoamiTool } from "./account/hf-whoami.ts";
import type { HfConfig } from "./config.ts";
import { createHfInspectDatasetTool } from "./datasets/hf-inspect-dataset.ts";
import { createExploreHfDocsTool } from "./docs/explore-hf-docs.ts";
import { createFetchHfDocsTool } from "./docs/fetch-hf-docs.ts";
import { createFindHfApiTool } from "./docs/find-hf-api.ts";
import { createHfCallDeps } from "./hf-deps.ts";
import type { FetchLike } from "./http/hf-http.ts";
import { createHfJobsTool } from "./jobs/hf-jobs.ts";
import { createHfPapersTool } from "./papers/hf-papers.ts";
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
