import {
  createScheduledJob,
  deleteScheduledJob,
  getScheduledJob,
  listScheduledJobs,
  resumeScheduledJob,
  type SpaceHardwareFlavor,
  suspendScheduledJob,
} from "@huggingface/hub";
import {
  type ApprovalRequirement,
  defineTool,
  errorResult,
  type ToolContext,
  type ToolResult,
  textResult,
} from "@ml-intern/tool";
import { z } from "zod";
import { getWhoami } from "../account/whoami.ts";
import { mdCell } from "../format.ts";
import { createHfCall, type HfCall, type HfToolDeps } from "../hf-call.ts";
import { hfErrorResult, scrubTokens } from "../http/error-result.ts";
import { createHttpClient } from "../http/hf-http.ts";
import { HfHttpError } from "../http/http-error.ts";
import { DEFAULT_JOB_TIMEOUT, renderJobsHardwareGuide } from "./hardware-guide.ts";
import descriptionTemplate from "./hf-jobs.txt" with { type: "text" };
import { collapseInstallNoise, type ReadLogsResult, readJobLogs } from "./job-logs.ts";
import {
  type BuiltSpec,
  buildJobSpec,
  estimateJobCost,
  jobCostUsd,
  looksLikeScriptPath,
  QUIET_ENV,
  timeoutSeconds,
} from "./job-spec.ts";
import type { TrackedJob } from "./job-tracker.ts";
import {
  createJobsApi,
  isTerminalStage,
  type JobInfo,
  type JobSpecBody,
  type JobsApi,
  secretNames,
  stageOf,
} from "./jobs-api.ts";
import { isValidSpaceId, seedTrackioSpace, type TrackioDashboard } from "./trackio-seed.ts";

type ApiScheduledJob = Awaited<ReturnType<typeof getScheduledJob>>;

export const JOB_OPERATIONS = [
  "run",
  "uv",
  "ps",
  "logs",
  "inspect",
  "cancel",
  "hardware",
  "scheduled run",
  "scheduled uv",
  "scheduled ps",
  "scheduled inspect",
  "scheduled delete",
  "scheduled suspend",
  "scheduled resume",
] as const;

/** How long `run` follows a job by default before returning its id (the job keeps running). */
export const RUN_FOLLOW_DEFAULT_SECONDS = 1800;
const LOGS_FOLLOW_DEFAULT_SECONDS = 600;
const LOGS_DEFAULT_SECONDS = 30;
/** Job secrets that carry the user's token (huggingface_hub reads either). */
export const TOKEN_SECRET_NAMES = ["HF_TOKEN", "HUGGINGFACE_HUB_TOKEN"] as const;

const description = descriptionTemplate.replace("{{HARDWARE_GUIDE}}", renderJobsHardwareGuide()).trim();

