import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type FakeGithub, type FakeGithubRepo, startFakeGithub } from "@ml-intern/testing/github/fake-github";
import { createListReposTool } from "../../src/github/list-repos.ts";
import { runChecked } from "../lib/checked.ts";
import { makeConfig, makeCtx } from "../lib/context.ts";

let github: FakeGithub;

function manyRepos(owner: string, count: number): FakeGithubRepo[] {
  return Array.from({ length: count }, (_, i) => ({
    owner,
    name: `repo-${String(i).padStart(3, "0")}`,
    stars: (i * 37) % 1000,
    forks: i,
    language: "Python",
    description: `Repository number ${i}`,
    createdAt: new Date(Date.UTC(2020, 0, 1 + i)).toISOString(),
    updatedAt: new Date(Date.UTC(2024, 0, 1 + ((i * 7) % 250))).toISOString(),
  }));
}

beforeAll(async () => {
  github = await startFakeGithub({
    repos: [...manyRepos("bigorg", 250), ...manyRepos("alice", 3)],
    owners: [{ login: "alice", type: "User" }],
  });
});
afterAll(() => github.close());

function run(args: Record<string, unknown>) {
  const t = createListReposTool({ config: makeConfig({ apiUrl: github.url }) });
  return runChecked(t, args, makeCtx());
}

type Listed = Array<{ fullName: string; stars: number; forks: number }>;

describe("github_list_repos", () => {
  test("by stars: sorted by GitHub search and limited, fetching only the pages needed", async () => {
    const before = github.requests.length;
    const result = await run({ owner: "bigorg", sort: "stars", limit: 150 });
    const repos = result.structured?.repos as Listed;
    expect(repos).toHaveLength(150);
    const stars = repos.map((r) => r.stars);
    expect(stars).toEqual([...stars].sort((a, b) => b - a));
    const calls = github.requests.slice(before);
    expect(calls).toHaveLength(2);
    expect(calls[0]?.url.searchParams.get("q")).toBe("user:bigorg");
    expect(calls[0]?.url.searchParams.get("per_page")).toBe("100");
    expect(calls[1]?.url.searchParams.get("page")).toBe("2");
  });

  test("the default limit is 30 in one request, never paging through everything", async () => {
    const before = github.requests.length;
    const result = await run({ owner: "bigorg" });
    expect((result.structured?.repos ?? []) as Listed).toHaveLength(30);
    expect(github.requests.length - before).toBe(1);
    expect(result.text).toContain("bigorg/");
    expect(result.text).toContain("⭐");
  });

  test("ascending forks", async () => {
    const result = await run({ owner: "bigorg", sort: "forks", order: "asc", limit: 5 });
    expect(((result.structured?.repos ?? []) as Listed).map((r) => r.forks)).toEqual([0, 1, 2, 3, 4]);
  });

  test("by creation date uses the org listing with Link pagination", async () => {
    const before = github.requests.length;
    const result = await run({ owner: "bigorg", sort: "created", limit: 120 });
    const repos = result.structured?.repos as Listed;
    expect(repos).toHaveLength(120);
    expect(repos[0]?.fullName).toBe("bigorg/repo-249");
    const calls = github.requests.slice(before);
    expect(calls.map((c) => c.path)).toEqual(["/orgs/bigorg/repos", "/orgs/bigorg/repos"]);
    expect(calls[0]?.url.searchParams.get("sort")).toBe("created");
  });

  test("a user owner falls back from the org listing", async () => {
    const result = await run({ owner: "alice", sort: "name", order: "asc" });
    expect(((result.structured?.repos ?? []) as Listed).map((r) => r.fullName)).toEqual([
      "alice/repo-000",
      "alice/repo-001",
      "alice/repo-002",
    ]);
  });

  test("an unknown owner is an actionable error", async () => {
    const result = await run({ owner: "nobody-here", sort: "updated" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("Not found");
  });

  test("limit above 200 is rejected by the schema", () => {
    const t = createListReposTool({ config: makeConfig({ apiUrl: github.url }) });
    expect(t.input.safeParse({ owner: "x", limit: 1000 }).success).toBe(false);
  });
});
