/**
 * A fake GitHub REST API (api.github.com shapes) for the real Octokit client:
 * repositories, contents (base64 files, directory listings, raw media type), recursive git trees,
 * owner repository listings and repository search with `Link` pagination, code search with
 * `text-matches`, rate-limit headers on every response, and injectable primary/secondary limits.
 */

import type { Context } from "hono";
import { Hono } from "hono";
import { type FakeServer, jsonResponse, startFakeServer } from "../http/fake-server.ts";

export interface FakeGithubRepo {
  owner: string;
  name: string;
  private?: boolean;
  /** Defaults to "main". */
  defaultBranch?: string;
  description?: string | null;
  stars?: number;
  forks?: number;
  language?: string | null;
  topics?: string[];
  /** Files of the default branch: path -> content. */
  files?: Record<string, string>;
  /** Files of other refs (branches, tags, commit shas): ref -> path -> content. */
  refs?: Record<string, Record<string, string>>;
  createdAt?: string;
  updatedAt?: string;
}

export interface FakeGithubOwner {
  login: string;
  type: "Organization" | "User";
}

export type FakeGithubFailure =
  | {
      kind: "primary";
      /** Epoch seconds when the limit resets. */
      resetEpochSeconds: number;
      /** Only requests whose path starts with this prefix (default: every path). */
      pathPrefix?: string;
    }
  | {
      kind: "secondary";
      /** Sent as the `retry-after` header (seconds); omitted when undefined. */
      retryAfterSeconds?: number;
      pathPrefix?: string;
    };

export interface FakeGithubOptions {
  repos?: FakeGithubRepo[];
  /** Owners not derivable from repos, or to mark an owner as a user (default: Organization). */
  owners?: FakeGithubOwner[];
  /** Tokens the fake accepts (sent as `Authorization: Bearer|token <t>`). Others get 401 Bad credentials. */
  tokens?: string[];
  /** Files at or above this size are returned with empty content and `encoding: "none"` (as GitHub does over 1 MB). */
  largeFileBytes?: number;
}

export interface FakeGithub extends FakeServer {
  /** The next matching request fails with this rate limit (queued, one request each). */
  failNext(failure: FakeGithubFailure): void;
}

const DOCS = "https://docs.github.com/rest";
const PER_PAGE_DEFAULT = 30;

interface RepoState extends FakeGithubRepo {
  id: number;
}

