import {
  cursorOf,
  type HubRequest,
  hubError,
  hubHeaders,
  hubJson,
  pageLink,
  type Route,
  route,
  sha40,
} from "./fake-hub-core.ts";

export type FakeJobStage = "SCHEDULING" | "RUNNING" | "COMPLETED" | "CANCELED" | "ERROR";

/**
 * How a fake job runs and how its SSE log stream behaves. The defaults are the real Hub's inconvenient ones: the
 * job starts in SCHEDULING (a log request then gets an empty stream that closes at once), and after the
 * `===== Job finished` line the stream stays open, sending keep-alives only.
 */
export interface FakeJobLogPlan {
  lines: string[];
  /** Milliseconds in SCHEDULING before the job runs (default 40). */
  schedulingMs?: number;
  /** Milliseconds between log lines while running (default 5). */
  lineIntervalMs?: number;
  /** Milliseconds the job keeps running after its last line (default 20). */
  runAfterLinesMs?: number;
  /** The job never finishes: it stays RUNNING after its lines (a server, a hung training). */
  hang?: boolean;
  /** Stage reached when the job finishes (default COMPLETED). */
  finalStage?: FakeJobStage;
  /** For connection i (0-based), drop the connection after sending this many data frames. */
  dropAfter?: Record<number, number>;
  /** Close the stream after the finished line (default false: it stays open with keep-alives, as the Hub does). */
  closeAfterFinish?: boolean;
  /** Never send the `===== Job finished` line (the client must notice the end from the job's stage). */
  omitFinishedLine?: boolean;
  /** Keep-alive comment interval on open streams (default 50 ms; the Hub sends one every ~30 s). */
  keepAliveMs?: number;
}

export interface FakeJob {
  id: string;
  namespace: string;
  spec: Record<string, unknown>;
  stage: FakeJobStage;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  logPlan: FakeJobLogPlan;
  /** Log lines emitted so far, including the started/finished markers. */
  output: string[];
  logConnections: number;
  /** `tail` query values seen on each log connection. */
  tailRequests: (string | null)[];
  cancelRequests: number;
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
  /** Jobs per list page (Link-paginated; default 2 so every listing meets pagination). */
  pageSize: number;
  /** Namespaces whose job submissions are refused with 402 (no credits). */
  noCredits: ReadonlySet<string>;
  /** What a successful cancel answers: an empty body (default), the text `OK`, or the job JSON. */
  cancelAnswer: "empty" | "ok" | "json";
  timers: Set<ReturnType<typeof setTimeout>>;
  listeners: Map<string, Set<() => void>>;
  /** Stops every open log stream (the fake is closing). */
  streams: Set<() => void>;
}

