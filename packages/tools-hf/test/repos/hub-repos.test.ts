import { describe, expect, test } from "bun:test";
import {
  FAKE_HF_READ_TOKEN,
  FAKE_HF_TOKEN,
  type FakeRepoInit,
  largeTextFile,
} from "@ml-intern/testing/hf/fake-hub";
import { startHfEnv } from "../lib/hf-env.ts";

const repos: FakeRepoInit[] = [
  {
    id: "meta/llama-small",
    pipeline_tag: "text-generation",
    library_name: "transformers",
    downloads: 900,
    likes: 50,
    tags: ["text-generation", "transformers"],
    files: {
      "README.md": "---\nlicense: mit\n---\n# Llama small\nA tiny llama.",
      "config.json": '{"hidden": 8}',
    },
  },
  {
    id: "meta/llama-big",
    pipeline_tag: "text-generation",
    downloads: 500,
    likes: 80,
    tags: ["text-generation"],
  },
  {
    id: "org/llama-tiny",
    pipeline_tag: "text-generation",
    downloads: 100,
    likes: 5,
    tags: ["text-generation"],
  },
  {
    id: "gated/secret-model",
    gated: "manual",
    files: { "README.md": "# Secret", "weights.bin": "xx" },
  },
  { id: "alice/private-model", private: true, files: { "a.txt": "hello" } },
  {
    id: "HuggingFaceH4/chat",
    type: "dataset",
    downloads: 10,
    description: "A chat dataset",
    files: { "README.md": "# Chat data" },
  },
];

describe("hub_repo_search", () => {
  test("follows Link pagination through the real client and pages with offset", async () => {
    await using env = await startHfEnv({ hub: { repos, pageSize: 1 } });
    const first = await env.call("hub_repo_search", {
      query: "llama",
      repo_types: ["model"],
      sort: "downloads",
      limit: 2,
    });
    expect(first.isError).toBeUndefined();
    expect(first.text).toContain("meta/llama-small");
    expect(first.text).toContain("meta/llama-big");
    expect(first.text).not.toContain("org/llama-tiny");
    expect(first.text).toContain("offset=2");
    expect(first.structured).toEqual({
      models: {
        results: [
          expect.objectContaining({ id: "meta/llama-small", url: `${env.hub.url}/meta/llama-small` }),
          expect.objectContaining({ id: "meta/llama-big", downloads: 500 }),
        ],
        next_offset: 2,
      },
    });
    // pageSize 1 forces the client to follow absolute Link headers with a cursor.
    expect(env.hub.server.requestsTo("/api/models").some((r) => r.url.searchParams.has("cursor"))).toBe(true);
    const second = await env.call("hub_repo_search", {
      query: "llama",
      repo_types: ["model"],
      sort: "downloads",
      limit: 2,
      offset: 2,
    });
    expect(second.text).toContain("org/llama-tiny");
    expect(second.text).not.toContain("offset=4");
  });

  test("private repos only show for their owner", async () => {
    await using env = await startHfEnv({ hub: { repos } });
    const anon = await env.call(
      "hub_repo_search",
      { author: "alice", repo_types: ["model"] },
      { token: FAKE_HF_READ_TOKEN },
    );
    expect(anon.text).not.toContain("alice/private-model");
    const owner = await env.call("hub_repo_search", { author: "alice", repo_types: ["model"] });
    expect(owner.text).toContain("alice/private-model");
  });

  test("a rate limit becomes an actionable error with the retry delay", async () => {
    await using env = await startHfEnv({ hub: { repos } });
    env.hub.fail({ path: "/api/models", status: 429, headers: { "retry-after": "42" } });
    const result = await env.call("hub_repo_search", { query: "llama", repo_types: ["model"] });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("HTTP 429");
    expect(result.text).toContain("Retry after 42 seconds");
    expect(result.structured).toBeUndefined();
    expect(result.meta?.error).toMatchObject({ retryAfterSeconds: 42 });
  });
});

describe("hub_repo_details", () => {
  test("shows metadata, files and a card excerpt without front matter", async () => {
    await using env = await startHfEnv({ hub: { repos } });
    const result = await env.call("hub_repo_details", { repo_ids: ["meta/llama-small"] });
    expect(result.text).toContain("# meta/llama-small (model)");
    expect(result.text).toContain("config.json");
    expect(result.text).toContain("A tiny llama.");
    expect(result.text).not.toContain("license: mit\n---");
  });

  test("falls back to dataset when the id is not a model", async () => {
    await using env = await startHfEnv({ hub: { repos } });
    const result = await env.call("hub_repo_details", { repo_ids: ["HuggingFaceH4/chat"] });
    expect(result.text).toContain("(dataset)");
    expect(result.text).toContain("hf_inspect_dataset");
  });

  test("a gated repo's card points at the licence page", async () => {
    await using env = await startHfEnv({ hub: { repos } });
    const result = await env.call(
      "hub_repo_details",
      { repo_ids: ["gated/secret-model"] },
      { token: FAKE_HF_READ_TOKEN },
    );
    expect(result.text).toContain(`${env.hub.url}/gated/secret-model`);
    expect(result.text).toContain("gated");
  });
});

