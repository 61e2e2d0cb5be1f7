import {
  cursorOf,
  decode,
  type HubRequest,
  hubError,
  hubHeaders,
  hubJson,
  hubText,
  pageLink,
  type Route,
  route,
  sha40,
} from "./fake-hub-core.ts";

export type FakeRepoType = "model" | "dataset" | "space";

export interface FakeRepoInit {
  id: string;
  type?: FakeRepoType;
  private?: boolean;
  gated?: false | "auto" | "manual";
  /** Users allowed through the gate. */
  grantedUsers?: string[];
  /** Path → content (text, or bytes for binary files). */
  files?: Record<string, string | Uint8Array>;
  likes?: number;
  downloads?: number;
  trendingScore?: number;
  tags?: string[];
  pipeline_tag?: string;
  library_name?: string;
  sdk?: string;
  description?: string;
  cardData?: Record<string, unknown>;
  createdAt?: string;
  lastModified?: string;
}

export interface FakeBranch {
  sha: string;
  files: Map<string, Uint8Array>;
}

export interface FakeDiscussionEvent {
  id: string;
  type: "comment" | "status-change" | "commit" | "title-change";
  createdAt: string;
  author: { name: string };
  data: Record<string, unknown>;
}

export interface FakeDiscussion {
  num: number;
  title: string;
  status: "open" | "closed" | "merged" | "draft";
  isPullRequest: boolean;
  author: string;
  createdAt: string;
  events: FakeDiscussionEvent[];
}

export interface FakeRepo {
  init: FakeRepoInit & { type: FakeRepoType };
  objectId: string;
  branches: Map<string, FakeBranch>;
  tags: Map<string, FakeBranch>;
  discussions: FakeDiscussion[];
}

/** One answer of `/resolve/`: how many bytes of which file went over the wire (a whole-file download shows here). */
export interface FakeDownload {
  repoId: string;
  path: string;
  range: string | null;
  status: number;
  bytes: number;
}

export interface RepoState {
  repos: Map<string, FakeRepo>;
  pageSize: number;
  now: () => string;
  downloads: FakeDownload[];
}

const encoder = new TextEncoder();
const TYPES = "models|datasets|spaces";
const REPO = "([^/]+/[^/]+)";

export const repoKey = (type: FakeRepoType, id: string) => `${type}:${id}`;

export function createFakeRepo(init: FakeRepoInit): FakeRepo {
  const type = init.type ?? "model";
  const files = new Map<string, Uint8Array>();
  for (const [path, content] of Object.entries(init.files ?? {}))
    files.set(path, typeof content === "string" ? encoder.encode(content) : content);
  return {
    init: { ...init, type },
    objectId: sha40(`obj:${type}:${init.id}`).slice(0, 24),
    branches: new Map([["main", { sha: sha40(`main:${init.id}:${files.size}`), files }]]),
    tags: new Map(),
    discussions: [],
  };
}

const singular = (plural: string): FakeRepoType => plural.slice(0, -1) as FakeRepoType;

function canRead(repo: FakeRepo, req: HubRequest): boolean {
  if (!repo.init.private) return true;
  return !!req.user && canWrite(repo.init.id, req);
}

export function canWrite(repoId: string, req: HubRequest): boolean {
  const owner = repoId.split("/")[0];
  const user = req.user;
  if (!user || user.role === "read") return false;
  return owner === user.name || (user.orgs ?? []).includes(owner ?? "");
}

function notFound(req: HubRequest): Response {
  // The real Hub answers anonymous callers 401 for missing *or* private repos.
  return req.user
    ? hubError(404, "Repository not found", "RepoNotFound")
    : hubError(401, "Invalid username or password.", "RepoNotFound");
}

function findRepo(state: RepoState, req: HubRequest, plural: string, id: string): FakeRepo | Response {
  const repo = state.repos.get(repoKey(singular(plural), id));
  if (!repo || !canRead(repo, req)) return notFound(req);
  return repo;
}

