import LinkHeader from "http-link-header";
import type { HttpClient } from "../http/hf-http.ts";
import { httpErrorFromResponse } from "../http/http-error.ts";

/** A job as the Hub returns it; parsed loosely because `owner`, `secrets` and friends are not schema-stable. */
export interface JobInfo {
  id: string;
  createdAt?: string;
  startedAt?: string | null;
  finishedAt?: string | null;
  dockerImage?: string | null;
  spaceId?: string | null;
  command?: string[];
  arguments?: string[];
  environment?: Record<string, string> | null;
  /** The Hub answers an object (names → masked values); older clients typed it as a list of names. */
  secrets?: Record<string, unknown> | string[] | null;
  flavor?: string;
  timeoutSeconds?: number | null;
  status?: { stage?: string; message?: string | null };
  owner?: { name?: string };
  durations?: { schedulingSecs?: number | null; runningSecs?: number | null; totalSecs?: number | null };
}

export interface JobSpecBody {
  dockerImage?: string;
  spaceId?: string;
  command: string[];
  arguments: string[];
  environment: Record<string, string>;
  secrets?: Record<string, string>;
  flavor: string;
  timeoutSeconds: number;
  labels?: Record<string, string>;
}

export const TERMINAL_STAGES: ReadonlySet<string> = new Set([
  "COMPLETED",
  "CANCELED",
  "CANCELLED",
  "ERROR",
  "FAILED",
  "DELETED",
]);

export const isTerminalStage = (stage: string | undefined): boolean =>
  stage !== undefined && TERMINAL_STAGES.has(stage.toUpperCase());

/** Names of a job's secrets, whichever shape the Hub used. */
export function secretNames(job: JobInfo): string[] {
  const s = job.secrets;
  if (!s) return [];
  if (Array.isArray(s)) return s.filter((x): x is string => typeof x === "string");
  return Object.keys(s);
}

export const stageOf = (job: JobInfo): string => job.status?.stage ?? "UNKNOWN";

/** The jobs endpoints, on the tool-call's HTTP client (token only to HF hosts, errors as HfHttpError). */
export interface JobsApi {
  run(namespace: string, spec: JobSpecBody): Promise<JobInfo>;
  get(namespace: string, jobId: string): Promise<JobInfo>;
  /** Every page (follows `Link: <…>; rel="next"`), optionally filtered server-side by stage. */
  list(namespace: string, stages?: readonly string[]): Promise<JobInfo[]>;
  /** Succeeds on any 2xx, whatever the body (the Hub may answer empty or `OK`). */
  cancel(namespace: string, jobId: string): Promise<void>;
  hardware(): Promise<unknown>;
}

const MAX_PAGES = 50;

export function createJobsApi(http: HttpClient, hubUrl: string): JobsApi {
  const base = (ns: string) => `${hubUrl}/api/jobs/${encodeURIComponent(ns)}`;
  return {
    run: (ns, spec) => http.json<JobInfo>(base(ns), { method: "POST", body: spec }),
    get: (ns, id) => http.json<JobInfo>(`${base(ns)}/${encodeURIComponent(id)}`),
    async list(ns, stages) {
      const jobs: JobInfo[] = [];
      let url: string | undefined = base(ns);
      let query: Record<string, readonly string[]> | undefined = stages?.length
        ? { stage: stages }
        : undefined;
      for (let page = 0; url && page < MAX_PAGES; page++) {
        const response = await http.request(url, query ? { query } : {});
        if (!response.ok) throw await httpErrorFromResponse(response, url);
        const body = (await response.json()) as unknown;
        if (Array.isArray(body)) jobs.push(...(body as JobInfo[]));
        const link = response.headers.get("link");
        const next = link ? LinkHeader.parse(link).rel("next")[0]?.uri : undefined;
        // The next URL carries every original parameter plus the cursor.
        url = next ? new URL(next, url).toString() : undefined;
        query = undefined;
      }
      return jobs;
    },
    async cancel(ns, id) {
      const url = `${base(ns)}/${encodeURIComponent(id)}/cancel`;
      const response = await http.request(url, { method: "POST" });
      if (!response.ok) throw await httpErrorFromResponse(response, url);
      await response.body?.cancel().catch(() => {});
    },
    hardware: () => http.json<unknown>(`${hubUrl}/api/jobs/hardware`),
  };
}
