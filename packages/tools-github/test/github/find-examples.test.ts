import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type FakeGithub, startFakeGithub } from "@ml-intern/testing/github/fake-github";
import { createFindExamplesTool } from "../../src/github/find-examples.ts";
import { runChecked } from "../lib/checked.ts";
import { makeConfig, makeCtx } from "../lib/context.ts";
import { privateRepo, TOKEN, trlRepo } from "../lib/fixtures.ts";

let github: FakeGithub;

beforeAll(async () => {
  github = await startFakeGithub({
    repos: [trlRepo(), privateRepo(), { owner: "huggingface", name: "trl-docs", stars: 5, files: {} }],
    tokens: [TOKEN],
  });
});
afterAll(() => github.close());

function tool(token?: string) {
  return createFindExamplesTool({ config: makeConfig({ apiUrl: github.url, token }) });
}

function run(args: Record<string, unknown>, token?: string, ctxToken?: string) {
  const t = tool(token);
  return runChecked(t, args, makeCtx({ githubToken: ctxToken }));
}

describe("github_find_examples", () => {
  test("ranks example files by keyword fit, exact name first, on the resolved default branch", async () => {
    const result = await run({ repo: "huggingface/trl", keyword: "grpo" });
    expect(result.isError).toBeUndefined();
    const files = ((result.structured?.files ?? []) as Array<{ path: string; score: number }>).map(
      (f) => f.path,
    );
    expect(files[0]).toBe("examples/scripts/grpo.py");
    expect(files).toContain("examples/notebooks/grpo_demo.ipynb");
    expect(files).toContain("scripts/generate_grpo_data.py");
    // Library code and docs are not examples.
    expect(files).not.toContain("trl/trainer/grpo_trainer.py");
    expect(files).not.toContain("docs/source/grpo_trainer.md");
    expect(files).not.toContain("examples/scripts/sft.py");
    expect(result.structured?.ref).toBe("main");
    expect(result.text).toContain("https://github.com/huggingface/trl/blob/main/examples/scripts/grpo.py");
    const tree = github.requestsTo("/repos/huggingface/trl/git/trees/");
    expect(tree.at(-1)?.path).toBe("/repos/huggingface/trl/git/trees/main");
    expect(tree.at(-1)?.url.searchParams.get("recursive")).toBe("1");
  });

  test("a bare repo name resolves under org; min_score filters loose matches", async () => {
    const loose = await run({ repo: "trl", keyword: "grpo", min_score: 0 });
    const strict = await run({ repo: "trl", keyword: "grpo", min_score: 100 });
    const loosePaths = ((loose.structured?.files ?? []) as Array<{ path: string }>).map((f) => f.path);
    const strictPaths = ((strict.structured?.files ?? []) as Array<{ path: string }>).map((f) => f.path);
    expect(loosePaths.length).toBeGreaterThan(strictPaths.length);
    expect(strictPaths.every((p) => p.includes("grpo"))).toBe(true);
  });

  test("without a keyword lists top-level examples/ first, shallow before deep, and honours max_results", async () => {
    const result = await run({ repo: "huggingface/trl", max_results: 3 });
    const files = ((result.structured?.files ?? []) as Array<{ path: string }>).map((f) => f.path);
    expect(files).toHaveLength(3);
    expect(files.every((p) => p.startsWith("examples/"))).toBe(true);
    expect(result.structured?.total).toBe(6);
    expect(result.text).toContain("showing 3 of 6");
  });

  test("searches another ref when asked", async () => {
    const result = await run({ repo: "huggingface/trl", keyword: "ppo", ref: "v0.1.0" });
    const files = ((result.structured?.files ?? []) as Array<{ path: string }>).map((f) => f.path);
    expect(files[0]).toBe("examples/scripts/ppo.py");
    expect(github.requestsTo("/repos/huggingface/trl/git/trees/v0.1.0")).toHaveLength(1);
  });

  test("no match is a plain result with a hint", async () => {
    const result = await run({ repo: "huggingface/trl", keyword: "zzzzqqq" });
    expect(result.isError).toBeUndefined();
    expect(result.text).toContain("No example files found");
    expect(result.text).toContain("min_score");
  });

  test("a missing repository suggests similar ones", async () => {
    const result = await run({ repo: "huggingface/tr" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("Repository huggingface/tr not found");
    expect(result.text).toContain("- huggingface/trl (⭐ 15000)");
    const search = github.requestsTo("/search/repositories").at(-1);
    expect(search?.url.searchParams.get("sort")).toBe("stars");
  });

  test("a private repository needs a token; the per-call token overrides the configured one", async () => {
    const anonymous = await run({ repo: "huggingface/secret-lab" });
    expect(anonymous.isError).toBe(true);
    expect(anonymous.text).toContain("set GITHUB_TOKEN");

    const viaCtx = await run({ repo: "huggingface/secret-lab", keyword: "train" }, undefined, TOKEN);
    expect(viaCtx.isError).toBeUndefined();
    expect(((viaCtx.structured?.files ?? []) as Array<{ path: string }>)[0]?.path).toBe("examples/train.py");
    const last = github.requestsTo("/repos/huggingface/secret-lab").at(-1);
    expect(last?.headers.get("authorization")).toBe(`token ${TOKEN}`);

    const configured = await run({ repo: "huggingface/secret-lab" }, "ghp_wrong", TOKEN);
    expect(configured.isError).toBeUndefined();
  });
});