const input = z.object({
  operation: z.enum(JOB_OPERATIONS).describe("What to do (see the description)."),
  script: z
    .string()
    .optional()
    .describe(
      "run/uv: Python for uv: a workspace/sandbox file path (shipped with the job), inline source, or a .py URL.",
    ),
  dependencies: z
    .array(z.string())
    .optional()
    .describe("run/uv: pip requirements installed with `uv run --with`."),
  python: z.string().optional().describe("run/uv: Python version for uv, e.g. '3.12'."),
  script_args: z.array(z.string()).optional().describe("run/uv: arguments passed to the script."),
  image: z
    .string()
    .optional()
    .describe("Docker image (default python:3.12; the uv image for scripts) or an hf.co/spaces/<id> URL."),
  command: z
    .array(z.string())
    .optional()
    .describe("run: the command to execute in `image`, as an argv array."),
  hardware_flavor: z
    .string()
    .optional()
    .describe(
      "Hardware flavor (default cpu-basic), e.g. t4-small, a10g-large, a100-large; prices: operation 'hardware'.",
    ),
  timeout: z
    .string()
    .optional()
    .describe(
      `Maximum run time: '${DEFAULT_JOB_TIMEOUT}' (default, smoke tests only), '2h', '1d' or seconds. Training needs hours.`,
    ),
  env: z
    .record(z.string(), z.string())
    .optional()
    .describe("Plain environment variables (not secret: never tokens)."),
  secrets: z
    .record(z.string(), z.string())
    .optional()
    .describe("Extra encrypted secret variables; the value '$HF_TOKEN' becomes the user's token."),
  include_hf_token: z
    .boolean()
    .optional()
    .describe(
      "Default true: the user's token goes to the job as secrets (see Token). false runs the job without it.",
    ),
  trackio_space_id: z
    .string()
    .optional()
    .describe("run: the Trackio dashboard Space ('<username>/ml-intern-<8 chars>'), created before the job."),
  trackio_project: z.string().optional().describe("run: Trackio project name."),
  namespace: z.string().optional().describe("Who runs and pays for the job (default: you)."),
  job_id: z.string().optional().describe("logs/inspect/cancel: the job id."),
  scheduled_job_id: z
    .string()
    .optional()
    .describe("scheduled inspect/delete/suspend/resume: the scheduled job id."),
  schedule: z
    .string()
    .optional()
    .describe("scheduled run/uv: '@hourly', '@daily', '@weekly', '@monthly' or a cron expression."),
  all: z.boolean().optional().describe("ps: include finished jobs; scheduled ps: include suspended ones."),
  status: z
    .string()
    .optional()
    .describe("ps: only jobs whose stage contains this text (e.g. 'error', 'completed')."),
  tail: z.number().int().min(1).max(10000).optional().describe("logs: only the last N lines of history."),
  follow: z
    .boolean()
    .optional()
    .describe(
      "run: default true, stream the logs until the job ends (up to max_wait_seconds); false returns once submitted. logs: stream until it ends.",
    ),
  max_wait_seconds: z
    .number()
    .int()
    .min(1)
    .max(3600)
    .optional()
    .describe(
      `run/logs: follow at most this long (the job keeps running). Default ${RUN_FOLLOW_DEFAULT_SECONDS} for run, ${LOGS_FOLLOW_DEFAULT_SECONDS} for logs with follow, ${LOGS_DEFAULT_SECONDS} otherwise.`,
    ),
  max_lines: z
    .number()
    .int()
    .min(10)
    .max(5000)
    .optional()
    .describe("run/logs: at most the last N log lines in the result (default 200)."),
});

type Args = z.infer<typeof input>;

function isScheduledMutation(op: string): boolean {
  return (
    op === "scheduled run" ||
    op === "scheduled uv" ||
    op === "scheduled delete" ||
    op === "scheduled suspend" ||
    op === "scheduled resume"
  );
}

const money = (usd: number | null): string => (usd === null ? "unknown" : `$${usd.toFixed(2)}`);

export function jobsApproval(
  deps: HfToolDeps,
  args: Args,
  confirmCpuJobs: boolean,
): ApprovalRequirement | null {
  const op = args.operation;
  // Warm the Hub price list for the next estimates (this one uses what is cached).
  void deps.prices.load();
  const cost = estimateJobCost(deps.prices, args.hardware_flavor, args.timeout);
  const costText = cost.usd === null ? "unknown cost" : `≈ ${money(cost.usd)} max`;
  if (op === "run" || op === "uv") {
    if (!cost.gpu && !confirmCpuJobs) return null;
    return {
      kind: "spend",
      reason: `Run a ${cost.gpu ? "GPU" : "CPU"} job on ${cost.flavor} for up to ${args.timeout ?? DEFAULT_JOB_TIMEOUT} (${costText})`,
      estimatedCostUsd: cost.usd,
    };
  }
  if (isScheduledMutation(op)) {
    const what =
      op === "scheduled run" || op === "scheduled uv"
        ? ` (${args.schedule ?? "no schedule"}, ${cost.flavor}, ${costText} per run)`
        : ` ${args.scheduled_job_id ?? ""}`;
    return { kind: "scheduled", reason: `${op}${what}`, estimatedCostUsd: cost.usd, alwaysAsk: true };
  }
  return null;
}

async function resolveNamespace(
  deps: HfToolDeps,
  call: HfCall,
  requested: string | undefined,
): Promise<string | ToolResult> {
  const me = await getWhoami(deps, call);
  const eligible = [me.name, ...me.orgs.map((o) => o.name)].filter(Boolean);
  if (!requested) return me.name || eligible[0] || errorResult("Could not determine a namespace for jobs.");
  if (!eligible.includes(requested)) {
    return errorResult(
      `You cannot run jobs in namespace '${requested}'. Allowed namespaces: ${eligible.join(", ")}.`,
    );
  }
  return requested;
}