/** Shapes and prices as `GET /api/jobs/hardware` answers (prices per minute). */
export const FAKE_JOB_HARDWARE = [
  {
    name: "cpu-basic",
    prettyName: "CPU Basic",
    cpu: "2 vCPU",
    ram: "16 GB",
    ephemeralStorage: "50 GB",
    accelerator: null,
    unitCostMicroUSD: 167,
    unitCostUSD: 0.000167,
    unitLabel: "minute",
  },
  {
    name: "cpu-upgrade",
    prettyName: "CPU Upgrade",
    cpu: "8 vCPU",
    ram: "32 GB",
    ephemeralStorage: "50 GB",
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
    ephemeralStorage: "50 GB",
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
    ephemeralStorage: "200 GB",
    accelerator: { type: "gpu", model: "A10G", quantity: "1", vram: "24 GB", manufacturer: "Nvidia" },
    unitCostMicroUSD: 25000,
    unitCostUSD: 0.025,
    unitLabel: "minute",
  },
  {
    name: "a10g-largex2",
    prettyName: "2x Nvidia A10G - large",
    cpu: "24 vCPU",
    ram: "92 GB",
    ephemeralStorage: "1000 GB",
    accelerator: { type: "gpu", model: "A10G", quantity: "2", vram: "48 GB", manufacturer: "Nvidia" },
    unitCostMicroUSD: 50000,
    unitCostUSD: 0.05,
    unitLabel: "minute",
  },
  {
    name: "a100-large",
    prettyName: "Nvidia A100 - large",
    cpu: "12 vCPU",
    ram: "142 GB",
    ephemeralStorage: "1000 GB",
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

const seconds = (from?: string, to?: string): number | null =>
  from ? Math.max(0, Math.round(((to ? Date.parse(to) : Date.now()) - Date.parse(from)) / 1000)) : null;

function jobJson(job: FakeJob): Record<string, unknown> {
  // Like the Hub: secrets come back as an object whose values are masked.
  const secrets =
    job.spec.secrets && typeof job.spec.secrets === "object"
      ? Object.fromEntries(Object.keys(job.spec.secrets).map((k) => [k, null]))
      : {};
  return {
    type: "job",
    id: job.id,
    createdAt: job.createdAt,
    ...(job.startedAt ? { startedAt: job.startedAt } : {}),
    ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
    dockerImage: job.spec.dockerImage ?? null,
    spaceId: job.spec.spaceId ?? null,
    command: job.spec.command ?? [],
    arguments: job.spec.arguments ?? [],
    environment: job.spec.environment ?? {},
    secrets,
    flavor: job.spec.flavor ?? "cpu-basic",
    timeoutSeconds: job.spec.timeoutSeconds ?? null,
    labels: job.spec.labels ?? null,
    status: { stage: job.stage, message: job.stage === "ERROR" ? "Job failed with exit code: 1" : null },
    durations: {
      schedulingSecs: job.startedAt ? seconds(job.createdAt, job.startedAt) : null,
      runningSecs: seconds(job.startedAt, job.finishedAt),
      totalSecs: seconds(job.createdAt, job.finishedAt),
    },
    owner: { id: `id-${job.namespace}`, name: job.namespace, type: "user", avatarUrl: "" },
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

function frame(job: FakeJob, index: number): string {
  const timestamp = new Date(Date.parse(job.createdAt) + (index + 1) * 1000).toISOString();
  return `data: ${JSON.stringify({ timestamp, data: job.output[index] })}\n\n`;
}

function notify(state: JobsState, job: FakeJob): void {
  for (const listener of state.listeners.get(job.id) ?? []) listener();
}

function later(state: JobsState, ms: number, fn: () => void): void {
  const timer = setTimeout(() => {
    state.timers.delete(timer);
    fn();
  }, ms);
  state.timers.add(timer);
}

/** Moves a job to a terminal stage (finished line included, unless cancelled). */
export function finishFakeJob(state: JobsState, job: FakeJob, stage: FakeJobStage): void {
  if (TERMINAL.has(job.stage)) return;
  job.stage = stage;
  job.startedAt ??= new Date().toISOString();
  job.finishedAt = new Date().toISOString();
  if (stage !== "CANCELED" && !job.logPlan.omitFinishedLine)
    job.output.push(`===== Job finished: status=${stage} =====`);
  notify(state, job);
}

/** The job's life on its own clock: SCHEDULING → RUNNING (lines, one by one) → final stage. */
function startTimeline(state: JobsState, job: FakeJob): void {
  const plan = job.logPlan;
  later(state, plan.schedulingMs ?? 40, () => {
    if (job.stage !== "SCHEDULING") return;
    job.stage = "RUNNING";
    job.startedAt = new Date().toISOString();
    job.output.push(`===== Job started at ${job.startedAt} =====`);
    notify(state, job);
    let i = 0;
    const next = () => {
      if (job.stage !== "RUNNING") return;
      if (i < plan.lines.length) {
        job.output.push(plan.lines[i++]!);
        notify(state, job);
        later(state, plan.lineIntervalMs ?? 5, next);
        return;
      }
      if (plan.hang) return;
      later(state, plan.runAfterLinesMs ?? 20, () =>
        finishFakeJob(state, job, plan.finalStage ?? "COMPLETED"),
      );
    };
    next();
  });
}

function streamLogs(state: JobsState, req: HubRequest, job: FakeJob): Response {
  const connection = job.logConnections++;
  const tail = req.url.searchParams.get("tail");
  job.tailRequests.push(tail);
  const headers = hubHeaders({
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
  });
  // Just after submission the Hub may answer an empty stream that ends at once.
  if (job.stage === "SCHEDULING") return new Response("", { status: 200, headers });
  const plan = job.logPlan;
  const drop = plan.dropAfter?.[connection];
  const encoder = new TextEncoder();
  let sent = tail && Number(tail) > 0 ? Math.max(0, job.output.length - Number(tail)) : 0;
  let dataFrames = 0;
  let done = false;
  let keepAlive: ReturnType<typeof setInterval> | undefined;
  let listener: (() => void) | undefined;
  const cleanup = () => {
    done = true;
    if (keepAlive) clearInterval(keepAlive);
    if (listener) state.listeners.get(job.id)?.delete(listener);
    state.streams.delete(cleanup);
  };
  state.streams.add(cleanup);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const push = () => {
        if (done) return;
        while (sent < job.output.length) {
          if (drop !== undefined && dataFrames >= drop) {
            // Give the server a moment to flush what was sent, then break the connection.
            cleanup();
            setTimeout(() => controller.error(new Error("connection dropped by fake Hub (test drop)")), 20);
            return;
          }
          controller.enqueue(encoder.encode(frame(job, sent++)));
          dataFrames++;
        }
        if (plan.closeAfterFinish && TERMINAL.has(job.stage)) {
          cleanup();
          controller.close();
        }
      };
      listener = push;
      const set = state.listeners.get(job.id) ?? new Set<() => void>();
      state.listeners.set(job.id, set);
      set.add(push);
      keepAlive = setInterval(() => {
        if (done) return;
        try {
          controller.enqueue(encoder.encode(": keep-alive\n\n"));
        } catch {
          cleanup();
        }
      }, plan.keepAliveMs ?? 50);
      push();
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, { status: 200, headers });
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
      if (state.noCredits.has(ns)) {
        return hubError(
          402,
          `Insufficient credits: the namespace ${ns} has no credits left to run Jobs. Add credits or a payment method to continue.`,
        );
      }
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
        stage: "SCHEDULING",
        // Real time (not the fake's tick clock): durations and costs are computed from these.
        createdAt: new Date().toISOString(),
        logPlan: state.defaultLogPlan,
        output: [],
        logConnections: 0,
        tailRequests: [],
        cancelRequests: 0,
      };
      state.jobs.set(id, job);
      startTimeline(state, job);
      return hubJson(jobJson(job));
    }),
    route("GET", /^\/api\/jobs\/([^/]+)$/, (req, m) => {
      const denied = canUseNamespace(req, m[1]!);
      if (denied) return denied;
      const stages = req.url.searchParams.getAll("stage").map((s) => s.toUpperCase());
      const all = [...state.jobs.values()]
        .filter((j) => j.namespace === m[1] && (stages.length === 0 || stages.includes(j.stage)))
        .reverse();
      const start = cursorOf(req.url);
      const page = all.slice(start, start + state.pageSize);
      const extra: Record<string, string> = {};
      if (start + state.pageSize < all.length) extra.link = pageLink(req, start + state.pageSize);
      return hubJson(page.map(jobJson), 200, extra);
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
        job.cancelRequests++;
        finishFakeJob(state, job, "CANCELED");
        if (state.cancelAnswer === "json") return hubJson(jobJson(job));
        return new Response(state.cancelAnswer === "ok" ? "OK" : null, {
          status: 200,
          headers: hubHeaders(),
        });
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