describe("hf_repo_files", () => {
  test("list, read, upload and delete go through the real commit flow", async () => {
    await using env = await startHfEnv({ hub: { repos } });
    const list = await env.call("hf_repo_files", { operation: "list", repo_id: "meta/llama-small" });
    expect(list.text).toContain("config.json");
    const read = await env.call("hf_repo_files", {
      operation: "read",
      repo_id: "meta/llama-small",
      path: "config.json",
    });
    expect(read.text).toContain('{"hidden": 8}');
    env.hub.addRepo({
      id: "alice/scratch",
      files: { "keep.txt": "k", "ckpt/a.bin": "a", "ckpt/b.bin": "b" },
    });
    const up = await env.call("hf_repo_files_write", {
      operation: "upload",
      repo_id: "alice/scratch",
      path: "train.py",
      content: "print('hi')",
    });
    expect(up.isError).toBeUndefined();
    expect(env.hub.fileText("model", "alice/scratch", "train.py")).toBe("print('hi')");
    const commit = env.hub.server.requestsTo("/api/models/alice/scratch/commit/main")[0]!;
    expect(commit.headers.get("content-type")).toContain("application/x-ndjson");
    expect(commit.body).toContain('"summary":"Upload train.py"');
    const del = await env.call("hf_repo_files_write", {
      operation: "delete",
      repo_id: "alice/scratch",
      patterns: "ckpt/*.bin",
    });
    expect(del.text).toContain("Deleted 2 file(s)");
    expect(env.hub.fileText("model", "alice/scratch", "ckpt/a.bin")).toBeUndefined();
    expect(env.hub.fileText("model", "alice/scratch", "keep.txt")).toBe("k");
  });

  test("delete with globs removes exactly the matching paths on the Hub", async () => {
    await using env = await startHfEnv({
      hub: {
        repos: [
          {
            id: "alice/globs",
            files: {
              "config.json": "{}",
              "myconfig.json": "{}",
              "sub/config.json": "{}",
              "sub/myconfig.json": "{}",
              "model.bin": "b",
              "ckpt/model.bin": "b",
              ".gitattributes": "*.bin lfs",
            },
          },
        ],
      },
    });
    const del = await env.call("hf_repo_files_write", {
      operation: "delete",
      repo_id: "alice/globs",
      patterns: ["**/config.json", "*.bin"],
    });
    expect(del.isError).toBeUndefined();
    const commit = env.hub.server.requestsTo("/api/models/alice/globs/commit/main")[0]!;
    const deleted = commit.body
      .split("\n")
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { key: string; value: { path?: string } })
      .filter((l) => l.key === "deletedFile")
      .map((l) => l.value.path)
      .sort();
    expect(deleted).toEqual(["config.json", "model.bin", "sub/config.json"]);
    const left = [...(env.hub.repo("model", "alice/globs")?.branches.get("main")?.files.keys() ?? [])].sort();
    expect(left).toEqual([".gitattributes", "ckpt/model.bin", "myconfig.json", "sub/myconfig.json"]);
  });

  test("upload as a pull request returns the PR URL", async () => {
    await using env = await startHfEnv({ hub: { repos: [{ id: "alice/pr-target" }] } });
    const up = await env.call("hf_repo_files_write", {
      operation: "upload",
      repo_id: "alice/pr-target",
      path: "x.md",
      content: "x",
      create_pr: true,
    });
    expect(up.text).toContain("/discussions/1");
    expect(env.hub.fileText("model", "alice/pr-target", "x.md", "refs/pr/1")).toBe("x");
    expect(env.hub.fileText("model", "alice/pr-target", "x.md")).toBeUndefined();
  });

  test("read fetches only the range it returns from a large file, and pages by byte offset", async () => {
    const size = 48 * 1024 * 1024;
    await using env = await startHfEnv({
      hub: { repos: [{ id: "alice/big", files: { "train.log": largeTextFile(size) } }] },
    });
    const first = await env.call("hf_repo_files", {
      operation: "read",
      repo_id: "alice/big",
      path: "train.log",
      limit: 1000,
    });
    expect(first.isError).toBeUndefined();
    expect(first.text).toContain("step 000000 loss");
    expect(first.text).toContain("offset=1000");
    expect(first.structured).toMatchObject({ size, offset: 0, next_offset: 1000, binary: false });
    expect(String(first.structured?.content).length).toBe(1000);
    const second = await env.call("hf_repo_files", {
      operation: "read",
      repo_id: "alice/big",
      path: "train.log",
      offset: 1000,
      limit: 500,
    });
    expect(second.structured).toMatchObject({ offset: 1000, next_offset: 1500 });
    // Each call is one ranged request; no answer carried more than the bytes asked for.
    expect(env.hub.downloads.map((d) => [d.range, d.status, d.bytes])).toEqual([
      ["bytes=0-999", 206, 1000],
      ["bytes=1000-1499", 206, 500],
    ]);
  });

  test("binary is detected from the first bytes, without downloading the file", async () => {
    const weights = new Uint8Array(8 * 1024 * 1024);
    weights.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 0x01, 0x00], 0);
    const utf8 = new TextEncoder().encode("héllo wörld ".repeat(100));
    await using env = await startHfEnv({
      hub: { repos: [{ id: "alice/bin", files: { "model.bin": weights, "notes.txt": utf8 } }] },
    });
    const bin = await env.call("hf_repo_files", {
      operation: "read",
      repo_id: "alice/bin",
      path: "model.bin",
    });
    expect(bin.text).toContain("binary file (8.0 MB)");
    expect(bin.structured).toMatchObject({ binary: true, size: weights.byteLength });
    expect(env.hub.downloads.reduce((n, d) => n + d.bytes, 0)).toBeLessThanOrEqual(30000);
    // A page boundary inside a multi-byte character is neither an error nor a broken character.
    const page = await env.call("hf_repo_files", {
      operation: "read",
      repo_id: "alice/bin",
      path: "notes.txt",
      limit: 2,
    });
    expect(page.structured).toMatchObject({ content: "h", next_offset: 1 });
    const next = await env.call("hf_repo_files", {
      operation: "read",
      repo_id: "alice/bin",
      path: "notes.txt",
      offset: 1,
      limit: 4,
    });
    expect(next.structured).toMatchObject({ content: "éll", next_offset: 5 });
    const mid = await env.call("hf_repo_files", {
      operation: "read",
      repo_id: "alice/bin",
      path: "notes.txt",
      offset: 2,
      limit: 3,
    });
    expect(mid.structured).toMatchObject({ offset: 3, content: "ll" });
  });

  test("reading a missing file and a gated file give actionable errors", async () => {
    await using env = await startHfEnv({ hub: { repos } });
    const missing = await env.call("hf_repo_files", {
      operation: "read",
      repo_id: "meta/llama-small",
      path: "nope.txt",
    });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain("does not exist");
    const gated = await env.call(
      "hf_repo_files",
      { operation: "read", repo_id: "gated/secret-model", path: "weights.bin" },
      { token: FAKE_HF_READ_TOKEN },
    );
    expect(gated.isError).toBe(true);
    expect(gated.text).toContain("403");
    expect(gated.text).toContain(`accept the licence`);
    expect(gated.text).toContain(`${env.hub.url}/gated/secret-model`);
    expect(gated.text).not.toContain(FAKE_HF_READ_TOKEN);
  });

  test("read and write are separate tools, so the annotations hold for every call", async () => {
    await using env = await startHfEnv({ hub: { repos } });
    const read = env.tool("hf_repo_files");
    const write = env.tool("hf_repo_files_write");
    expect(read.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(write.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(read.needsApproval).toBeUndefined();
    expect(() => read.input.parse({ operation: "upload", repo_id: "a/b" })).toThrow();
    expect(write.needsApproval?.({ operation: "upload", repo_id: "a/b", path: "x" })?.kind).toBe(
      "destructive",
    );
    expect(write.needsApproval?.({ operation: "delete", repo_id: "a/b", patterns: "*.bin" })?.reason).toBe(
      "Delete *.bin from a/b",
    );
  });

  test("a per-call token overrides the configured one", async () => {
    await using env = await startHfEnv({ hub: { repos: [{ id: "alice/x" }] }, token: null });
    const denied = await env.call("hf_repo_files_write", {
      operation: "upload",
      repo_id: "alice/x",
      path: "a",
      content: "a",
    });
    expect(denied.isError).toBe(true);
    const ok = await env.call(
      "hf_repo_files_write",
      { operation: "upload", repo_id: "alice/x", path: "a", content: "a" },
      { token: FAKE_HF_TOKEN },
    );
    expect(ok.isError).toBeUndefined();
    expect(env.hub.server.requestsTo("/api/models/alice/x/commit")[0]?.headers.get("authorization")).toBe(
      `Bearer ${FAKE_HF_TOKEN}`,
    );
  });
});
