/**
 * A faithful fake of the Hugging Face Hub for tests: repos (listing with Link pagination, info, tree, resolve with
 * range probes, preupload + NDJSON commit, branches, tags, refs, discussions/PRs, settings), whoami-v2, papers,
 * collections, docs, the OpenAPI document and Jobs (jobs start SCHEDULING, listings are Link-paginated, SSE logs
 * can drop mid-stream and stay open after the job ends, cancel answers an empty body, 402 without credits).
 */
import { type FakeServer, startFakeServer } from "../http/fake-server.ts";
import {
  type ContentState,
  contentRoutes,
  type FakeCollection,
  type FakeDocsProduct,
  type FakePaper,
} from "./fake-hub-content.ts";
import {
  authenticate,
  dispatch,
  type FailureRule,
  type FakeHubUser,
  hubError,
  hubJson,
  type Route,
  route,
  takeFailure,
} from "./fake-hub-core.ts";
import {
  type FakeJob,
  type FakeJobLogPlan,
  type FakeJobStage,
  finishFakeJob,
  type JobsState,
  jobRoutes,
} from "./fake-hub-jobs.ts";
import {
  createFakeRepo,
  type FakeDownload,
  type FakeRepo,
  type FakeRepoInit,
  type FakeRepoType,
  type RepoState,
  repoKey,
  repoRoutes,
} from "./fake-hub-repos.ts";

export type { FakeCollection, FakeDocsProduct, FakePaper } from "./fake-hub-content.ts";
export { DOCS_CATALOG_IDS } from "./fake-hub-content.ts";
export type { FailureRule, FakeHubUser } from "./fake-hub-core.ts";
export type { FakeJob, FakeJobLogPlan, FakeJobStage } from "./fake-hub-jobs.ts";
export type { FakeDownload, FakeRepo, FakeRepoInit, FakeRepoType } from "./fake-hub-repos.ts";
export { largeTextFile } from "./fake-hub-repos.ts";

export const FAKE_HF_TOKEN = "hf_test_alice_write_token";
export const FAKE_HF_READ_TOKEN = "hf_test_bob_read_token";

export interface FakeHubOptions {
  /** token → user. Default: alice (write, member of "ml-org") and bob (read). */
  users?: Record<string, FakeHubUser>;
  repos?: FakeRepoInit[];
  papers?: FakePaper[];
  collections?: FakeCollection[];
  docs?: FakeDocsProduct[];
  /** false: `/api/docs/search` answers `[]`, so only the full-text endpoint finds pages (default true). */
  docsSemanticSearch?: boolean;
  openapi?: Record<string, unknown>;
  /** Maximum items per listing/tree page (forces Link pagination in tests). */
  pageSize?: number;
  /** Default log plan for new jobs. */
  jobLogs?: FakeJobLogPlan;
  /** Jobs per list page (default 2: listings are Link-paginated). */
  jobsPageSize?: number;
  /** Namespaces refused with 402 when submitting a job (default ["ml-org"]: no credits). */
  jobsWithoutCredits?: string[];
  /** What a successful job cancel answers (default "empty": a 200 with no body). */
  jobCancelAnswer?: "empty" | "ok" | "json";
}

