import { describe, expect, test } from "bun:test";
import { startHfEnv } from "../lib/hf-env.ts";

describe("hf_repo_git", () => {
  test("branches, tags and refs", async () => {
    await using env = await startHfEnv({ hub: { repos: [{ id: "alice/model", files: { "a.txt": "a" } }] } });
    expect(
      (await env.call("hf_repo_git", { operation: "create_branch", repo_id: "alice/model", branch: "dev" }))
        .isError,
    ).toBeUndefined();
    expect(
      (
        await env.call("hf_repo_git", {
          operation: "create_tag",
          repo_id: "alice/model",
          tag: "v1",
          tag_message: "first",
        })
      ).isError,
    ).toBeUndefined();
    const refs = await env.call("hf_repo_git", { operation: "list_refs", repo_id: "alice/model" });
    expect(refs.structured).toEqual({ branches: ["main", "dev"], tags: ["v1"] });
    const dup = await env.call("hf_repo_git", {
      operation: "create_branch",
      repo_id: "alice/model",
      branch: "dev",
    });
    expect(dup.isError).toBe(true);
    expect(dup.text).toContain("409");
    await env.call("hf_repo_git", { operation: "delete_branch", repo_id: "alice/model", branch: "dev" });
    await env.call("hf_repo_git", { operation: "delete_tag", repo_id: "alice/model", tag: "v1" });
    const after = await env.call("hf_repo_git", { operation: "list_refs", repo_id: "alice/model" });
    expect(after.structured).toEqual({ branches: ["main"], tags: [] });
  });

  test("pull request lifecycle: create, push, comment, open, merge", async () => {
    await using env = await startHfEnv({ hub: { repos: [{ id: "alice/model", files: { "a.txt": "a" } }] } });
    const pr = await env.call("hf_repo_git", {
      operation: "create_pr",
      repo_id: "alice/model",
      title: "Add weights",
    });
    expect(pr.structured?.num).toBe(1);
    expect(pr.text).toContain('revision="refs/pr/1"');
    await env.call("hf_repo_files", {
      operation: "upload",
      repo_id: "alice/model",
      path: "b.txt",
      content: "b",
      revision: "refs/pr/1",
    });
    await env.call("hf_repo_git", {
      operation: "comment_pr",
      repo_id: "alice/model",
      pr_num: 1,
      comment: "looks good",
    });
    await env.call("hf_repo_git", {
      operation: "change_pr_status",
      repo_id: "alice/model",
      pr_num: 1,
      new_status: "open",
    });
    const got = await env.call("hf_repo_git", { operation: "get_pr", repo_id: "alice/model", pr_num: 1 });
    expect(got.structured?.status).toBe("open");
    expect(got.text).toContain("looks good");
    const listed = await env.call("hf_repo_git", {
      operation: "list_prs",
      repo_id: "alice/model",
      status: "open",
    });
    expect(listed.text).toContain("[OPEN] #1 [PR] Add weights");
    await env.call("hf_repo_git", { operation: "merge_pr", repo_id: "alice/model", pr_num: 1 });
    expect(env.hub.fileText("model", "alice/model", "b.txt")).toBe("b");
    const merged = await env.call("hf_repo_git", { operation: "get_pr", repo_id: "alice/model", pr_num: 1 });
    expect(merged.structured?.status).toBe("merged");
  });

  test("create_repo is private by default, needs an sdk for Spaces; update_repo changes settings", async () => {
    await using env = await startHfEnv();
    const space = await env.call("hf_repo_git", {
      operation: "create_repo",
      repo_id: "alice/demo",
      repo_type: "space",
    });
    expect(space.isError).toBe(true);
    expect(space.text).toContain("space_sdk");
    const created = await env.call("hf_repo_git", { operation: "create_repo", repo_id: "alice/new-model" });
    expect(created.text).toContain("Private: true");
    expect(env.hub.repo("model", "alice/new-model")?.init.private).toBe(true);
    await env.call("hf_repo_git", {
      operation: "update_repo",
      repo_id: "alice/new-model",
      private: false,
      gated: "auto",
    });
    expect(env.hub.repo("model", "alice/new-model")?.init.private).toBe(false);
    expect(env.hub.repo("model", "alice/new-model")?.init.gated).toBe("auto");
    const other = await env.call("hf_repo_git", { operation: "create_repo", repo_id: "someone-else/x" });
    expect(other.isError).toBe(true);
    expect(other.text).toContain("403");
  });

  test("approval: only destructive operations ask", async () => {
    await using env = await startHfEnv();
    const tool = env.tool("hf_repo_git");
    const ctx = { confirmCpuJobs: true };
    for (const op of ["delete_branch", "delete_tag", "merge_pr", "create_repo", "update_repo"]) {
      expect(tool.needsApproval?.({ operation: op, repo_id: "a/b" }, ctx)?.kind).toBe("destructive");
    }
    for (const op of ["create_branch", "create_pr", "comment_pr", "list_refs", "close_pr"]) {
      expect(tool.needsApproval?.({ operation: op, repo_id: "a/b" }, ctx)).toBeNull();
    }
  });
});
