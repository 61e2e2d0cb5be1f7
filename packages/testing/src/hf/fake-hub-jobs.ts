import { sseResponse } from "../http/fake-server.ts";
import { type HubRequest, hubError, hubHeaders, hubJson, type Route, route, sha40 } from "./fake-hub-core.ts";

export type FakeJobStage = "SCHEDULING" | "RUNNING" | "COMPLETED" | "CANCELED" | "ERROR";

/** How the SSE log stream behaves, per connection. */
export interface FakeJobLogPlan {
  lines: string[];
  /** For connection i (0-based), drop the connection after this many log lines. */
  dropAfter?: Record<number, number>;
  /** After sending every line, keep the connection open (job still RUNNING) instead of finishing. */
  hang?: boolean;
  /** Stage reached when the stream finishes (default COMPLETED). */
  finalStage?: FakeJobStage;
}

export interface FakeJob {
  id: string;
  namespace: string;
  spec: Record<string, unknown>;
  stage: FakeJobStage;
  createdAt: string;
  logPlan: FakeJobLogPlan;
  logConnections: number;
  /** `tail` query values seen on each log connection. */
  tailRequests: (string | null)[];
}

export interface FakeScheduledJob {
  id: string;
  namespace: string;
  body: Record<string, unknown>;
  suspend: boolean;
  createdAt: string;
}

export interface JobsState {
  jobs: Map<string, FakeJob>;
  scheduled: Map<string, FakeScheduledJob>;
  defaultLogPlan: FakeJobLogPlan;
  now: () => string;
}

export const FAKE_JOB_HARDWARE = [
  {
    name: "cpu-basic",
    prettyName: "CPU basic",
    cpu: "2 vCPU",
    ram: "16 GB",
    accelerator: null,
    unitCostMicroUSD: 167,
    unitCostUSD: 0.000167,
    unitLabel: "minute",
  },
  {
    name: "cpu-upgrade",
    prettyName: "CPU upgrade",
    cpu: "8 vCPU",
    ram: "32 GB",
    accelerator: null,
    unitCostMicroUSD: 500,
    unitCostUSD: 0.0005,
    unitLabel: "minute",
  },
  {
    name: "t4-small",
    prettyName: "Nvidia T4 - small",
    cpu: "4 vCPU",
    ram: "15 GB",
    accelerator: { type: "gpu", model: "T4", quantity: "1", vram: "16 GB", manufacturer: "Nvidia" },
    unitCostMicroUSD: 10000,
    unitCostUSD: 0.01,
    unitLabel: "minute",
  },
  {
    name: "a10g-large",
    prettyName: "Nvidia A10G - large",
    cpu: "12 vCPU",
    ram: "46 GB",
    accelerator: { type: "gpu", model: "A10G", quantity: "1", vram: "24 GB", manufacturer: "Nvidia" },
    unitCostMicroUSD: 25000,
    unitCostUSD: 0.025,
    unitLabel: "minute",
  },
  {
    name: "a100-large",
    prettyName: "Nvidia A100 - large",
    cpu: "12 vCPU",
    ram: "142 GB",
    accelerator: { type: "gpu", model: "A100", quantity: "1", vram: "80 GB", manufacturer: "Nvidia" },
    unitCostMicroUSD: 41667,
    unitCostUSD: 0.041667,
    unitLabel: "minute",
  },
];

const TERMINAL: ReadonlySet<FakeJobStage> = new Set(["COMPLETED", "CANCELED", "ERROR"]);

function canUseNamespace(req: HubRequest, ns: string): Response | undefined {
  if (!req.user) return hubError(401, "Invalid username or password.");
  if (req.user.name !== ns && !(req.user.orgs ?? []).includes(ns)) {
    return hubError(403, `You are not allowed to run jobs in namespace ${ns}`);
  }
  return undefined;
}