export interface FakeHub {
  url: string;
  server: FakeServer;
  repos: Map<string, FakeRepo>;
  jobs: Map<string, FakeJob>;
  /** Every `/resolve/` answer with the bytes it sent: a whole-file download of a big file is plain to see here. */
  downloads: FakeDownload[];
  repo(type: FakeRepoType, id: string): FakeRepo | undefined;
  /** Text of a file on a branch, or undefined. */
  fileText(type: FakeRepoType, id: string, path: string, branch?: string): string | undefined;
  addRepo(init: FakeRepoInit): FakeRepo;
  /** Makes matching requests fail (e.g. 429 with rate-limit headers, 500). */
  fail(rule: FailureRule): void;
  setJobLogPlan(plan: FakeJobLogPlan): void;
  /** Ends a job now (e.g. ERROR), as if it finished on its own. */
  finishJob(id: string, stage: FakeJobStage): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export const DEFAULT_FAKE_USERS: Record<string, FakeHubUser> = {
  [FAKE_HF_TOKEN]: { name: "alice", fullname: "Alice Liddell", orgs: ["ml-org"], isPro: true, role: "write" },
  [FAKE_HF_READ_TOKEN]: { name: "bob", fullname: "Bob", orgs: [], role: "read" },
};

function whoami(user: FakeHubUser): Record<string, unknown> {
  return {
    type: "user",
    id: `id-${user.name}`,
    name: user.name,
    fullname: user.fullname ?? user.name,
    email: user.email ?? `${user.name}@example.com`,
    emailVerified: true,
    isPro: !!user.isPro,
    canPay: true,
    avatarUrl: `https://cdn.example/avatars/${user.name}.png`,
    periodEnd: null,
    billingMode: "prepaid",
    orgs: (user.orgs ?? []).map((name) => ({
      type: "org",
      id: `id-${name}`,
      name,
      fullname: name,
      email: null,
      canPay: true,
      avatarUrl: "",
      periodEnd: null,
      roleInOrg: "write",
    })),
    auth: {
      type: "access_token",
      accessToken: {
        displayName: "test token",
        role: user.role ?? "write",
        createdAt: "2025-01-01T00:00:00.000Z",
      },
    },
  };
}

export async function startFakeHub(options: FakeHubOptions = {}): Promise<FakeHub> {
  const users = new Map(Object.entries(options.users ?? DEFAULT_FAKE_USERS));
  const failures: FailureRule[] = [];
  let tick = 0;
  const now = () => new Date(Date.UTC(2025, 5, 1, 12, 0, tick++)).toISOString();
  const repoState: RepoState = { repos: new Map(), pageSize: options.pageSize ?? 1000, now, downloads: [] };
  for (const init of options.repos ?? [])
    repoState.repos.set(repoKey(init.type ?? "model", init.id), createFakeRepo(init));
  const content: ContentState = {
    papers: options.papers ?? [],
    collections: options.collections ?? [],
    docs: options.docs ?? [],
    docsSemanticSearch: options.docsSemanticSearch ?? true,
    openapi: options.openapi ?? {
      openapi: "3.1.0",
      info: { title: "Hub API", version: "1" },
      paths: {},
      tags: [],
    },
  };
  const jobs: JobsState = {
    jobs: new Map(),
    scheduled: new Map(),
    defaultLogPlan: options.jobLogs ?? { lines: ["hello from the job"] },
    now,
    pageSize: options.jobsPageSize ?? 2,
    noCredits: new Set(options.jobsWithoutCredits ?? ["ml-org"]),
    cancelAnswer: options.jobCancelAnswer ?? "empty",
    timers: new Set(),
    listeners: new Map(),
    streams: new Set(),
  };
  const close = async () => {
    for (const timer of jobs.timers) clearTimeout(timer);
    jobs.timers.clear();
    for (const stop of [...jobs.streams]) stop();
    await server.close();
  };
  const routes: Route[] = [
    route("GET", /^\/api\/whoami-v2$/, (req) =>
      req.user ? hubJson(whoami(req.user)) : hubError(401, "Invalid credentials in Authorization header"),
    ),
    ...jobRoutes(jobs),
    ...contentRoutes(content),
    ...repoRoutes(repoState),
  ];
  let base = "";
  const server = await startFakeServer(async (request, recorded) => {
    const failure = takeFailure(failures, request.method, recorded.path);
    if (failure) return failure;
    const auth = authenticate(request, users);
    if (auth.invalid) return hubError(401, "Invalid credentials in Authorization header");
    const response = await dispatch(routes, {
      request,
      url: recorded.url,
      base,
      body: recorded.body,
      token: auth.token,
      user: auth.user,
    });
    return response ?? hubError(404, `Fake Hub has no route for ${request.method} ${recorded.path}`);
  });
  base = server.url;
  return {
    url: server.url,
    server,
    repos: repoState.repos,
    jobs: jobs.jobs,
    downloads: repoState.downloads,
    repo: (type, id) => repoState.repos.get(repoKey(type, id)),
    fileText(type, id, path, branch = "main") {
      const file = repoState.repos.get(repoKey(type, id))?.branches.get(branch)?.files.get(path);
      return file ? new TextDecoder().decode(file) : undefined;
    },
    addRepo(init) {
      const repo = createFakeRepo(init);
      repoState.repos.set(repoKey(init.type ?? "model", init.id), repo);
      return repo;
    },
    fail: (rule) => failures.push({ ...rule }),
    setJobLogPlan(plan) {
      jobs.defaultLogPlan = plan;
    },
    finishJob(id, stage) {
      const job = jobs.jobs.get(id);
      if (job) finishFakeJob(jobs, job, stage);
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
