import {
  cancelJob,
  createScheduledJob,
  deleteScheduledJob,
  getJob,
  getScheduledJob,
  listJobHardware,
  listJobs,
  listScheduledJobs,
  resumeScheduledJob,
  runJob,
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
} from "@ml-intern/core";
import { z } from "zod";
import { getWhoami } from "../account/whoami.ts";
import { mdCell } from "../format.ts";
import { createHfCall, type HfCall, type HfToolDeps } from "../hf-call.ts";
import { hfErrorResult, scrubTokens } from "../http/error-result.ts";
import description from "./hf-jobs.txt" with { type: "text" };
import { collapseInstallNoise, readJobLogs } from "./job-logs.ts";
import { buildJobSpec, estimateJobCost, QUIET_ENV, timeoutSeconds } from "./job-spec.ts";

type ApiJob = Awaited<ReturnType<typeof getJob>>;
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

const input = z.object({
  operation: z
    .enum(JOB_OPERATIONS)
    .describe("What to do. 'uv' is 'run' with a Python script; 'scheduled …' manage recurring jobs."),
  script: z
    .string()
    .optional()
    .describe("run/uv: Python source (inline, multi-line), a URL to a .py file, or a path inside the image."),
  dependencies: z
    .array(z.string())
    .optional()
    .describe("run/uv: pip requirements installed with `uv run --with`."),
  python: z.string().optional().describe("run/uv: Python version for uv, e.g. '3.12'."),
  script_args: z.array(z.string()).optional().describe("run/uv: arguments passed to the script."),
  image: z
    .string()
    .optional()
    .describe(
      "Docker image (default python:3.12 for commands, the uv image for scripts) or an hf.co/spaces/<id> URL.",
    ),
  command: z
    .array(z.string())
    .optional()
    .describe("run: the command to execute in `image`, as an argv array."),
  hardware_flavor: z
    .string()
    .optional()
    .describe(
      "Hardware flavor, e.g. cpu-basic (default), t4-small, a10g-large, a100-large, h200. See operation 'hardware'.",
    ),
  timeout: z
    .string()
    .optional()
    .describe("Maximum run time: '30m' (default), '2h', '1d' or seconds. Training needs hours."),
  env: z
    .record(z.string(), z.string())
    .optional()
    .describe("Environment variables for the job (not secret)."),
  secrets: z
    .record(z.string(), z.string())
    .optional()
    .describe(
      "Secret environment variables (encrypted server-side). A value of exactly '$HF_TOKEN' is replaced by the user's token.",
    ),
  include_hf_token: z
    .boolean()
    .optional()
    .describe(
      "Pass the user's HF token to the job as the HF_TOKEN secret (needed to push to the Hub or read private/gated repos). Default false.",
    ),
  namespace: z
    .string()
    .optional()
    .describe("User or organization that runs and pays for the job (default: your username)."),
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
      "logs: keep streaming until the job finishes (reconnecting if the stream drops). run: wait and stream logs after submitting.",
    ),
  max_wait_seconds: z
    .number()
    .int()
    .min(1)
    .max(3600)
    .optional()
    .describe("logs/follow: stop waiting after this many seconds (default 30, or 600 when following)."),
  max_lines: z
    .number()
    .int()
    .min(10)
    .max(5000)
    .optional()
    .describe("logs: show at most the last N lines in the result (default 200)."),
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

export function jobsApproval(args: Args, confirmCpuJobs: boolean): ApprovalRequirement | null {
  const op = args.operation;
  const cost = estimateJobCost(args.hardware_flavor, args.timeout);
  const costText = cost.usd === null ? "unknown cost" : `≈ $${cost.usd.toFixed(2)} max`;
  if (op === "run" || op === "uv") {
    if (!cost.gpu && !confirmCpuJobs) return null;
    return {
      kind: "spend",
      reason: `Run a ${cost.gpu ? "GPU" : "CPU"} job on ${cost.flavor} for up to ${args.timeout ?? "30m"} (${costText})`,
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

function summarizeJob(job: ApiJob): Record<string, unknown> {
  return {
    id: job.id,
    stage: job.status?.stage,
    message: job.status?.message ?? null,
    flavor: job.flavor,
    image: job.dockerImage ?? job.spaceId ?? null,
    command: job.command ?? [],
    createdAt: job.createdAt,
    timeoutSeconds: job.timeoutSeconds ?? null,
    owner: job.owner?.name,
    secretNames: job.secrets ?? [],
  };
}

function buildSecrets(args: Args, token: string | undefined): Record<string, string> | string {
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(args.secrets ?? {})) {
    if (value === "$HF_TOKEN" || value === ["$", "{HF_TOKEN}"].join("")) {
      if (!token) return `Secret ${key} asks for $HF_TOKEN but no HF token is configured.`;
      secrets[key] = token;
    } else secrets[key] = value;
  }
  if (args.include_hf_token) {
    if (!token) return "include_hf_token is set but no HF token is configured.";
    secrets.HF_TOKEN = token;
  }
  return secrets;
}

async function runOrSchedule(
  deps: HfToolDeps,
  call: HfCall,
  args: Args,
  ns: string,
  ctx: ToolContext,
): Promise<ToolResult> {
  const scheduled = args.operation.startsWith("scheduled");
  const spec = buildJobSpec(args);
  if (typeof spec === "string") return errorResult(spec);
  const secrets = buildSecrets(args, call.token);
  if (typeof secrets === "string") return errorResult(secrets);
  const flavor = (args.hardware_flavor ?? "cpu-basic") as SpaceHardwareFlavor;
  const timeout = timeoutSeconds(args.timeout ?? "30m");
  if (timeout === undefined)
    return errorResult(`Invalid timeout '${args.timeout}'. Use e.g. '30m', '2h', '1d' or seconds.`);
  const common = {
    ...(spec.dockerImage ? { dockerImage: spec.dockerImage } : {}),
    ...(spec.spaceId ? { spaceId: spec.spaceId } : {}),
    command: spec.command,
    environment: { ...QUIET_ENV, ...(args.env ?? {}) },
    ...(Object.keys(secrets).length ? { secrets } : {}),
    flavor,
    timeoutSeconds: timeout,
  };
  const cost = estimateJobCost(flavor, args.timeout ?? "30m");
  if (scheduled) {
    if (!args.schedule)
      return errorResult("Scheduled jobs need `schedule` ('@hourly', '@daily', … or cron).");
    const s = await createScheduledJob({
      ...call.hub,
      accessToken: call.token ?? "",
      namespace: ns,
      schedule: args.schedule,
      jobSpec: common,
    });
    return textResult(
      `Scheduled job created: ${s.id}\nSchedule: ${s.schedule} · Suspended: ${s.suspend} · ${flavor}, timeout ${args.timeout ?? "30m"}\nManage it with hf_jobs "scheduled inspect" / "scheduled suspend" / "scheduled delete" and scheduled_job_id="${s.id}".`,
      { scheduledJob: { id: s.id, schedule: s.schedule, suspend: s.suspend } },
    );
  }
  const job = await runJob({ ...call.hub, accessToken: call.token ?? "", namespace: ns, ...common });
  const url = jobUrl(call, ns, job.id);
  ctx.log(`Job ${job.id} submitted: ${url}`);
  const head = `${spec.mode === "python" ? "Python" : "Docker"} job submitted: ${job.id}\nHardware: ${flavor} · Timeout: ${args.timeout ?? "30m"} · Max cost: ${cost.usd === null ? "unknown" : `$${cost.usd.toFixed(2)}`}\nView at: ${url}`;
  const structured = { job: summarizeJob(job), url, estimatedCostUsd: cost.usd };
  if (!args.follow) {
    return textResult(
      `${head}\nFollow it with hf_jobs {"operation":"logs","job_id":"${job.id}","follow":true}.`,
      structured,
    );
  }
  const logs = await logsFor(deps, call, { ...args, job_id: job.id }, ns, ctx);
  return { ...logs, text: `${head}\n\n${logs.text}`, structured: { ...structured, ...logs.structured } };
}

async function logsFor(
  deps: HfToolDeps,
  call: HfCall,
  args: Args,
  ns: string,
  ctx: ToolContext,
): Promise<ToolResult> {
  const jobId = args.job_id;
  if (!jobId) return errorResult("logs needs `job_id`.");
  const follow = args.follow ?? false;
  const result = await readJobLogs(deps, call, {
    namespace: ns,
    jobId,
    ...(args.tail ? { tail: args.tail } : {}),
    follow,
    maxWaitSeconds: args.max_wait_seconds ?? (follow ? 600 : 30),
    getStage: async () =>
      (await getJob({ ...call.hub, accessToken: call.token ?? "", namespace: ns, jobId })).status?.stage ??
      "UNKNOWN",
    onLine: (line, count) => {
      ctx.log(line.text, { label: "hf_jobs" });
      ctx.progress(count, undefined, `${count} log lines`);
    },
  });
  const all = collapseInstallNoise(result.lines.map((l) => l.text));
  const max = args.max_lines ?? 200;
  const shown = all.slice(-max);
  const omitted = all.length - shown.length;
  const status =
    result.stopReason === "finished"
      ? `Job finished: ${result.finalStage}`
      : result.stopReason === "time_limit"
        ? `Stopped after ${args.max_wait_seconds ?? (follow ? 600 : 30)}s (job still ${result.finalStage ?? "running"}); call logs again with follow=true to keep watching.`
        : result.stopReason === "cancelled"
          ? "Cancelled."
          : result.stopReason === "reconnect_limit"
            ? "Gave up after too many reconnects; the job may still be running."
            : `Log stream ended (job stage: ${result.finalStage ?? "unknown"}).`;
  const reconnectNote = result.reconnects ? ` (stream reconnected ${result.reconnects}×)` : "";
  const body = shown.length ? `\`\`\`\n${scrubTokens(shown.join("\n"))}\n\`\`\`` : "No logs available yet.";
  return textResult(
    `Logs of ${jobId}${omitted > 0 ? ` (last ${shown.length} of ${all.length} lines)` : ""}${reconnectNote}:\n${body}\n${status}`,
    {
      jobId,
      lines: shown.length,
      totalLines: all.length,
      stopReason: result.stopReason,
      finalStage: result.finalStage ?? null,
      reconnects: result.reconnects,
    },
  );
}

function renderJobsTable(jobs: ApiJob[]): string {
  const rows = jobs.map(
    (j) =>
      `| ${j.id} | ${mdCell(j.dockerImage ?? j.spaceId, 20)} | ${mdCell((j.command ?? []).join(" "), 30)} | ${j.createdAt.replace("T", " ").slice(0, 19)} | ${j.status?.stage ?? "?"} |`,
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
    return `| ${s.id} | ${mdCell(s.schedule, 12)} | ${mdCell(s.jobSpec.dockerImage ?? s.jobSpec.spaceId, 18)} | ${mdCell((s.jobSpec.command ?? []).join(" "), 25)} | ${status?.lastJob?.at ?? "-"} | ${status?.nextJobRunAt ?? "-"} | ${s.suspend} |`;
  });
  return [
    "| ID | SCHEDULE | IMAGE/SPACE | COMMAND | LAST RUN | NEXT RUN | SUSPENDED |",
    "|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

async function execute(deps: HfToolDeps, call: HfCall, args: Args, ctx: ToolContext): Promise<ToolResult> {
  const op = args.operation;
  const auth = { ...call.hub, accessToken: call.token ?? "" };
  if (op === "hardware") {
    const hw = await listJobHardware({ ...call.hub });
    const rows = hw.map(
      (h) =>
        `| ${h.name} | ${h.cpu} | ${h.ram} | ${h.accelerator ? `${h.accelerator.quantity}× ${h.accelerator.model} (${h.accelerator.vram})` : "-"} | $${(h.unitCostUSD * 60).toFixed(2)}/h |`,
    );
    return textResult(
      ["| FLAVOR | CPU | RAM | ACCELERATOR | PRICE |", "|---|---|---|---|---|", ...rows].join("\n"),
      {
        hardware: hw.map((h) => ({
          name: h.name,
          pricePerHourUsd: Math.round(h.unitCostUSD * 60 * 10000) / 10000,
          accelerator: h.accelerator,
        })),
      },
    );
  }
  const ns = await resolveNamespace(deps, call, args.namespace);
  if (typeof ns !== "string") return ns;
  switch (op) {
    case "run":
    case "uv":
    case "scheduled run":
    case "scheduled uv":
      if (op.endsWith("uv") && !args.script)
        return errorResult(`${op} needs \`script\` (Python source, URL or path).`);
      return runOrSchedule(deps, call, args, ns, ctx);
    case "ps": {
      const jobs = await listJobs({ ...auth, namespace: ns });
      const filtered = jobs
        .filter((j) =>
          args.status
            ? (j.status?.stage ?? "").toUpperCase().includes(args.status.toUpperCase())
            : args.all || j.status?.stage === "RUNNING",
        )
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
      if (filtered.length === 0) {
        return textResult(
          `No ${args.all || args.status ? "matching" : "running"} jobs in ${ns}.${args.all ? "" : " Use all=true to include finished jobs."}`,
          { jobs: [] },
        );
      }
      return textResult(`Jobs in ${ns} (${filtered.length}):\n${renderJobsTable(filtered.slice(0, 50))}`, {
        jobs: filtered.slice(0, 50).map(summarizeJob),
      });
    }
    case "logs":
      return logsFor(deps, call, args, ns, ctx);
    case "inspect": {
      if (!args.job_id) return errorResult("inspect needs `job_id`.");
      const job = await getJob({ ...auth, namespace: ns, jobId: args.job_id });
      const summary = summarizeJob(job);
      return textResult(
        `\`\`\`json\n${JSON.stringify(summary, null, 2)}\n\`\`\`\n${jobUrl(call, ns, job.id)}`,
        { job: summary },
      );
    }
    case "cancel": {
      if (!args.job_id) return errorResult("cancel needs `job_id`.");
      await cancelJob({ ...auth, namespace: ns, jobId: args.job_id });
      return textResult(
        `Cancellation requested for job ${args.job_id}. Check it with hf_jobs {"operation":"inspect","job_id":"${args.job_id}"}.`,
        {
          jobId: args.job_id,
          cancelled: true,
        },
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
        const safe = { ...rest, jobSpec: { ...jobSpec, secrets: undefined } };
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
    needsApproval: (args, ctx) => jobsApproval(args, (options.confirmCpuJobs ?? true) && ctx.confirmCpuJobs),
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
        if (/\b402\b|insufficient credit|out of credits|payment required|billing/i.test(message)) {
          return errorResult(
            `The job was refused for billing reasons: ${scrubTokens(message)}\nAdd credits at https://huggingface.co/settings/billing and run it again.`,
            { billingRequired: true },
          );
        }
        return hfErrorResult(error, call, { action: `${args.operation} (hf_jobs)` });
      }
    },
  });
}