export async function startFakeGithub(options: FakeGithubOptions = {}): Promise<FakeGithub> {
  const repos: RepoState[] = (options.repos ?? []).map((r, i) => ({ ...r, id: 1000 + i }));
  const tokens = new Set(options.tokens ?? []);
  const largeFileBytes = options.largeFileBytes ?? 1_000_000;
  const failures: FakeGithubFailure[] = [];
  const owners = new Map<string, FakeGithubOwner>();
  for (const r of repos) owners.set(r.owner.toLowerCase(), { login: r.owner, type: "Organization" });
  for (const o of options.owners ?? []) owners.set(o.login.toLowerCase(), o);
  let baseUrl = "";

  const authOf = (c: Context): "anonymous" | "valid" | "invalid" => {
    const header = c.req.header("authorization");
    if (!header) return "anonymous";
    const token = header.replace(/^(bearer|token)\s+/i, "");
    return tokens.has(token) ? "valid" : "invalid";
  };

  const rateHeaders = (c: Context, resource: "core" | "search" | "code_search"): Record<string, string> => {
    const authed = authOf(c) === "valid";
    const limit = resource === "core" ? (authed ? 5000 : 60) : authed ? 30 : 10;
    return {
      "x-ratelimit-limit": String(limit),
      "x-ratelimit-remaining": String(limit - 1),
      "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600),
      "x-ratelimit-used": "1",
      "x-ratelimit-resource": resource,
    };
  };

  const json = (c: Context, body: unknown, status = 200, extra: Record<string, string> = {}) =>
    jsonResponse(body, { status, headers: { ...rateHeaders(c, resourceOf(c.req.path)), ...extra } });

  const notFound = (c: Context, docs: string) =>
    json(c, { message: "Not Found", documentation_url: `${DOCS}/${docs}`, status: "404" }, 404);

  const findRepo = (c: Context, owner: string, name: string): RepoState | undefined => {
    const repo = repos.find(
      (r) => r.owner.toLowerCase() === owner.toLowerCase() && r.name.toLowerCase() === name.toLowerCase(),
    );
    if (!repo) return undefined;
    // GitHub hides private repositories from callers without access behind a 404.
    if (repo.private && authOf(c) !== "valid") return undefined;
    return repo;
  };

  const filesAt = (repo: RepoState, ref: string | undefined): Record<string, string> | undefined => {
    const branch = repo.defaultBranch ?? "main";
    if (!ref || ref === branch || ref === "HEAD") return repo.files ?? {};
    return repo.refs?.[ref];
  };

  const app = new Hono();

  app.use("*", async (c, next) => {
    const auth = authOf(c);
    if (auth === "invalid") {
      return json(
        c,
        { message: "Bad credentials", documentation_url: "https://docs.github.com/rest", status: "401" },
        401,
      );
    }
    const index = failures.findIndex((f) => !f.pathPrefix || c.req.path.startsWith(f.pathPrefix));
    if (index >= 0) {
      const failure = failures.splice(index, 1)[0]!;
      const headers = rateHeaders(c, resourceOf(c.req.path));
      if (failure.kind === "primary") {
        headers["x-ratelimit-remaining"] = "0";
        headers["x-ratelimit-used"] = headers["x-ratelimit-limit"]!;
        headers["x-ratelimit-reset"] = String(failure.resetEpochSeconds);
        const message =
          auth === "valid"
            ? "API rate limit exceeded for user ID 1."
            : "API rate limit exceeded for 127.0.0.1. (But here's the good news: Authenticated requests get a higher rate limit. Check out the documentation for more details.)";
        return jsonResponse(
          {
            message,
            documentation_url:
              "https://docs.github.com/rest/overview/resources-in-the-rest-api#rate-limiting",
          },
          { status: 403, headers },
        );
      }
      if (failure.retryAfterSeconds !== undefined) headers["retry-after"] = String(failure.retryAfterSeconds);
      return jsonResponse(
        {
          message:
            "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ABCD:1234:5678.",
          documentation_url:
            "https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
          status: "403",
        },
        { status: 403, headers },
      );
    }
    await next();
  });

  app.get("/repos/:owner/:repo", (c) => {
    const repo = findRepo(c, c.req.param("owner"), c.req.param("repo"));
    if (!repo) return notFound(c, "repos/repos#get-a-repository");
    return json(c, repoJson(repo, baseUrl, owners));
  });

  app.get("/repos/:owner/:repo/git/trees/:sha", (c) => {
    const repo = findRepo(c, c.req.param("owner"), c.req.param("repo"));
    if (!repo) return notFound(c, "git/trees#get-a-tree");
    const sha = c.req.param("sha");
    const files = filesAt(repo, sha);
    if (!files) return notFound(c, "git/trees#get-a-tree");
    const recursive = c.req.query("recursive") !== undefined;
    const apiBase = `${baseUrl}/repos/${repo.owner}/${repo.name}`;
    const entries = new Map<string, { type: "blob" | "tree"; size?: number; content?: string }>();
    for (const [path, content] of Object.entries(files)) {
      const parts = path.split("/");
      for (let i = 1; i < parts.length; i++) entries.set(parts.slice(0, i).join("/"), { type: "tree" });
      entries.set(path, { type: "blob", size: byteLength(content), content });
    }
    const tree = [...entries.entries()]
      .filter(([path]) => recursive || !path.includes("/"))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([path, e]) => {
        const entrySha = fakeSha(`${repo.owner}/${repo.name}:${sha}:${path}:${e.content ?? ""}`);
        return e.type === "blob"
          ? {
              path,
              mode: "100644",
              type: "blob",
              sha: entrySha,
              size: e.size,
              url: `${apiBase}/git/blobs/${entrySha}`,
            }
          : { path, mode: "040000", type: "tree", sha: entrySha, url: `${apiBase}/git/trees/${entrySha}` };
      });
    const treeSha = fakeSha(`${repo.owner}/${repo.name}:${sha}`);
    return json(c, { sha: treeSha, url: `${apiBase}/git/trees/${treeSha}`, tree, truncated: false });
  });

  app.get("/repos/:owner/:repo/contents/*", (c) => {
    const repo = findRepo(c, c.req.param("owner"), c.req.param("repo"));
    if (!repo) return notFound(c, "repos/contents#get-repository-content");
    const prefix = `/repos/${c.req.param("owner")}/${c.req.param("repo")}/contents`;
    const path = decodeURIComponent(c.req.path.slice(prefix.length)).replace(/^\/+|\/+$/g, "");
    const ref = c.req.query("ref");
    const files = filesAt(repo, ref);
    if (!files) {
      return json(
        c,
        {
          message: `No commit found for the ref ${ref}`,
          documentation_url: `${DOCS}/repos/contents`,
          status: "404",
        },
        404,
      );
    }
    const refName = ref ?? repo.defaultBranch ?? "main";
    const content = files[path];
    const accept = c.req.header("accept") ?? "";
    if (content !== undefined) {
      if (accept.includes("application/vnd.github.raw")) {
        return new Response(content, {
          headers: { ...rateHeaders(c, "core"), "content-type": "application/vnd.github.raw; charset=utf-8" },
        });
      }
      const size = byteLength(content);
      const large = size >= largeFileBytes;
      return json(c, {
        ...contentEntry(repo, baseUrl, path, "file", refName, content),
        content: large ? "" : wrapBase64(Buffer.from(content, "utf8").toString("base64")),
        encoding: large ? "none" : "base64",
      });
    }
    const dirPrefix = path === "" ? "" : `${path}/`;
    const children = new Map<string, "file" | "dir">();
    for (const filePath of Object.keys(files)) {
      if (!filePath.startsWith(dirPrefix)) continue;
      const rest = filePath.slice(dirPrefix.length);
      const [head, ...tail] = rest.split("/");
      children.set(`${dirPrefix}${head}`, tail.length ? "dir" : "file");
    }
    if (children.size === 0) return notFound(c, "repos/contents#get-repository-content");
    const listing = [...children.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([childPath, type]) =>
        contentEntry(repo, baseUrl, childPath, type, refName, type === "file" ? files[childPath] : undefined),
      );
    return json(c, listing);
  });

  const listOwnerRepos = (c: Context, kind: "orgs" | "users") => {
    const login = c.req.param("owner") ?? "";
    const owner = owners.get(login.toLowerCase());
    if (!owner || (kind === "orgs" && owner.type !== "Organization")) {
      return notFound(c, kind === "orgs" ? "repos/repos#list-organization-repositories" : "repos/repos");
    }
    let list = repos.filter((r) => r.owner.toLowerCase() === login.toLowerCase() && !r.private);
    const sort = c.req.query("sort") ?? (kind === "orgs" ? "created" : "full_name");
    const direction = c.req.query("direction") ?? (sort === "full_name" ? "asc" : "desc");
    list = sortRepos(list, sort, direction);
    return paged(
      c,
      list.map((r) => repoJson(r, baseUrl, owners)),
    );
  };
  app.get("/orgs/:owner/repos", (c) => listOwnerRepos(c, "orgs"));
  app.get("/users/:owner/repos", (c) => listOwnerRepos(c, "users"));

  app.get("/search/repositories", (c) => {
    const q = c.req.query("q") ?? "";
    const { terms, qualifiers } = parseQuery(q);
    const ownerFilter = qualifiers.get("org") ?? qualifiers.get("user");
    let list = repos.filter((r) => {
      if (r.private && authOf(c) !== "valid") return false;
      if (ownerFilter && !ownerFilter.some((o) => o.toLowerCase() === r.owner.toLowerCase())) return false;
      const haystack = `${r.name} ${r.description ?? ""} ${(r.topics ?? []).join(" ")}`.toLowerCase();
      return terms.every((t) => haystack.includes(t.toLowerCase()));
    });
    const sort = c.req.query("sort");
    list = sort ? sortRepos(list, sort, c.req.query("order") ?? "desc") : list;
    return paged(
      c,
      list.map((r) => ({ ...repoJson(r, baseUrl, owners), score: 1 })),
      (items, total) => ({
        total_count: total,
        incomplete_results: false,
        items,
      }),
    );
  });

  app.get("/search/code", (c) => {
    if (authOf(c) !== "valid") {
      return json(
        c,
        {
          message: "Requires authentication",
          errors: [
            {
              message: "Must be authenticated to access the code search API",
              resource: "Search",
              field: "q",
              code: "invalid",
            },
          ],
          documentation_url: "https://docs.github.com/v3/search/#search-code",
          status: "401",
        },
        401,
      );
    }
    const { terms, qualifiers } = parseQuery(c.req.query("q") ?? "");
    if (terms.length === 0) {
      return json(
        c,
        {
          message: "Validation Failed",
          errors: [{ resource: "Search", field: "q", code: "missing" }],
          documentation_url: "https://docs.github.com/v3/search",
          status: "422",
        },
        422,
      );
    }
    const textMatch = (c.req.header("accept") ?? "").includes("text-match");
    const items: Record<string, unknown>[] = [];
    for (const repo of repos) {
      const full = `${repo.owner}/${repo.name}`.toLowerCase();
      const repoQ = qualifiers.get("repo");
      if (repoQ && !repoQ.some((r) => r.toLowerCase() === full)) continue;
      const ownerQ = qualifiers.get("org") ?? qualifiers.get("user");
      if (ownerQ && !ownerQ.some((o) => o.toLowerCase() === repo.owner.toLowerCase())) continue;
      for (const [path, content] of Object.entries(repo.files ?? {})) {
        const language = qualifiers.get("language")?.[0];
        if (language && languageOf(path) !== language.toLowerCase()) continue;
        const pathQ = qualifiers.get("path")?.[0];
        if (pathQ && !path.startsWith(pathQ.replace(/^\//, ""))) continue;
        const ext = qualifiers.get("extension")?.[0];
        if (ext && !path.endsWith(`.${ext}`)) continue;
        const lower = content.toLowerCase();
        if (!terms.every((t) => lower.includes(t.toLowerCase()))) continue;
        const name = path.split("/").pop() ?? path;
        const sha = fakeSha(`${full}:${path}`);
        const apiBase = `${baseUrl}/repos/${repo.owner}/${repo.name}`;
        const item: Record<string, unknown> = {
          name,
          path,
          sha,
          url: `${apiBase}/contents/${path}?ref=${sha}`,
          git_url: `${apiBase}/git/blobs/${sha}`,
          html_url: `https://github.com/${repo.owner}/${repo.name}/blob/${sha}/${path}`,
          repository: repoJson(repo, baseUrl, owners),
          score: 1,
        };
        if (textMatch)
          item.text_matches = textMatches(content, terms, `${apiBase}/contents/${path}?ref=${sha}`);
        items.push(item);
      }
    }
    return paged(c, items, (page, total) => ({ total_count: total, incomplete_results: false, items: page }));
  });

  app.notFound((c) => notFound(c, ""));

  const paged = (
    c: Context,
    all: unknown[],
    wrap?: (items: unknown[], total: number) => Record<string, unknown>,
  ): Response => {
    const perPage = Math.min(100, Number(c.req.query("per_page") ?? PER_PAGE_DEFAULT) || PER_PAGE_DEFAULT);
    const page = Math.max(1, Number(c.req.query("page") ?? 1) || 1);
    const lastPage = Math.max(1, Math.ceil(all.length / perPage));
    const slice = all.slice((page - 1) * perPage, page * perPage);
    const links: string[] = [];
    const linkTo = (p: number, rel: string) => {
      const url = new URL(c.req.url);
      url.searchParams.set("page", String(p));
      links.push(`<${baseUrl}${url.pathname}${url.search}>; rel="${rel}"`);
    };
    if (page > 1) linkTo(page - 1, "prev");
    if (page < lastPage) linkTo(page + 1, "next");
    if (page < lastPage) linkTo(lastPage, "last");
    if (page > 1) linkTo(1, "first");
    const extra: Record<string, string> = links.length ? { link: links.join(", ") } : {};
    return json(c, wrap ? wrap(slice, all.length) : slice, 200, extra);
  };

  const server = await startFakeServer((request) => app.fetch(request));
  baseUrl = server.url;
  return {
    ...server,
    failNext(failure) {
      failures.push(failure);
    },
  };
}

function resourceOf(path: string): "core" | "search" | "code_search" {
  if (path.startsWith("/search/code")) return "code_search";
  if (path.startsWith("/search/")) return "search";
  return "core";
}

function repoJson(repo: RepoState, baseUrl: string, owners: Map<string, FakeGithubOwner>) {
  const owner = owners.get(repo.owner.toLowerCase());
  const full = `${repo.owner}/${repo.name}`;
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: full,
    private: repo.private ?? false,
    owner: {
      login: repo.owner,
      id: 1,
      type: owner?.type ?? "Organization",
      url: `${baseUrl}/users/${repo.owner}`,
      html_url: `https://github.com/${repo.owner}`,
    },
    html_url: `https://github.com/${full}`,
    description: repo.description ?? null,
    fork: false,
    url: `${baseUrl}/repos/${full}`,
    created_at: repo.createdAt ?? "2020-01-01T00:00:00Z",
    updated_at: repo.updatedAt ?? "2024-01-01T00:00:00Z",
    pushed_at: repo.updatedAt ?? "2024-01-01T00:00:00Z",
    homepage: null,
    size: 100,
    stargazers_count: repo.stars ?? 0,
    watchers_count: repo.stars ?? 0,
    language: repo.language ?? null,
    forks_count: repo.forks ?? 0,
    archived: false,
    disabled: false,
    open_issues_count: 0,
    license: null,
    topics: repo.topics ?? [],
    visibility: repo.private ? "private" : "public",
    forks: repo.forks ?? 0,
    open_issues: 0,
    watchers: repo.stars ?? 0,
    default_branch: repo.defaultBranch ?? "main",
  };
}

function contentEntry(
  repo: RepoState,
  baseUrl: string,
  path: string,
  type: "file" | "dir",
  ref: string,
  content: string | undefined,
) {
  const full = `${repo.owner}/${repo.name}`;
  const sha = fakeSha(`${full}:${ref}:${path}:${content ?? ""}`);
  const url = `${baseUrl}/repos/${full}/contents/${path}?ref=${ref}`;
  const htmlUrl = `https://github.com/${full}/${type === "file" ? "blob" : "tree"}/${ref}/${path}`;
  const gitUrl = `${baseUrl}/repos/${full}/git/${type === "file" ? "blobs" : "trees"}/${sha}`;
  return {
    name: path.split("/").pop() ?? path,
    path,
    sha,
    size: type === "file" ? byteLength(content ?? "") : 0,
    url,
    html_url: htmlUrl,
    git_url: gitUrl,
    download_url: type === "file" ? `https://raw.githubusercontent.com/${full}/${ref}/${path}` : null,
    type,
    _links: { self: url, git: gitUrl, html: htmlUrl },
  };
}

function sortRepos(list: RepoState[], sort: string, direction: string): RepoState[] {
  const key = (r: RepoState): number | string => {
    switch (sort) {
      case "stars":
        return r.stars ?? 0;
      case "forks":
        return r.forks ?? 0;
      case "updated":
      case "pushed":
        return r.updatedAt ?? "2024-01-01T00:00:00Z";
      case "created":
        return r.createdAt ?? "2020-01-01T00:00:00Z";
      default:
        return `${r.owner}/${r.name}`.toLowerCase();
    }
  };
  const sign = direction === "asc" ? 1 : -1;
  return [...list].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -sign : ka > kb ? sign : 0;
  });
}