function gateCheck(repo: FakeRepo, req: HubRequest): Response | undefined {
  if (!repo.init.gated) return undefined;
  const name = req.user?.name;
  if (name && (repo.init.grantedUsers?.includes(name) || canWrite(repo.init.id, req))) return undefined;
  const kind = repo.init.type;
  if (!req.user) {
    return hubError(
      401,
      `Access to ${kind} ${repo.init.id} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
      "GatedRepo",
    );
  }
  return hubError(
    403,
    `Access to ${kind} ${repo.init.id} is restricted and you are not in the authorized list. Visit ${req.base}/${kind === "model" ? "" : `${kind}s/`}${repo.init.id} to ask for access.`,
    "GatedRepo",
  );
}

export function resolveRevision(repo: FakeRepo, rev: string): FakeBranch | undefined {
  if (rev === "HEAD") return repo.branches.get("main");
  return (
    repo.branches.get(rev) ?? repo.tags.get(rev) ?? [...repo.branches.values()].find((b) => b.sha === rev)
  );
}

function listingItem(repo: FakeRepo, expand: string[]): Record<string, unknown> {
  const i = repo.init;
  const full: Record<string, unknown> = {
    _id: repo.objectId,
    id: i.id,
    author: i.id.split("/")[0],
    likes: i.likes ?? 0,
    downloads: i.downloads ?? 0,
    trendingScore: i.trendingScore ?? 0,
    private: !!i.private,
    gated: i.gated ?? false,
    tags: i.tags ?? [],
    createdAt: i.createdAt ?? "2025-01-01T00:00:00.000Z",
    lastModified: i.lastModified ?? "2025-06-01T00:00:00.000Z",
    ...(i.type === "model"
      ? { pipeline_tag: i.pipeline_tag, library_name: i.library_name, modelId: i.id }
      : i.type === "dataset"
        ? { description: i.description ?? "", disabled: false }
        : { sdk: i.sdk ?? "gradio", title: i.id.split("/")[1], shortDescription: i.description ?? "" }),
  };
  if (expand.length === 0) return full;
  const picked: Record<string, unknown> = { _id: full._id, id: full.id };
  for (const key of expand) if (key in full) picked[key] = full[key];
  return picked;
}

function listRepos(state: RepoState, req: HubRequest, plural: string): Response {
  const type = singular(plural);
  const q = req.url.searchParams;
  const search = q.get("search")?.toLowerCase();
  const author = q.get("author");
  const filters = q
    .getAll("filter")
    .flatMap((f) => f.split(","))
    .filter(Boolean);
  const task = q.get("pipeline_tag");
  const sort = q.get("sort");
  let items = [...state.repos.values()].filter(
    (r) =>
      r.init.type === type &&
      canRead(r, req) &&
      (!search || r.init.id.toLowerCase().includes(search)) &&
      (!author || r.init.id.startsWith(`${author}/`)) &&
      (!task || r.init.pipeline_tag === task) &&
      filters.every(
        (f) =>
          r.init.tags?.includes(f) ||
          r.init.pipeline_tag === f ||
          r.init.library_name === f ||
          r.init.sdk === f,
      ),
  );
  if (sort) {
    const value = (r: FakeRepo): number | string => {
      const item = listingItem(r, []);
      const v = item[sort];
      return typeof v === "number" || typeof v === "string" ? v : 0;
    };
    items = items.sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      return va < vb ? 1 : va > vb ? -1 : 0;
    });
  }
  const limit = Math.min(Number(q.get("limit") ?? 1000) || 1000, state.pageSize);
  const start = cursorOf(req.url);
  const page = items.slice(start, start + limit);
  const expand = q.getAll("expand");
  const extra: Record<string, string> = {};
  if (start + limit < items.length) extra.link = pageLink(req, start + limit);
  return hubJson(
    page.map((r) => listingItem(r, expand)),
    200,
    extra,
  );
}

function repoInfo(state: RepoState, req: HubRequest, plural: string, id: string, rev: string): Response {
  const repo = findRepo(state, req, plural, id);
  if (repo instanceof Response) return repo;
  const branch = resolveRevision(repo, rev);
  if (!branch) return hubError(404, `Invalid rev id: ${rev}`, "RevisionNotFound");
  const i = repo.init;
  const siblings = [...branch.files.keys()].sort().map((rfilename) => ({ rfilename }));
  const usedStorage = [...branch.files.values()].reduce((n, f) => n + f.byteLength, 0);
  const base = listingItem(repo, []);
  return hubJson({
    ...base,
    sha: branch.sha,
    disabled: false,
    cardData: i.cardData ?? {},
    siblings,
    usedStorage,
    ...(i.type === "model" ? { spaces: [], config: {}, safetensors: undefined } : {}),
    ...(i.type === "dataset" ? { citation: "", paperswithcode_id: null } : {}),
    ...(i.type === "space"
      ? {
          runtime: { stage: "RUNNING", hardware: { current: "cpu-basic", requested: "cpu-basic" } },
          subdomain: i.id.replace("/", "-"),
        }
      : {}),
  });
}

interface TreeEntry {
  type: "file" | "directory";
  path: string;
  size: number;
  oid: string;
}

function treeEntries(branch: FakeBranch, dir: string, recursive: boolean): TreeEntry[] | undefined {
  const prefix = dir ? `${dir}/` : "";
  const out = new Map<string, TreeEntry>();
  let exists = dir === "";
  for (const [path, content] of branch.files) {
    if (!path.startsWith(prefix)) continue;
    exists = true;
    const rest = path.slice(prefix.length);
    const parts = rest.split("/");
    for (let depth = 1; depth < parts.length; depth++) {
      if (!recursive && depth > 1) break;
      const d = prefix + parts.slice(0, depth).join("/");
      out.set(d, { type: "directory", path: d, size: 0, oid: sha40(`dir:${d}`) });
    }
    if (recursive || parts.length === 1) {
      out.set(path, {
        type: "file",
        path,
        size: content.byteLength,
        oid: sha40(`blob:${path}:${content.byteLength}`),
      });
    }
  }
  if (!exists) return undefined;
  return [...out.values()].sort((a, b) => a.path.localeCompare(b.path));
}

function tree(state: RepoState, req: HubRequest, m: RegExpExecArray): Response {
  const repo = findRepo(state, req, m[1]!, m[2]!);
  if (repo instanceof Response) return repo;
  const rest = m[3]!.split("/");
  const rev = decode(rest.shift());
  const branch = resolveRevision(repo, rev);
  if (!branch) return hubError(404, `Invalid rev id: ${rev}`, "RevisionNotFound");
  const dir = rest.map(decode).join("/").replace(/\/$/, "");
  const entries = treeEntries(branch, dir, req.url.searchParams.get("recursive") === "true");
  if (!entries) return hubError(404, `Entry not found: ${dir}`, "EntryNotFound");
  const start = cursorOf(req.url);
  const page = entries.slice(start, start + state.pageSize);
  const extra: Record<string, string> = {};
  if (start + state.pageSize < entries.length) extra.link = pageLink(req, start + state.pageSize);
  return hubJson(page, 200, extra);
}

function resolveFile(
  state: RepoState,
  req: HubRequest,
  plural: string,
  id: string,
  restPath: string,
): Response {
  const repo = findRepo(state, req, plural, id);
  if (repo instanceof Response) return repo;
  const gate = gateCheck(repo, req);
  if (gate) return gate;
  const rest = restPath.split("/");
  const rev = decode(rest.shift());
  const branch = resolveRevision(repo, rev);
  if (!branch) return hubError(404, `Invalid rev id: ${rev}`, "RevisionNotFound");
  const path = rest.map(decode).join("/");
  const content = branch.files.get(path);
  if (!content) return hubError(404, "Entry not found", "EntryNotFound");
  const etag = `"${sha40(`blob:${path}:${content.byteLength}`)}"`;
  const headers = hubHeaders({
    etag,
    "x-repo-commit": branch.sha,
    "accept-ranges": "bytes",
    "content-type": "application/octet-stream",
  });
  const range = req.request.headers.get("range");
  const m = range ? /^bytes=(\d+)-(\d*)$/.exec(range) : null;
  if (m) {
    const start = Number(m[1]);
    const end = m[2] ? Math.min(Number(m[2]), content.byteLength - 1) : content.byteLength - 1;
    if (start >= content.byteLength && content.byteLength > 0) {
      headers.set("content-range", `bytes */${content.byteLength}`);
      return new Response(null, { status: 416, headers });
    }
    headers.set("content-range", `bytes ${start}-${end}/${content.byteLength}`);
    const slice = content.slice(start, end + 1);
    const head = req.request.method === "HEAD";
    state.downloads.push({ repoId: id, path, range, status: 206, bytes: head ? 0 : slice.byteLength });
    return new Response(head ? null : slice, { status: 206, headers });
  }
  headers.set("content-length", String(content.byteLength));
  const head = req.request.method === "HEAD";
  state.downloads.push({ repoId: id, path, range: null, status: 200, bytes: head ? 0 : content.byteLength });
  return new Response(head ? null : content, { status: 200, headers });
}

function requireWrite(state: RepoState, req: HubRequest, plural: string, id: string): FakeRepo | Response {
  if (!req.user) return hubError(401, "Invalid username or password.");
  const repo = findRepo(state, req, plural, id);
  if (repo instanceof Response) return repo;
  if (!canWrite(id, req)) return hubError(403, "You don't have the rights to write to this repo");
  return repo;
}

function preupload(state: RepoState, req: HubRequest, m: RegExpExecArray): Response {
  const repo = requireWrite(state, req, m[1]!, m[2]!);
  if (repo instanceof Response) return repo;
  const body = JSON.parse(req.body || "{}") as { files?: { path: string }[] };
  return hubJson({
    files: (body.files ?? []).map((f) => ({ path: f.path, uploadMode: "regular", shouldIgnore: false })),
    commitOid: repo.branches.get("main")?.sha,
  });
}

function newDiscussion(
  repo: FakeRepo,
  state: RepoState,
  author: string,
  title: string,
  isPr: boolean,
  description = "",
): FakeDiscussion {
  const num = repo.discussions.length + 1;
  const createdAt = state.now();
  const discussion: FakeDiscussion = {
    num,
    title,
    status: isPr ? "draft" : "open",
    isPullRequest: isPr,
    author,
    createdAt,
    events: [
      {
        id: sha40(`ev:${num}:0`).slice(0, 24),
        type: "comment",
        createdAt,
        author: { name: author },
        data: { edited: false, hidden: false, latest: { raw: description, html: `<p>${description}</p>` } },
      },
    ],
  };
  repo.discussions.push(discussion);
  if (isPr) {
    const main = repo.branches.get("main")!;
    repo.branches.set(`refs/pr/${num}`, { sha: main.sha, files: new Map(main.files) });
  }
  return discussion;
}

function commit(state: RepoState, req: HubRequest, m: RegExpExecArray): Response {
  const plural = m[1]!;
  const repo = requireWrite(state, req, plural, m[2]!);
  if (repo instanceof Response) return repo;
  if (!req.request.headers.get("content-type")?.includes("application/x-ndjson")) {
    return hubError(400, "Expected application/x-ndjson");
  }
  const rev = decode(m[3]);
  const lines = req.body
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { key: string; value: Record<string, string> });
  const header = lines.find((l) => l.key === "header");
  if (!header?.value.summary) return hubError(400, "Missing commit header summary");
  let branchName = rev;
  let pullRequestUrl: string | undefined;
  const prefix = plural === "models" ? "" : `${plural}/`;
  if (req.url.searchParams.get("create_pr") === "1") {
    const d = newDiscussion(
      repo,
      state,
      req.user!.name,
      header.value.summary,
      true,
      header.value.description ?? "",
    );
    branchName = `refs/pr/${d.num}`;
    pullRequestUrl = `${req.base}/${prefix}${repo.init.id}/discussions/${d.num}`;
  }
  const branch = repo.branches.get(branchName);
  if (!branch) return hubError(404, `Invalid rev id: ${rev}`, "RevisionNotFound");
  const files = new Map(branch.files);
  for (const line of lines) {
    if (line.key === "file") {
      files.set(line.value.path!, Uint8Array.from(Buffer.from(line.value.content ?? "", "base64")));
    } else if (line.key === "deletedFile") {
      if (!files.delete(line.value.path!))
        return hubError(404, `Entry not found: ${line.value.path}`, "EntryNotFound");
    } else if (line.key === "lfsFile") {
      return hubError(400, "This fake Hub only supports regular uploads");
    }
  }
  const sha = sha40(`${branch.sha}:${req.body}`);
  repo.branches.set(branchName, { sha, files });
  return hubJson({
    success: true,
    commitOid: sha,
    commitUrl: `${req.base}/${prefix}${repo.init.id}/commit/${sha}`,
    hookOutput: "",
    ...(pullRequestUrl ? { pullRequestUrl } : {}),
  });
}

function createRepoRoute(state: RepoState, req: HubRequest): Response {
  if (!req.user) return hubError(401, "Invalid username or password.");
  const body = JSON.parse(req.body || "{}") as {
    name?: string;
    organization?: string;
    type?: FakeRepoType;
    visibility?: string;
    private?: boolean;
    sdk?: string;
    files?: { path: string; content: string; encoding?: string }[];
  };
  const type = body.type ?? "model";
  const id = `${body.organization ?? req.user.name}/${body.name}`;
  if (!canWrite(id, req))
    return hubError(403, `You don't have the rights to create a repo under ${body.organization}`);
  if (type === "space" && !body.sdk) return hubError(400, "sdk is required for spaces");
  const prefix = type === "model" ? "" : `${type}s/`;
  const url = `${req.base}/${prefix}${id}`;
  if (state.repos.has(repoKey(type, id)))
    return hubJson({ error: `You already created this ${type} repo`, url }, 409);
  const repo = createFakeRepo({
    id,
    type,
    private: body.visibility ? body.visibility !== "public" : !!body.private,
    ...(body.sdk ? { sdk: body.sdk } : {}),
    files: {
      ".gitattributes": "*.bin filter=lfs diff=lfs merge=lfs -text\n",
      ...Object.fromEntries(
        (body.files ?? []).map((f) => [
          f.path,
          f.encoding === "base64" ? Uint8Array.from(Buffer.from(f.content, "base64")) : f.content,
        ]),
      ),
    },
  });
  state.repos.set(repoKey(type, id), repo);
  return hubJson({ url, name: id, id: repo.objectId });
}

function settings(state: RepoState, req: HubRequest, m: RegExpExecArray): Response {
  const repo = requireWrite(state, req, m[1]!, m[2]!);
  if (repo instanceof Response) return repo;
  const body = JSON.parse(req.body || "{}") as {
    gated?: false | "auto" | "manual";
    visibility?: string;
  };
  // Like the Hub's current settings API (huggingface_hub sends `visibility`): a legacy `private` field is ignored.
  if (body.visibility !== undefined) {
    if (!["public", "private", "protected"].includes(body.visibility))
      return hubError(400, `Invalid visibility: ${body.visibility}`);
    repo.init.private = body.visibility !== "public";
  }
  if (body.gated !== undefined) repo.init.gated = body.gated;
  // No client reads this body; the Hub may send it empty.
  return hubText("OK");
}

function refs(repo: FakeRepo): Record<string, unknown> {
  const ref = (kind: string, name: string, b: FakeBranch) => ({
    name,
    ref: `refs/${kind}/${name}`,
    targetCommit: b.sha,
  });
  return {
    branches: [...repo.branches].filter(([n]) => !n.startsWith("refs/")).map(([n, b]) => ref("heads", n, b)),
    tags: [...repo.tags].map(([n, b]) => ref("tags", n, b)),
    converts: [],
  };
}

function discussionJson(repo: FakeRepo, d: FakeDiscussion): Record<string, unknown> {
  return {
    num: d.num,
    title: d.title,
    status: d.status,
    isPullRequest: d.isPullRequest,
    createdAt: d.createdAt,
    author: { name: d.author },
    repo: { name: repo.init.id, type: repo.init.type },
    pinned: false,
    numComments: d.events.filter((e) => e.type === "comment").length,
  };
}

export function repoRoutes(state: RepoState): Route[] {
  const base = (suffix: string) => new RegExp(`^/api/(${TYPES})/${REPO}${suffix}$`);
  const withRepo =
    (handler: (repo: FakeRepo, req: HubRequest, m: RegExpExecArray) => Response, write = false) =>
    (req: HubRequest, m: RegExpExecArray): Response => {
      const repo = write ? requireWrite(state, req, m[1]!, m[2]!) : findRepo(state, req, m[1]!, m[2]!);
      return repo instanceof Response ? repo : handler(repo, req, m);
    };
  const findDiscussion = (repo: FakeRepo, num: string) => repo.discussions.find((d) => d.num === Number(num));
  const addEvent = (
    d: FakeDiscussion,
    req: HubRequest,
    type: FakeDiscussionEvent["type"],
    data: Record<string, unknown>,
  ) => {
    const event = {
      id: sha40(`ev:${d.num}:${d.events.length}`).slice(0, 24),
      type,
      createdAt: state.now(),
      author: { name: req.user?.name ?? "anonymous" },
      data,
    };
    d.events.push(event);
    return event;
  };
  return [
    route("GET", new RegExp(`^/api/(${TYPES})$`), (req, m) => listRepos(state, req, m[1]!)),
    route("POST", /^\/api\/repos\/create$/, (req) => createRepoRoute(state, req)),
    route("DELETE", /^\/api\/repos\/delete$/, (req) => {
      const body = JSON.parse(req.body || "{}") as {
        name: string;
        organization?: string;
        type?: FakeRepoType;
      };
      const id = `${body.organization ?? req.user?.name}/${body.name}`;
      if (!canWrite(id, req)) return hubError(403, "Forbidden");
      state.repos.delete(repoKey(body.type ?? "model", id));
      return hubText("OK");
    }),
    route("GET", base("(?:/revision/([^/]+))?"), (req, m) =>
      repoInfo(state, req, m[1]!, m[2]!, decode(m[3] ?? "main")),
    ),
    route("GET", base("/tree/(.+)"), (req, m) => tree(state, req, m)),
    route("POST", base("/preupload/([^/]+)"), (req, m) => preupload(state, req, m)),
    route("POST", base("/commit/([^/]+)"), (req, m) => commit(state, req, m)),
    route("PUT", base("/settings"), (req, m) => settings(state, req, m)),
    route("GET", base("/refs"), (req, m) => withRepo((repo) => hubJson(refs(repo)))(req, m)),
    route(
      "POST",
      base("/branch/([^/]+)"),
      withRepo((repo, req, m) => {
        const name = decode(m[3]);
        if (repo.branches.has(name)) return hubError(409, `Branch ${name} already exists`);
        const body = JSON.parse(req.body || "{}") as { startingPoint?: string; emptyBranch?: boolean };
        const from = resolveRevision(repo, body.startingPoint ?? "main");
        if (!from) return hubError(404, `Invalid rev id: ${body.startingPoint}`, "RevisionNotFound");
        repo.branches.set(name, { sha: from.sha, files: body.emptyBranch ? new Map() : new Map(from.files) });
        return hubJson({});
      }, true),
    ),
    route(
      "DELETE",
      base("/branch/([^/]+)"),
      withRepo((repo, _req, m) => {
        const name = decode(m[3]);
        if (name === "main") return hubError(403, "Cannot delete the default branch");
        if (!repo.branches.delete(name)) return hubError(404, `Invalid rev id: ${name}`, "RevisionNotFound");
        return hubJson({});
      }, true),
    ),
    route(
      "POST",
      base("/tag/([^/]+)"),
      withRepo((repo, req, m) => {
        const rev = decode(m[3]);
        const body = JSON.parse(req.body || "{}") as { tag?: string; message?: string };
        if (!body.tag) return hubError(400, "tag is required");
        if (repo.tags.has(body.tag)) return hubError(409, `Tag ${body.tag} already exists`);
        const from = resolveRevision(repo, rev);
        if (!from) return hubError(404, `Invalid rev id: ${rev}`, "RevisionNotFound");
        repo.tags.set(body.tag, { sha: from.sha, files: new Map(from.files) });
        // No client reads the answer; the Hub may send an empty body.
        return new Response(null, { status: 200, headers: hubHeaders() });
      }, true),
    ),
    route(
      "DELETE",
      base("/tag/([^/]+)"),
      withRepo((repo, _req, m) => {
        if (!repo.tags.delete(decode(m[3])))
          return hubError(404, `Invalid rev id: ${decode(m[3])}`, "RevisionNotFound");
        return hubText("OK");
      }, true),
    ),
    route(
      "GET",
      base("/discussions"),
      withRepo((repo, req) => {
        const q = req.url.searchParams;
        const page = Number(q.get("p") ?? 0);
        const type = q.get("type") ?? "all";
        const status = q.get("status") ?? "all";
        const items = [...repo.discussions]
          .reverse()
          .filter(
            (d) =>
              (type === "all" || (type === "pull_request") === d.isPullRequest) &&
              (status === "all" ||
                (status === "open"
                  ? d.status === "open" || d.status === "draft"
                  : d.status !== "open" && d.status !== "draft")),
          );
        const size = 50;
        return hubJson({
          discussions: items.slice(page * size, page * size + size).map((d) => discussionJson(repo, d)),
          count: items.length,
          start: page * size,
          numClosedDiscussions: items.filter((d) => d.status === "closed").length,
        });
      }),
    ),
    route(
      "POST",
      base("/discussions"),
      withRepo((repo, req) => {
        if (!req.user) return hubError(401, "Invalid username or password.");
        const body = JSON.parse(req.body || "{}") as {
          title?: string;
          description?: string;
          pullRequest?: boolean;
        };
        if (!body.title || body.title.length < 3) return hubError(400, "title must be at least 3 characters");
        const d = newDiscussion(repo, state, req.user.name, body.title, !!body.pullRequest, body.description);
        return hubJson(discussionJson(repo, d));
      }),
    ),
    route(
      "GET",
      base("/discussions/(\\d+)"),
      withRepo((repo, _req, m) => {
        const d = findDiscussion(repo, m[3]!);
        if (!d) return hubError(404, "Discussion not found");
        return hubJson({
          ...discussionJson(repo, d),
          events: d.events,
          ...(d.isPullRequest ? { changes: { base: "refs/heads/main" }, filesWithConflicts: [] } : {}),
        });
      }),
    ),
    route(
      "POST",
      base("/discussions/(\\d+)/(comment|status|merge|title)"),
      withRepo((repo, req, m) => {
        if (!req.user) return hubError(401, "Invalid username or password.");
        const d = findDiscussion(repo, m[3]!);
        if (!d) return hubError(404, "Discussion not found");
        const body = JSON.parse(req.body || "{}") as { comment?: string; status?: string; title?: string };
        const action = m[4];
        if (action === "comment") {
          if (!body.comment) return hubError(400, "comment is required");
          const event = addEvent(d, req, "comment", {
            edited: false,
            hidden: false,
            latest: { raw: body.comment },
          });
          return hubJson({ newMessage: event });
        }
        if (!canWrite(repo.init.id, req) && d.author !== req.user.name) return hubError(403, "Forbidden");
        if (action === "status") {
          if (body.status !== "open" && body.status !== "closed")
            return hubError(400, "status must be open or closed");
          d.status = body.status;
          if (body.comment) addEvent(d, req, "comment", { latest: { raw: body.comment } });
          return hubJson({ newStatus: addEvent(d, req, "status-change", { status: body.status }) });
        }
        if (action === "title") {
          const from = d.title;
          d.title = body.title ?? d.title;
          return hubJson({ newTitle: addEvent(d, req, "title-change", { from, to: d.title }) });
        }
        if (!d.isPullRequest) return hubError(400, "Only pull requests can be merged");
        if (!canWrite(repo.init.id, req)) return hubError(403, "Forbidden");
        if (d.status === "merged" || d.status === "closed")
          return hubError(400, `Pull request is ${d.status}`);
        const pr = repo.branches.get(`refs/pr/${d.num}`);
        if (pr) repo.branches.set("main", { sha: sha40(`merge:${pr.sha}`), files: new Map(pr.files) });
        d.status = "merged";
        if (body.comment) addEvent(d, req, "comment", { latest: { raw: body.comment } });
        addEvent(d, req, "status-change", { status: "merged" });
        return new Response(null, { status: 200, headers: hubHeaders() });
      }),
    ),
    route("GET", /^\/(?:(datasets|spaces)\/)?([^/]+\/[^/]+)\/(?:resolve|raw)\/(.+)$/, (req, m) =>
      resolveFile(state, req, m[1] ?? "models", m[2]!, m[3]!),
    ),
  ];
}

/**
 * A text file of `size` bytes (numbered lines, ASCII), for checkpoints and logs big enough that a whole-file download
 * shows in `FakeHub.downloads`. Built once per call; 64 MiB takes a few milliseconds.
 */
export function largeTextFile(size: number): Uint8Array {
  const out = new Uint8Array(size);
  const line = encoder.encode("step 000000 loss 0.1234 lr 0.0001 this line repeats to fill the file\n");
  for (let at = 0; at < size; at += line.byteLength)
    out.set(line.subarray(0, Math.min(line.byteLength, size - at)), at);
  return out;
}
