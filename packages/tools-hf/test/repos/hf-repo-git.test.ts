import { describe, expect, test } from "bun:test";
import { parse as parseYaml } from "yaml";
import { PROVENANCE_LINE } from "../../src/repos/provenance.ts";
import { startHfEnv } from "../lib/hf-env.ts";

const alice = { hub: { repos: [{ id: "alice/model", files: { "a.txt": "a" } }] } };

describe("hf_repo_git / hf_repo_git_write / hf_repo_git_destructive", () => {
  test("branches, tags and refs; tag create/delete succeed on the Hub's empty and OK bodies", async () => {
    await using env = await startHfEnv(alice);
    const branch = await env.call("hf_repo_git_write", {
      operation: "create_branch",
      repo_id: "alice/model",
      branch: "dev",
    });
    expect(branch.isError).toBeUndefined();
    const tag = await env.call("hf_repo_git_write", {
      operation: "create_tag",
      repo_id: "alice/model",
      tag: "v1",
      tag_message: "first",
    });
    expect(tag.isError).toBeUndefined();
    expect(tag.text).toContain("Created tag 'v1'");
    // The fake answers the tag POST with an empty body, as no client reads it.
    const tagPost = env.hub.server.requestsTo("/api/models/alice/model/tag/main")[0]!;
    expect(tagPost.method).toBe("POST");
    const refs = await env.call("hf_repo_git", { operation: "list_refs", repo_id: "alice/model" });
    expect(refs.structured).toEqual({
      operation: "list_refs",
      repo_id: "alice/model",
      branches: ["main", "dev"],
      tags: ["v1"],
    });
    const dup = await env.call("hf_repo_git_write", {
      operation: "create_branch",
      repo_id: "alice/model",
      branch: "dev",
    });
    expect(dup.isError).toBe(true);
    expect(dup.text).toContain("409");
    await env.call("hf_repo_git_destructive", {
      operation: "delete_branch",
      repo_id: "alice/model",
      branch: "dev",
    });
    // The fake answers the tag DELETE with the text "OK".
    const deleted = await env.call("hf_repo_git_destructive", {
      operation: "delete_tag",
      repo_id: "alice/model",
      tag: "v1",
    });
    expect(deleted.isError).toBeUndefined();
    const after = await env.call("hf_repo_git", { operation: "list_refs", repo_id: "alice/model" });
    expect(after.structured).toMatchObject({ branches: ["main"], tags: [] });
  });

  test("pull request lifecycle: create, push, comment, publish, merge (merge answers an empty body)", async () => {
    await using env = await startHfEnv(alice);
    const pr = await env.call("hf_repo_git_write", {
      operation: "create_pr",
      repo_id: "alice/model",
      title: "Add weights",
    });
    expect(pr.structured?.pr_num).toBe(1);
    expect(pr.text).toContain('revision="refs/pr/1"');
    await env.call("hf_repo_files_write", {
      operation: "upload",
      repo_id: "alice/model",
      path: "b.txt",
      content: "b",
      revision: "refs/pr/1",
    });
    await env.call("hf_repo_git_write", {
      operation: "comment_pr",
      repo_id: "alice/model",
      pr_num: 1,
      comment: "looks good",
    });
    await env.call("hf_repo_git_write", { operation: "reopen_pr", repo_id: "alice/model", pr_num: 1 });
    const got = await env.call("hf_repo_git", { operation: "get_pr", repo_id: "alice/model", pr_num: 1 });
    expect(got.structured?.pr).toMatchObject({ num: 1, status: "open", title: "Add weights" });
    expect(got.structured?.comments).toEqual([{ author: "alice", text: "looks good" }]);
    expect(got.text).toContain("looks good");
    const listed = await env.call("hf_repo_git", {
      operation: "list_prs",
      repo_id: "alice/model",
      status: "open",
    });
    expect(listed.text).toContain("[OPEN] #1 [PR] Add weights");
    expect(listed.structured?.discussions).toEqual([
      expect.objectContaining({ num: 1, url: `${env.hub.url}/alice/model/discussions/1` }),
    ]);
    const merge = await env.call("hf_repo_git_destructive", {
      operation: "merge_pr",
      repo_id: "alice/model",
      pr_num: 1,
    });
    expect(merge.isError).toBeUndefined();
    expect(env.hub.fileText("model", "alice/model", "b.txt")).toBe("b");
    const merged = await env.call("hf_repo_git", { operation: "get_pr", repo_id: "alice/model", pr_num: 1 });
    expect(merged.structured?.pr).toMatchObject({ status: "merged" });
  });

  test("create_repo is private by default, needs an sdk for Spaces, and is tagged ml-intern with a provenance line", async () => {
    await using env = await startHfEnv();
    const space = await env.call("hf_repo_git_write", {
      operation: "create_repo",
      repo_id: "alice/demo",
      repo_type: "space",
    });
    expect(space.isError).toBe(true);
    expect(space.text).toContain("space_sdk");
    const created = await env.call("hf_repo_git_write", {
      operation: "create_repo",
      repo_id: "alice/new-model",
    });
    expect(created.text).toContain("Private: true");
    expect(env.hub.repo("model", "alice/new-model")?.init.private).toBe(true);
    const readme = env.hub.fileText("model", "alice/new-model", "README.md") ?? "";
    const front = /^---\n([\s\S]*?)\n---\n/.exec(readme);
    expect(parseYaml(front?.[1] ?? "")).toEqual({ tags: ["ml-intern"] });
    expect(readme).toContain(PROVENANCE_LINE);
    const createdSpace = await env.call("hf_repo_git_write", {
      operation: "create_repo",
      repo_id: "alice/demo",
      repo_type: "space",
      space_sdk: "gradio",
    });
    expect(createdSpace.isError).toBeUndefined();
    const spaceCard = env.hub.fileText("space", "alice/demo", "README.md") ?? "";
    expect(parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(spaceCard)?.[1] ?? "")).toMatchObject({
      tags: ["ml-intern"],
      sdk: "gradio",
    });
    const other = await env.call("hf_repo_git_write", {
      operation: "create_repo",
      repo_id: "someone-else/x",
    });
    expect(other.isError).toBe(true);
    expect(other.text).toContain("403");
  });

  test("update_repo sends visibility (the Hub ignores a legacy private field) and succeeds on an OK body", async () => {
    await using env = await startHfEnv({ hub: { repos: [{ id: "alice/new-model", private: true }] } });
    const updated = await env.call("hf_repo_git_destructive", {
      operation: "update_repo",
      repo_id: "alice/new-model",
      private: false,
      gated: "auto",
    });
    expect(updated.isError).toBeUndefined();
    const put = env.hub.server.requestsTo("/api/models/alice/new-model/settings")[0]!;
    expect(JSON.parse(put.body)).toEqual({ visibility: "public", gated: "auto" });
    expect(env.hub.repo("model", "alice/new-model")?.init.private).toBe(false);
    expect(env.hub.repo("model", "alice/new-model")?.init.gated).toBe("auto");
    await env.call("hf_repo_git_destructive", {
      operation: "update_repo",
      repo_id: "alice/new-model",
      private: true,
    });
    expect(env.hub.repo("model", "alice/new-model")?.init.private).toBe(true);
  });

  test("annotations are true of every call: read is read-only, write is additive, destructive asks every time", async () => {
    await using env = await startHfEnv();
    const read = env.tool("hf_repo_git");
    const write = env.tool("hf_repo_git_write");
    const destructive = env.tool("hf_repo_git_destructive");
    expect(read.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(write.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: false });
    expect(destructive.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    expect(read.needsApproval).toBeUndefined();
    for (const op of ["delete_branch", "delete_tag", "merge_pr", "close_pr", "update_repo"]) {
      expect(destructive.needsApproval?.({ operation: op, repo_id: "a/b" })?.kind).toBe("destructive");
    }
    expect(write.needsApproval?.({ operation: "create_repo", repo_id: "a/b" })?.kind).toBe("destructive");
    for (const op of ["create_branch", "create_tag", "create_pr", "comment_pr", "reopen_pr"]) {
      expect(write.needsApproval?.({ operation: op, repo_id: "a/b" })).toBeNull();
    }
    expect(() => read.input.parse({ operation: "delete_branch", repo_id: "a/b" })).toThrow();
    expect(() => write.input.parse({ operation: "merge_pr", repo_id: "a/b" })).toThrow();
  });
});