/** Splits a GitHub search query into free-text terms and `key:value` qualifiers. */
function parseQuery(q: string): { terms: string[]; qualifiers: Map<string, string[]> } {
  const terms: string[] = [];
  const qualifiers = new Map<string, string[]>();
  for (const match of q.matchAll(/"([^"]+)"|(\S+)/g)) {
    const token = match[1] ?? match[2] ?? "";
    const q2 = /^([a-z_]+):(.+)$/.exec(token);
    if (q2 && match[1] === undefined) {
      const list = qualifiers.get(q2[1]!) ?? [];
      list.push(q2[2]!);
      qualifiers.set(q2[1]!, list);
    } else {
      terms.push(token);
    }
  }
  return { terms, qualifiers };
}

function textMatches(content: string, terms: string[], objectUrl: string) {
  const lower = content.toLowerCase();
  const out: Record<string, unknown>[] = [];
  for (const term of terms) {
    const at = lower.indexOf(term.toLowerCase());
    if (at < 0) continue;
    const start = Math.max(0, content.lastIndexOf("\n", Math.max(0, at - 80)) + 1);
    const endNl = content.indexOf("\n", at + term.length + 80);
    const end = endNl < 0 ? content.length : endNl;
    const fragment = content.slice(start, end);
    const rel = at - start;
    out.push({
      object_url: objectUrl,
      object_type: "FileContent",
      property: "content",
      fragment,
      matches: [{ text: content.slice(at, at + term.length), indices: [rel, rel + term.length] }],
    });
  }
  return out;
}

function languageOf(path: string): string {
  const ext = path.split(".").pop()?.toLowerCase() ?? "";
  const map: Record<string, string> = {
    py: "python",
    ipynb: "jupyter notebook",
    ts: "typescript",
    js: "javascript",
    md: "markdown",
    rs: "rust",
  };
  return map[ext] ?? ext;
}

function wrapBase64(b64: string): string {
  return `${b64.replace(/.{60}/g, "$&\n")}\n`;
}

function byteLength(s: string): number {
  return Buffer.byteLength(s, "utf8");
}

function fakeSha(seed: string): string {
  return new Bun.CryptoHasher("sha1").update(seed).digest("hex");
}