function jobUrl(call: HfCall, ns: string, id: string): string {
  return `${call.config.hubUrl}/jobs/${ns}/${id}`;
}

/** The command as shown to the model: an inline script's base64 blob is replaced by its size. */
export function displayCommand(command: readonly string[] | null | undefined): string {
  return (command ?? [])
    .map((part) =>
      part.replace(
        /echo "([A-Za-z0-9+/=]{40,})" \| base64 -d \| /,
        (_m, b64: string) => `<inline script, ${Math.floor((b64.length * 3) / 4)} bytes> | `,
      ),
    )
    .join(" ");
}

function summarizeJob(job: JobInfo): Record<string, unknown> {
  return {
    id: job.id,
    stage: stageOf(job),
    message: job.status?.message ?? null,
    flavor: job.flavor,
    image: job.dockerImage ?? job.spaceId ?? null,
    command: displayCommand(job.command),
    createdAt: job.createdAt ?? null,
    timeoutSeconds: job.timeoutSeconds ?? null,
    owner: job.owner?.name,
    secretNames: secretNames(job),
  };
}

function isTokenRef(value: string): boolean {
  return value === "$HF_TOKEN" || value === ["$", "{HF_TOKEN}"].join("");
}

interface JobEnv {
  environment: Record<string, string>;
  secrets: Record<string, string>;
}

/**
 * Environment and secrets for a job. The token goes only into `secrets` (HF_TOKEN and HUGGINGFACE_HUB_TOKEN,
 * unless `include_hf_token` is false); a token or `$HF_TOKEN` given in `env` is moved to `secrets`.
 */
export function buildJobEnv(
  args: Pick<Args, "env" | "secrets" | "include_hf_token">,
  token: string | undefined,
  extraEnv: Record<string, string> = {},
): JobEnv | string {
  const secrets: Record<string, string> = {};
  const environment: Record<string, string> = { ...QUIET_ENV };
  const needToken = (key: string): string | undefined => {
    if (!token) return `${key} asks for $HF_TOKEN but no HF token is configured.`;
    return undefined;
  };
  for (const [key, value] of Object.entries(args.env ?? {})) {
    if (isTokenRef(value) || (token && value === token)) {
      const problem = needToken(key);
      if (problem) return problem;
      secrets[key] = token ?? "";
    } else environment[key] = value;
  }
  for (const [key, value] of Object.entries(args.secrets ?? {})) {
    if (isTokenRef(value)) {
      const problem = needToken(key);
      if (problem) return problem;
      secrets[key] = token ?? "";
    } else secrets[key] = value;
  }
  if (args.include_hf_token !== false) {
    if (!token)
      return "No HF token is configured to pass to the job (set include_hf_token: false to run without).";
    for (const name of TOKEN_SECRET_NAMES) secrets[name] = token;
  }
  Object.assign(environment, extraEnv);
  for (const key of Object.keys(secrets)) delete environment[key];
  return { environment, secrets };
}

/** Removes the token (exactly, and anything token-shaped) from text bound for the model or a log. */
function redactor(token: string | undefined): (text: string) => string {
  return (text) => scrubTokens(token ? text.split(token).join("hf_***") : text);
}

async function resolveScript(deps: HfToolDeps, call: HfCall, args: Args): Promise<BuiltSpec | string> {
  const script = args.script;
  if (script && looksLikeScriptPath(script) && deps.readWorkspaceFile) {
    let content: string;
    try {
      content = await deps.readWorkspaceFile(script, call.signal);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return `Could not read the script '${script}' from the workspace: ${message}\nWrite it first (write tool), pass the code inline, or give a URL.`;
    }
    if (!content.trim()) return `The script '${script}' is empty.`;
    return buildJobSpec({ ...args, script: content }, { inline: true });
  }
  return buildJobSpec(args);
}

function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h ? `${h}h ${m}m` : m ? `${m}m ${s % 60}s` : `${s}s`;
}

