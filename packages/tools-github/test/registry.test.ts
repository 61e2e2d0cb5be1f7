import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type FakeGithub, startFakeGithub } from "@ml-intern/testing/github/fake-github";
import { createToolRegistry } from "@ml-intern/tool";
import { createToolsFromConfig } from "../src/create-tools.ts";
import { makeConfig, makeCtx } from "./lib/context.ts";
import { trlRepo } from "./lib/fixtures.ts";

let github: FakeGithub;
beforeAll(async () => {
  github = await startFakeGithub({ repos: [trlRepo()] });
});
afterAll(() => github.close());

describe("through the core registry", () => {
  test("schema defaults apply and results come back", async () => {
    const registry = createToolRegistry({
      tools: createToolsFromConfig({ config: makeConfig({ apiUrl: github.url }) }),
    });
    const result = await registry.execute("github_find_examples", { repo: "huggingface/trl" }, makeCtx());
    expect(result.isError).toBeUndefined();
    expect(result.structured?.total).toBe(6);
    const invalid = await registry.execute("github_read_file", { repo: "huggingface/trl" }, makeCtx());
    expect(invalid.isError).toBe(true);
    expect(invalid.text).toContain("path");
  });

  test("cancelling while waiting out a secondary limit ends the call as cancelled", async () => {
    const registry = createToolRegistry({
      tools: createToolsFromConfig({ config: makeConfig({ apiUrl: github.url }) }),
    });
    const controller = new AbortController();
    github.failNext({ kind: "secondary", retryAfterSeconds: 30 });
    const start = github.requests.length;
    const pending = registry.execute(
      "github_read_file",
      { repo: "huggingface/trl", path: "README.md" },
      makeCtx({ signal: controller.signal }),
    );
    const deadline = Date.now() + 2000;
    while (github.requests.length === start && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 5));
    controller.abort();
    const result = await pending;
    expect(result.isError).toBe(true);
    expect(result.text).toContain("cancelled");
    expect(github.requests.length - start).toBe(1);
  });
});
