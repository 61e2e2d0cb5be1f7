export { createHfWhoamiTool } from "./account/hf-whoami.ts";
export { getWhoami, type WhoamiInfo } from "./account/whoami.ts";
export { createHfConfig, DEFAULT_HF_CONFIG, type HfConfig, hfConfigFromEnv } from "./config.ts";
export { type CreateHfToolsOptions, createHfTools } from "./create-hf-tools.ts";
export { createHfInspectDatasetTool } from "./datasets/hf-inspect-dataset.ts";
export { detectTrainingFormats, type FormatVerdict } from "./datasets/training-formats.ts";
export { DOC_ENDPOINTS } from "./docs/doc-endpoints.ts";
export { createExploreHfDocsTool } from "./docs/explore-hf-docs.ts";
export { createFetchHfDocsTool, resolveDocsUrl } from "./docs/fetch-hf-docs.ts";
export { createFindHfApiTool } from "./docs/find-hf-api.ts";
export { createHfCall, type HfCall, type HfToolDeps, type WorkspaceFileReader } from "./hf-call.ts";
export { createHfCallDeps } from "./hf-deps.ts";
export { hfErrorResult, scrubTokens } from "./http/error-result.ts";
export {
  type HfHostOptions,
  isHfUrl,
  isHuggingFaceUrl,
  isSpaceUrl,
  spaceHostPrefix,
} from "./http/hf-hosts.ts";
export { createHttpClient, type FetchLike } from "./http/hf-http.ts";
export { HfHttpError } from "./http/http-error.ts";
export {
  DEFAULT_JOB_TIMEOUT,
  HARDWARE_SIZING,
  MIN_TRAINING_TIMEOUT,
  renderHardwareSizing,
  renderJobsHardwareGuide,
  renderTimeoutGuide,
  SIZING_NOTES,
  type SizingRow,
} from "./jobs/hardware-guide.ts";
export {
  buildJobEnv,
  createHfJobsTool,
  JOB_OPERATIONS,
  jobsApproval,
  RUN_FOLLOW_DEFAULT_SECONDS,
  TOKEN_SECRET_NAMES,
} from "./jobs/hf-jobs.ts";
export { readJobLogs } from "./jobs/job-logs.ts";
export {
  buildJobSpec,
  estimateJobCost,
  looksLikeScriptPath,
  MAX_INLINE_SCRIPT_BYTES,
} from "./jobs/job-spec.ts";
export { createJobTracker, type JobTracker, type TrackedJob } from "./jobs/job-tracker.ts";
export {
  createTrackioSeeder,
  seedTrackioSpace,
  type TrackioDashboard,
  type TrackioSeedResult,
} from "./jobs/trackio-seed.ts";
export { createHfPapersTool } from "./papers/hf-papers.ts";
export {
  CPU_FLAVORS,
  createHardwarePriceCatalog,
  estimateHardwareCost,
  type HardwareOffer,
  type HardwarePrice,
  type HardwarePriceCatalog,
  type HardwarePriceCatalogOptions,
  isCpuFlavor,
  JOB_HARDWARE_PRICES_USD_PER_HOUR,
  parseHubHardware,
  parseTimeoutHours,
  SPACE_HARDWARE_PRICES_USD_PER_HOUR,
} from "./pricing/index.ts";
export { createHfRepoFilesTool } from "./repos/hf-repo-files.ts";
export { createHfRepoFilesWriteTool } from "./repos/hf-repo-files-write.ts";
export {
  createHfRepoGitDestructiveTool,
  createHfRepoGitTool,
  createHfRepoGitWriteTool,
} from "./repos/hf-repo-git.ts";
export { createHubRepoDetailsTool } from "./repos/hub-repo-details.ts";
export { createHubRepoSearchTool } from "./repos/hub-repo-search.ts";
export { ML_INTERN_TAG, PROVENANCE_LINE, provenanceReadme } from "./repos/provenance.ts";
export {
  type UploadSessionTraceOptions,
  type UploadSessionTraceResult,
  uploadSessionTrace,
} from "./trace/upload-session-trace.ts";