function runningSeconds(job: JobInfo | undefined, fallbackSeconds: number): number {
  const secs = job?.durations?.runningSecs;
  if (typeof secs === "number") return secs;
  if (job?.startedAt) {
    const end = job.finishedAt ? Date.parse(job.finishedAt) : Date.now();
    const start = Date.parse(job.startedAt);
    if (Number.isFinite(start) && Number.isFinite(end)) return Math.max(0, (end - start) / 1000);
  }
  return fallbackSeconds;
}

function renderLogs(result: ReadLogsResult, maxLines: number, redact: (t: string) => string) {
  const all = collapseInstallNoise(result.lines.map((l) => l.text));
  const shown = all.slice(-maxLines);
  const omitted = all.length - shown.length;
  const header = `Logs (${omitted > 0 ? `last ${shown.length} of ${all.length} lines` : `${all.length} lines`}${result.reconnects ? `, stream reconnected ${result.reconnects}×` : ""}):`;
  const body = shown.length ? `\`\`\`\n${redact(shown.join("\n"))}\n\`\`\`` : "No logs yet.";
  return { text: `${header}\n${body}`, shown: shown.length, total: all.length };
}

function followHint(jobId: string): string {
  return `hf_jobs {"operation":"logs","job_id":"${jobId}","follow":true}`;
}

/** Cancels a job with its own short deadline (the call's signal may already be aborted). */
function cancelFor(deps: HfToolDeps, call: HfCall, ns: string, id: string): () => Promise<void> {
  return async () => {
    const http = createHttpClient({
      fetch: deps.fetch,
      config: deps.config,
      signal: AbortSignal.timeout(15_000),
      ...(call.token ? { hfToken: call.token } : {}),
    });
    await createJobsApi(http, deps.config.hubUrl).cancel(ns, id);
  };
}

async function prepareTrackio(
  call: HfCall,
  args: Args,
  ns: string,
  ctx: ToolContext,
  redact: (t: string) => string,
): Promise<{ dashboard?: TrackioDashboard; env: Record<string, string>; note?: string } | string> {
  if (!args.trackio_space_id) return { env: {} };
  const spaceId = args.trackio_space_id.includes("/")
    ? args.trackio_space_id
    : `${ns}/${args.trackio_space_id}`;
  if (!isValidSpaceId(spaceId))
    return `Invalid trackio_space_id '${args.trackio_space_id}': use 'owner/name'.`;
  const seeded = await seedTrackioSpace(call, spaceId, args.trackio_project, (m) => ctx.log(redact(m)));
  return {
    dashboard: seeded.dashboard,
    env: {
      TRACKIO_SPACE_ID: spaceId,
      ...(args.trackio_project ? { TRACKIO_PROJECT: args.trackio_project } : {}),
    },
    ...(seeded.status === "failed"
      ? {
          note: `Trackio dashboard not prepared (${redact(seeded.error ?? "unknown error")}); metrics may not show.`,
        }
      : {}),
  };
}