function jobJson(job: FakeJob): Record<string, unknown> {
  const secrets =
    job.spec.secrets && typeof job.spec.secrets === "object" ? Object.keys(job.spec.secrets) : [];
  return {
    type: "job",
    id: job.id,
    createdAt: job.createdAt,
    dockerImage: job.spec.dockerImage ?? null,
    spaceId: job.spec.spaceId ?? null,
    command: job.spec.command ?? [],
    arguments: job.spec.arguments ?? [],
    environment: job.spec.environment ?? {},
    secrets,
    flavor: job.spec.flavor ?? "cpu-basic",
    timeoutSeconds: job.spec.timeoutSeconds ?? null,
    labels: job.spec.labels ?? null,
    status: { stage: job.stage, message: null, failureCount: 0 },
    owner: { id: `id-${job.namespace}`, name: job.namespace, type: "user" },
    createdBy: { id: `id-${job.namespace}`, name: job.namespace },
  };
}

function scheduledJson(s: FakeScheduledJob, now: string): Record<string, unknown> {
  return {
    id: s.id,
    createdAt: s.createdAt,
    updatedAt: now,
    schedule: s.body.schedule,
    suspend: s.suspend,
    concurrency: s.body.concurrency ?? false,
    jobSpec: s.body.jobSpec,
    status: { lastJob: null, nextJobRunAt: s.suspend ? null : "2030-01-01T00:00:00.000Z" },
    owner: { id: `id-${s.namespace}`, name: s.namespace, type: "user" },
  };
}

function logFrames(job: FakeJob, lines: string[]): string[] {
  return lines.map((line, i) => {
    const timestamp = new Date(Date.parse(job.createdAt) + i * 1000).toISOString();
    return `data: ${JSON.stringify({ timestamp, data: line })}\n\n`;
  });
}

/** Sends frames one per pull (so each is flushed), then breaks the connection like a network drop. */
function droppingSse(frames: string[], headers: Headers): Response {
  const encoder = new TextEncoder();
  let index = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // Pace frames so the server flushes each one before the socket breaks.
        if (index > 0) await new Promise((resolve) => setTimeout(resolve, 10));
        if (index < frames.length) {
          controller.enqueue(encoder.encode(frames[index++]));
          return;
        }
        controller.error(new Error("connection dropped by fake Hub"));
      },
    },
    { highWaterMark: 0 },
  );
  headers.set("content-type", "text/event-stream; charset=utf-8");
  headers.set("cache-control", "no-cache");
  return new Response(stream, { status: 200, headers });
}

function streamLogs(state: JobsState, req: HubRequest, job: FakeJob): Response {
  const connection = job.logConnections++;
  const tail = req.url.searchParams.get("tail");
  job.tailRequests.push(tail);
  const plan = job.logPlan;
  const all = [`===== Job started at ${job.createdAt} =====`, ...plan.lines];
  let lines = all;
  if (tail && Number(tail) > 0) lines = all.slice(-Number(tail));
  const frames = logFrames(job, all).slice(all.length - lines.length);
  const headers = hubHeaders();
  const drop = plan.dropAfter?.[connection];
  if (drop !== undefined) return droppingSse(frames.slice(0, drop + 1), headers);
  if (TERMINAL.has(job.stage)) return sseResponse({ frames }, { headers });
  if (plan.hang)
    return sseResponse(
      { frames: [...frames, ": keep-alive\n\n"], hangAfter: frames.length + 1 },
      { headers },
    );
  job.stage = plan.finalStage ?? "COMPLETED";
  void state;
  return sseResponse(
    { frames: [...frames, ...logFrames(job, [`===== Job finished: status=${job.stage} =====`])] },
    { headers },
  );
}

