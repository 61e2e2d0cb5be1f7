import { describe, expect, test } from "bun:test";
import { startHfEnv } from "../lib/hf-env.ts";

describe("hf_whoami", () => {
  test("shows the account and caches whoami-v2", async () => {
    await using env = await startHfEnv();
    const result = await env.call("hf_whoami", {});
    expect(result.text).toContain("**alice**");
    expect(result.text).toContain("ml-org");
    expect(result.structured).toMatchObject({ name: "alice", tokenRole: "write" });
    await env.call("hf_whoami", {});
    expect(env.hub.server.requestsTo("/api/whoami-v2").length).toBe(1);
  });

  test("an invalid token explains how to log in; no token says not logged in", async () => {
    await using env = await startHfEnv();
    const bad = await env.call("hf_whoami", {}, { token: "hf_invalid_token_123456" });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain("401");
    expect(bad.text).toContain("settings/tokens");
    expect(bad.text).not.toContain("hf_invalid_token_123456");
    await using anon = await startHfEnv({ token: null });
    expect((await anon.call("hf_whoami", {})).text).toContain("Not logged in");
  });

  test("every tool has described inputs, a toolset and annotations", async () => {
    await using env = await startHfEnv();
    const names = env.tools.map((t) => t.name);
    expect(names).toEqual([
      "explore_hf_docs",
      "fetch_hf_docs",
      "hf_papers",
      "hf_inspect_dataset",
      "hub_repo_search",
      "hub_repo_details",
      "hf_repo_files",
      "hf_repo_files_write",
      "hf_repo_git",
      "hf_repo_git_write",
      "hf_repo_git_destructive",
      "hf_jobs",
      "hf_whoami",
      "find_hf_api",
    ]);
    for (const tool of env.tools) {
      expect(tool.toolset).toMatch(/^hf-/);
      expect(typeof tool.annotations.readOnlyHint).toBe("boolean");
      for (const [key, field] of Object.entries(tool.input.shape)) {
        expect({ key, description: (field as { description?: string }).description }).toMatchObject({
          key,
          description: expect.any(String),
        });
      }
    }
  });
});