async function runOrSchedule(
  deps: HfToolDeps,
  call: HfCall,
  api: JobsApi,
  args: Args,
  ns: string,
  ctx: ToolContext,
): Promise<ToolResult> {
  const scheduled = args.operation.startsWith("scheduled");
  const redact = redactor(call.token);
  await deps.prices.load(call.signal);
  const spec = await resolveScript(deps, call, args);
  if (typeof spec === "string") return errorResult(spec);
  const flavor = args.hardware_flavor ?? "cpu-basic";
  const timeoutText = args.timeout ?? DEFAULT_JOB_TIMEOUT;
  const timeout = timeoutSeconds(timeoutText);
  if (timeout === undefined)
    return errorResult(`Invalid timeout '${args.timeout}'. Use e.g. '30m', '2h', '1d' or seconds.`);
  const cost = estimateJobCost(deps.prices, flavor, timeoutText);
  if (scheduled) {
    if (!args.schedule)
      return errorResult("Scheduled jobs need `schedule` ('@hourly', '@daily', … or cron).");
    const jobEnv = buildJobEnv(args, call.token);
    if (typeof jobEnv === "string") return errorResult(jobEnv);
    const s = await createScheduledJob({
      ...call.hub,
      accessToken: call.token ?? "",
      namespace: ns,
      schedule: args.schedule,
      jobSpec: {
        ...(spec.dockerImage ? { dockerImage: spec.dockerImage } : {}),
        ...(spec.spaceId ? { spaceId: spec.spaceId } : {}),
        command: spec.command,
        environment: jobEnv.environment,
        ...(Object.keys(jobEnv.secrets).length ? { secrets: jobEnv.secrets } : {}),
        flavor: flavor as SpaceHardwareFlavor,
        timeoutSeconds: timeout,
      },
    });
    return textResult(
      `Scheduled job created: ${s.id}\nSchedule: ${s.schedule} · Suspended: ${s.suspend} · ${flavor}, timeout ${timeoutText}\nManage it with hf_jobs "scheduled inspect" / "scheduled suspend" / "scheduled delete" and scheduled_job_id="${s.id}".`,
      { scheduledJob: { id: s.id, schedule: s.schedule, suspend: s.suspend } },
    );
  }
  const trackio = await prepareTrackio(call, args, ns, ctx, redact);
  if (typeof trackio === "string") return errorResult(trackio);
  const jobEnv = buildJobEnv(args, call.token, trackio.env);
  if (typeof jobEnv === "string") return errorResult(jobEnv);
  const body: JobSpecBody = {
    ...(spec.dockerImage ? { dockerImage: spec.dockerImage } : {}),
    ...(spec.spaceId ? { spaceId: spec.spaceId } : {}),
    command: spec.command,
    arguments: [],
    environment: jobEnv.environment,
    ...(Object.keys(jobEnv.secrets).length ? { secrets: jobEnv.secrets } : {}),
    flavor,
    timeoutSeconds: timeout,
  };
  const job = await api.run(ns, body);
  const url = jobUrl(call, ns, job.id);
  const startedAt = deps.now();
  const tracked: TrackedJob = { id: job.id, namespace: ns, url, cancel: cancelFor(deps, call, ns, job.id) };
  deps.jobTracker.track(tracked);
  ctx.log(`Job ${job.id} submitted (${flavor}): ${url}`, { label: "hf_jobs" });
  if (trackio.dashboard) ctx.log(`Trackio dashboard: ${trackio.dashboard.url}`, { label: "hf_jobs" });
  const kind = spec.mode === "python" ? "Python" : "Docker";
  const price = cost.usdPerHour === null ? "unknown price" : `$${cost.usdPerHour.toFixed(2)}/h`;
  const headLines = [
    `Hardware: ${flavor} (${price}) · Timeout: ${timeoutText} · Max cost: ${money(cost.usd)}`,
    `View at: ${url}`,
    ...(trackio.dashboard
      ? [
          `Trackio dashboard: ${trackio.dashboard.url}${trackio.dashboard.project ? ` (project ${trackio.dashboard.project})` : ""}`,
        ]
      : []),
    ...(trackio.note ? [trackio.note] : []),
    `HF token: ${args.include_hf_token === false ? "not passed" : "passed as the secrets HF_TOKEN and HUGGINGFACE_HUB_TOKEN"}.`,
  ];
  const structured: Record<string, unknown> = {
    job: summarizeJob(job),
    url,
    estimatedCostUsd: cost.usd,
    priceSource: cost.priceSource,
    ...(trackio.dashboard ? { trackio: trackio.dashboard } : {}),
  };
  if (args.follow === false) {
    return textResult(
      `${kind} job submitted: ${job.id} (${stageOf(job)})\n${headLines.join("\n")}\nFollow it with ${followHint(job.id)}. It is cancelled if this turn is interrupted.`,
      structured,
    );
  }
  const maxWait = args.max_wait_seconds ?? RUN_FOLLOW_DEFAULT_SECONDS;
  const logs = await followJob(deps, call, api, ns, job.id, { follow: true, maxWaitSeconds: maxWait }, ctx);
  const rendered = renderLogs(logs, args.max_lines ?? 200, redact);
  const finalStage = logs.finalStage ?? stageOf(logs.job ?? job);
  if (logs.stopReason === "cancelled") {
    let cancelled = false;
    try {
      await tracked.cancel();
      cancelled = true;
    } catch (error) {
      ctx.log(redact(`Could not cancel job ${job.id}: ${error instanceof Error ? error.message : error}`));
    }
    deps.jobTracker.untrack(job.id);
    return errorResult(
      `Interrupted: ${cancelled ? `job ${job.id} was cancelled on the Hub` : `job ${job.id} could NOT be cancelled; cancel it with hf_jobs {"operation":"cancel","job_id":"${job.id}"}`}.\n${rendered.text}`,
      { ...structured, cancelled, stopReason: "cancelled" },
    );
  }
  if (logs.stopReason === "finished" || isTerminalStage(finalStage)) {
    deps.jobTracker.untrack(job.id);
    const ran = runningSeconds(logs.job, (deps.now() - startedAt) / 1000);
    const actual = jobCostUsd(deps.prices, flavor, ran);
    const message = logs.job?.status?.message;
    const text = [
      `${kind} job ${job.id} finished: ${finalStage}${message ? ` — ${redact(message)}` : ""}`,
      ...headLines,
      `Ran ${formatDuration(ran)} · Cost ≈ ${money(actual)}`,
      rendered.text,
    ].join("\n");
    return {
      text,
      structured: {
        ...structured,
        job: summarizeJob(logs.job ?? job),
        finalStage,
        stopReason: "finished",
        logLines: rendered.total,
        actualCostUsd: actual,
      },
      ...(actual !== null ? { meta: { actualCostUsd: actual } } : {}),
    };
  }
  const why =
    logs.stopReason === "time_limit"
      ? `Still ${finalStage} after following for ${maxWait}s`
      : logs.stopReason === "reconnect_limit"
        ? `The log stream kept dropping; the job is ${finalStage}`
        : `The log stream ended; the job is ${finalStage}`;
  return textResult(
    `${kind} job ${job.id}: ${why}. It keeps running (not cancelled).\n${headLines.join("\n")}\nKeep following with ${followHint(job.id)}, or check it with hf_jobs {"operation":"inspect","job_id":"${job.id}"}.\n${rendered.text}`,
    { ...structured, finalStage, stopReason: logs.stopReason, logLines: rendered.total },
  );
}