export function jobRoutes(state: JobsState): Route[] {
  const withJob =
    (handler: (job: FakeJob, req: HubRequest) => Response) => (req: HubRequest, m: RegExpExecArray) => {
      const denied = canUseNamespace(req, m[1]!);
      if (denied) return denied;
      const job = state.jobs.get(m[2]!);
      if (!job || job.namespace !== m[1]) return hubError(404, `Job ${m[2]} not found`);
      return handler(job, req);
    };
  const withScheduled =
    (handler: (s: FakeScheduledJob, req: HubRequest) => Response) =>
    (req: HubRequest, m: RegExpExecArray) => {
      const denied = canUseNamespace(req, m[1]!);
      if (denied) return denied;
      const s = state.scheduled.get(m[2]!);
      if (!s || s.namespace !== m[1]) return hubError(404, `Scheduled job ${m[2]} not found`);
      return handler(s, req);
    };
  return [
    route("GET", /^\/api\/jobs\/hardware$/, () => hubJson(FAKE_JOB_HARDWARE)),
    route("POST", /^\/api\/jobs\/([^/]+)$/, (req, m) => {
      const ns = m[1]!;
      const denied = canUseNamespace(req, ns);
      if (denied) return denied;
      const spec = JSON.parse(req.body || "{}") as Record<string, unknown>;
      if (!spec.dockerImage && !spec.spaceId) return hubError(400, "dockerImage or spaceId is required");
      const flavor = String(spec.flavor ?? "cpu-basic");
      if (!FAKE_JOB_HARDWARE.some((h) => h.name === flavor))
        return hubError(400, `Invalid flavor: ${flavor}`);
      const id = sha40(`job:${state.jobs.size}:${req.body}`).slice(0, 24);
      const job: FakeJob = {
        id,
        namespace: ns,
        spec,
        stage: "RUNNING",
        createdAt: state.now(),
        logPlan: state.defaultLogPlan,
        logConnections: 0,
        tailRequests: [],
      };
      state.jobs.set(id, job);
      return hubJson(jobJson(job));
    }),
    route("GET", /^\/api\/jobs\/([^/]+)$/, (req, m) => {
      const denied = canUseNamespace(req, m[1]!);
      if (denied) return denied;
      return hubJson([...state.jobs.values()].filter((j) => j.namespace === m[1]).map(jobJson));
    }),
    route(
      "GET",
      /^\/api\/jobs\/([^/]+)\/([^/]+)$/,
      withJob((job) => hubJson(jobJson(job))),
    ),
    route(
      "POST",
      /^\/api\/jobs\/([^/]+)\/([^/]+)\/cancel$/,
      withJob((job) => {
        if (!TERMINAL.has(job.stage)) job.stage = "CANCELED";
        return hubJson(jobJson(job));
      }),
    ),
    route(
      "GET",
      /^\/api\/jobs\/([^/]+)\/([^/]+)\/logs$/,
      withJob((job, req) => streamLogs(state, req, job)),
    ),
    route("POST", /^\/api\/scheduled-jobs\/([^/]+)$/, (req, m) => {
      const denied = canUseNamespace(req, m[1]!);
      if (denied) return denied;
      const body = JSON.parse(req.body || "{}") as Record<string, unknown>;
      if (!body.schedule) return hubError(400, "schedule is required");
      const id = sha40(`sched:${state.scheduled.size}:${req.body}`).slice(0, 24);
      const s: FakeScheduledJob = {
        id,
        namespace: m[1]!,
        body,
        suspend: !!body.suspend,
        createdAt: state.now(),
      };
      state.scheduled.set(id, s);
      return hubJson(scheduledJson(s, state.now()));
    }),
    route("GET", /^\/api\/scheduled-jobs\/([^/]+)$/, (req, m) => {
      const denied = canUseNamespace(req, m[1]!);
      if (denied) return denied;
      const items = [...state.scheduled.values()].filter((s) => s.namespace === m[1]);
      return hubJson(items.map((s) => scheduledJson(s, state.now())));
    }),
    route(
      "GET",
      /^\/api\/scheduled-jobs\/([^/]+)\/([^/]+)$/,
      withScheduled((s) => hubJson(scheduledJson(s, state.now()))),
    ),
    route(
      "DELETE",
      /^\/api\/scheduled-jobs\/([^/]+)\/([^/]+)$/,
      withScheduled((s) => {
        state.scheduled.delete(s.id);
        return new Response(null, { status: 200, headers: hubHeaders() });
      }),
    ),
    route("POST", /^\/api\/scheduled-jobs\/([^/]+)\/([^/]+)\/(suspend|resume)$/, (req, m) =>
      withScheduled((s) => {
        s.suspend = m[3] === "suspend";
        return new Response(null, { status: 200, headers: hubHeaders() });
      })(req, m),
    ),
  ];
}
