import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type FakeGithub, startFakeGithub } from "@ml-intern/testing/github/fake-github";
import { createSearchCodeTool } from "../../src/github/search-code.ts";
import { runChecked } from "../lib/checked.ts";
import { makeConfig, makeCtx } from "../lib/context.ts";
import { TOKEN, trlRepo } from "../lib/fixtures.ts";

let github: FakeGithub;

beforeAll(async () => {
  github = await startFakeGithub({
    repos: [trlRepo(), { owner: "other", name: "lib", files: { "train.py": "x = GRPOTrainer()\n" } }],
    tokens: [TOKEN],
  });
});
afterAll(() => github.close());

function run(args: Record<string, unknown>, token?: string) {
  const t = createSearchCodeTool({ config: makeConfig({ apiUrl: github.url, token }) });
  return runChecked(t, args, makeCtx());
}

describe("github_search_code", () => {
  test("finds usages with text-match fragments and builds qualifiers", async () => {
    const result = await run({ query: "GRPOTrainer", repo: "huggingface/trl", language: "python" }, TOKEN);
    expect(result.isError).toBeUndefined();
    const request = github.requestsTo("/search/code").at(-1);
    expect(request?.url.searchParams.get("q")).toBe("GRPOTrainer repo:huggingface/trl language:python");
    expect(request?.headers.get("accept")).toContain("text-match");
    const paths = ((result.structured?.results ?? []) as Array<{ repo: string; path: string }>).map(
      (r) => r.path,
    );
    expect(paths.sort()).toEqual(["examples/scripts/grpo.py", "trl/trainer/grpo_trainer.py"]);
    expect(result.text).toContain("trainer = GRPOTrainer(reward_funcs=[reward])");
    expect(result.text).not.toContain("other/lib");
  });

  test("limit caps results", async () => {
    const result = await run({ query: "GRPOTrainer", limit: 1 }, TOKEN);
    expect((result.structured?.results ?? []) as unknown[]).toHaveLength(1);
    expect(github.requestsTo("/search/code").at(-1)?.url.searchParams.get("per_page")).toBe("1");
  });

  test("no token: says code search needs one", async () => {
    const result = await run({ query: "GRPOTrainer" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("requires authentication");
    expect(result.text).toContain("GITHUB_TOKEN");
  });

  test("no hits is a plain result", async () => {
    const result = await run({ query: "NoSuchSymbolAnywhere" }, TOKEN);
    expect(result.isError).toBeUndefined();
    expect(result.text).toContain("No code matched");
  });
});