function followJob(
  deps: HfToolDeps,
  call: HfCall,
  api: JobsApi,
  ns: string,
  jobId: string,
  options: { follow: boolean; maxWaitSeconds: number; tail?: number },
  ctx: ToolContext,
): Promise<ReadLogsResult> {
  const redact = redactor(call.token);
  return readJobLogs(deps, call, {
    namespace: ns,
    jobId,
    ...(options.tail ? { tail: options.tail } : {}),
    follow: options.follow,
    maxWaitMs: options.maxWaitSeconds * 1000,
    getJob: () => api.get(ns, jobId),
    onLine: (line, count) => {
      ctx.log(redact(line.text), { label: "hf_jobs" });
      ctx.progress(count, undefined, `${count} log lines`);
    },
  });
}

async function logsFor(
  deps: HfToolDeps,
  call: HfCall,
  api: JobsApi,
  args: Args,
  ns: string,
  ctx: ToolContext,
): Promise<ToolResult> {
  const jobId = args.job_id;
  if (!jobId) return errorResult("logs needs `job_id`.");
  const follow = args.follow ?? false;
  const maxWait = args.max_wait_seconds ?? (follow ? LOGS_FOLLOW_DEFAULT_SECONDS : LOGS_DEFAULT_SECONDS);
  const result = await followJob(
    deps,
    call,
    api,
    ns,
    jobId,
    { follow, maxWaitSeconds: maxWait, ...(args.tail ? { tail: args.tail } : {}) },
    ctx,
  );
  const redact = redactor(call.token);
  const rendered = renderLogs(result, args.max_lines ?? 200, redact);
  if (result.stopReason === "finished") deps.jobTracker.untrack(jobId);
  const status =
    result.stopReason === "finished"
      ? `Job finished: ${result.finalStage}`
      : result.stopReason === "time_limit"
        ? `Stopped after ${maxWait}s (job still ${result.finalStage ?? "running"}); keep following with ${followHint(jobId)}.`
        : result.stopReason === "cancelled"
          ? "Cancelled (the job itself keeps running)."
          : result.stopReason === "reconnect_limit"
            ? "Gave up after too many reconnects; the job may still be running."
            : `No new lines (job stage: ${result.finalStage ?? "unknown"}).`;
  return textResult(`Job ${jobId}\n${rendered.text}\n${status}`, {
    jobId,
    lines: rendered.shown,
    totalLines: rendered.total,
    stopReason: result.stopReason,
    finalStage: result.finalStage ?? null,
    reconnects: result.reconnects,
  });
}

function renderJobsTable(jobs: JobInfo[]): string {
  const rows = jobs.map(
    (j) =>
      `| ${j.id} | ${mdCell(j.dockerImage ?? j.spaceId, 20)} | ${mdCell(displayCommand(j.command), 30)} | ${(j.createdAt ?? "").replace("T", " ").slice(0, 19)} | ${stageOf(j)} |`,
  );
  return ["| JOB ID | IMAGE/SPACE | COMMAND | CREATED | STATUS |", "|---|---|---|---|---|", ...rows].join(
    "\n",
  );
}

function renderScheduled(items: ApiScheduledJob[]): string {
  const rows = items.map((s) => {
    const status = (
      s as ApiScheduledJob & { status?: { lastJob?: { at?: string } | null; nextJobRunAt?: string | null } }
    ).status;
    return `| ${s.id} | ${mdCell(s.schedule, 12)} | ${mdCell(s.jobSpec.dockerImage ?? s.jobSpec.spaceId, 18)} | ${mdCell(displayCommand(s.jobSpec.command), 25)} | ${status?.lastJob?.at ?? "-"} | ${status?.nextJobRunAt ?? "-"} | ${s.suspend} |`;
  });
  return [
    "| ID | SCHEDULE | IMAGE/SPACE | COMMAND | LAST RUN | NEXT RUN | SUSPENDED |",
    "|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** The default `ps` view: jobs that cost money now or will soon. */
const ACTIVE_STAGES = ["RUNNING", "SCHEDULING"] as const;

async function hardwareTable(deps: HfToolDeps, call: HfCall): Promise<ToolResult> {
  await deps.prices.load(call.signal);
  const offers = deps.prices.offers();
  if (offers.length === 0) {
    return errorResult(
      "Could not load the hardware list from the Hub (GET /api/jobs/hardware). Estimates use a static fallback table until it answers.",
    );
  }
  const rows = offers.map(
    (h) =>
      `| ${h.name} | ${h.cpu ?? "-"} | ${h.ram ?? "-"} | ${h.accelerator ?? "-"} | $${h.usdPerHour.toFixed(2)}/h |`,
  );
  return textResult(
    ["| FLAVOR | CPU | RAM | ACCELERATOR | PRICE |", "|---|---|---|---|---|", ...rows].join("\n"),
    {
      hardware: offers.map((h) => ({
        name: h.name,
        pricePerHourUsd: h.usdPerHour,
        accelerator: h.accelerator ?? null,
      })),
    },
  );
}

async function execute(deps: HfToolDeps, call: HfCall, args: Args, ctx: ToolContext): Promise<ToolResult> {
  const op = args.operation;
  const auth = { ...call.hub, accessToken: call.token ?? "" };
  const api = createJobsApi(call.http, call.config.hubUrl);
  if (op === "hardware") return hardwareTable(deps, call);
  const ns = await resolveNamespace(deps, call, args.namespace);
  if (typeof ns !== "string") return ns;
  switch (op) {
    case "run":
    case "uv":
    case "scheduled run":
    case "scheduled uv":
      if (op.endsWith("uv") && !args.script)
        return errorResult(`${op} needs \`script\` (a workspace file, Python source or URL).`);
      return runOrSchedule(deps, call, api, args, ns, ctx);
    case "ps": {
      const filterByStatus = args.status?.toUpperCase();
      const jobs = await api.list(ns, args.all || filterByStatus ? undefined : ACTIVE_STAGES);
      const filtered = jobs
        .filter((j) =>
          filterByStatus
            ? stageOf(j).toUpperCase().includes(filterByStatus)
            : args.all || (ACTIVE_STAGES as readonly string[]).includes(stageOf(j)),
        )
        .sort((a, b) => (b.createdAt ?? "").localeCompare(a.createdAt ?? ""));
      if (filtered.length === 0) {
        return textResult(
          `No ${args.all || args.status ? "matching" : "running or scheduling"} jobs in ${ns}.${args.all ? "" : " Use all=true to include finished jobs."}`,
          { jobs: [] },
        );
      }
      const shown = filtered.slice(0, 50);
      return textResult(
        `Jobs in ${ns} (${filtered.length}${filtered.length > shown.length ? `, newest ${shown.length} shown` : ""}):\n${renderJobsTable(shown)}`,
        { jobs: shown.map(summarizeJob), total: filtered.length },
      );
    }
    case "logs":
      return logsFor(deps, call, api, args, ns, ctx);
    case "inspect": {
      if (!args.job_id) return errorResult("inspect needs `job_id`.");
      const job = await api.get(ns, args.job_id);
      const summary = summarizeJob(job);
      return textResult(
        `\`\`\`json\n${JSON.stringify(summary, null, 2)}\n\`\`\`\n${jobUrl(call, ns, job.id)}`,
        { job: summary },
      );
    }
    case "cancel": {
      if (!args.job_id) return errorResult("cancel needs `job_id`.");
      await api.cancel(ns, args.job_id);
      deps.jobTracker.untrack(args.job_id);
      return textResult(
        `Cancellation requested for job ${args.job_id}. Check it with hf_jobs {"operation":"inspect","job_id":"${args.job_id}"}.`,
        { jobId: args.job_id, cancelled: true },
      );
    }
    case "scheduled ps": {
      const items = (await listScheduledJobs({ ...auth, namespace: ns })).filter(
        (s) => args.all || !s.suspend,
      );
      if (items.length === 0)
        return textResult(`No ${args.all ? "" : "active "}scheduled jobs in ${ns}.`, { scheduledJobs: [] });
      return textResult(`Scheduled jobs in ${ns}:\n${renderScheduled(items)}`, {
        scheduledJobs: items.map((s) => ({ id: s.id, schedule: s.schedule, suspend: s.suspend })),
      });
    }
    default: {
      const id = args.scheduled_job_id;
      if (!id) return errorResult(`${op} needs \`scheduled_job_id\`.`);
      if (op === "scheduled inspect") {
        const s = await getScheduledJob({ ...auth, namespace: ns, jobId: id });
        const { jobSpec, ...rest } = s;
        const safe = {
          ...rest,
          jobSpec: { ...jobSpec, command: displayCommand(jobSpec.command), secrets: undefined },
        };
        return textResult(`\`\`\`json\n${JSON.stringify(safe, null, 2)}\n\`\`\``, { scheduledJob: safe });
      }
      if (op === "scheduled delete") await deleteScheduledJob({ ...auth, namespace: ns, jobId: id });
      else if (op === "scheduled suspend") await suspendScheduledJob({ ...auth, namespace: ns, jobId: id });
      else await resumeScheduledJob({ ...auth, namespace: ns, jobId: id });
      const verb =
        op === "scheduled delete" ? "deleted" : op === "scheduled suspend" ? "suspended" : "resumed";
      return textResult(`Scheduled job ${id} ${verb}.`, { scheduledJobId: id, action: verb });
    }
  }
}

const BILLING =
  /\b402\b|insufficient credit|out of credits|no credits|add credits|requires? credits?|payment required|billing|credits? (exhausted|used up|limit)/i;

export function createHfJobsTool(deps: HfToolDeps, options: { confirmCpuJobs?: boolean } = {}) {
  return defineTool({
    name: "hf_jobs",
    description,
    toolset: "hf-jobs",
    input,
    annotations: {
      title: "Hugging Face Jobs",
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    },
    longRunning: true,
    needsApproval: (args) => jobsApproval(deps, args, options.confirmCpuJobs ?? true),
    async execute(args, ctx) {
      const call = createHfCall(deps, ctx);
      if (!call.token) {
        return errorResult(
          "HF Jobs need a Hugging Face token (and credits on the namespace). Set HF_TOKEN from https://huggingface.co/settings/tokens.",
        );
      }
      try {
        return await execute(deps, call, args, ctx);
      } catch (error) {
        const message = error instanceof Error ? error.message : "";
        if ((error instanceof HfHttpError && error.status === 402) || BILLING.test(message)) {
          return errorResult(
            `The job was refused for billing reasons: ${redactor(call.token)(message)}\nThe namespace needs credits: add them at https://huggingface.co/settings/billing, then run it again.`,
            { billingRequired: true },
          );
        }
        return hfErrorResult(error, call, { action: `${args.operation} (hf_jobs)` });
      }
    },
  });
}
