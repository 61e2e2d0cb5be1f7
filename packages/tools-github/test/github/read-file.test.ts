import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type FakeGithub, startFakeGithub } from "@ml-intern/testing/github/fake-github";
import { createReadFileTool } from "../../src/github/read-file.ts";
import { runChecked } from "../lib/checked.ts";
import { makeConfig, makeCtx } from "../lib/context.ts";
import { privateRepo, TOKEN, trlRepo } from "../lib/fixtures.ts";

let github: FakeGithub;

beforeAll(async () => {
  const big = Array.from({ length: 20 }, (_, i) => `big line ${i + 1}`).join("\n");
  github = await startFakeGithub({
    repos: [
      trlRepo(),
      privateRepo(),
      { owner: "acme", name: "large", files: { "data/big.py": big, "bin/blob.bin": "abc\u0000def" } },
    ],
    tokens: [TOKEN],
    largeFileBytes: 150,
  });
});
afterAll(() => github.close());

function run(args: Record<string, unknown>, options: { token?: string; ctxToken?: string } = {}) {
  const t = createReadFileTool({ config: makeConfig({ apiUrl: github.url, token: options.token }) });
  return runChecked(t, args, makeCtx({ githubToken: options.ctxToken }));
}

describe("github_read_file", () => {
  test("reads a file with its language fence", async () => {
    const result = await run({ repo: "huggingface/trl", path: "examples/scripts/grpo.py" });
    expect(result.isError).toBeUndefined();
    expect(result.text).toContain(
      "```python\nfrom trl import GRPOTrainer\n\ntrainer = GRPOTrainer(reward_funcs=[reward])\n```",
    );
    expect(result.text).toContain("Lines 1-3 of 3.");
    expect(result.text).not.toContain("More lines follow");
    // MCP clients that read structuredContent (Claude Code) get the file itself, not only its metadata.
    expect(result.structured).toMatchObject({
      type: "file",
      content: "from trl import GRPOTrainer\n\ntrainer = GRPOTrainer(reward_funcs=[reward])",
      lineStart: 1,
      lineEnd: 3,
      totalLines: 3,
      nextLineStart: null,
    });
  });

  test("reads at a ref", async () => {
    const result = await run({ repo: "huggingface/trl", path: "examples/scripts/grpo.py", ref: "v0.1.0" });
    expect(result.text).toContain("# old version");
    expect(result.text).toContain("(ref: v0.1.0)");
    expect(github.requests.at(-1)?.url.searchParams.get("ref")).toBe("v0.1.0");
  });

  test("an unknown ref or path is an actionable not-found error", async () => {
    const badRef = await run({ repo: "huggingface/trl", path: "README.md", ref: "nope" });
    expect(badRef.isError).toBe(true);
    expect(badRef.text).toContain("Not found");
    const badPath = await run({ repo: "huggingface/trl", path: "examples/scripts/missing.py" });
    expect(badPath.isError).toBe(true);
    expect(badPath.text).toContain("github_find_examples");
  });

  test("shows the first 300 lines of a long file with a hint for the next range", async () => {
    const result = await run({ repo: "huggingface/trl", path: "examples/research_projects/long_script.py" });
    expect(result.text).toContain("Lines 1-300 of 450.");
    expect(result.text).toContain("line 300\n");
    expect(result.text).not.toContain("line 301");
    expect(result.text).toContain("line_start=301");
    expect(result.structured?.nextLineStart).toBe(301);
  });

  test("a line range is inclusive and clamped to the file", async () => {
    const mid = await run({
      repo: "huggingface/trl",
      path: "examples/research_projects/long_script.py",
      line_start: 10,
      line_end: 12,
    });
    expect(mid.text).toContain("```python\nline 10\nline 11\nline 12\n```");
    expect(mid.text).toContain("Lines 10-12 of 450.");
    const tail = await run({
      repo: "huggingface/trl",
      path: "examples/research_projects/long_script.py",
      line_start: 440,
      line_end: 999,
    });
    expect(tail.text).toContain("Lines 440-450 of 450.");
    expect(tail.structured?.nextLineStart).toBeNull();
  });

  test("start after end, or past the end, is an error", async () => {
    const reversed = await run({ repo: "huggingface/trl", path: "README.md", line_start: 5, line_end: 2 });
    expect(reversed.isError).toBe(true);
    expect(reversed.text).toContain("must not be greater");
    const past = await run({ repo: "huggingface/trl", path: "README.md", line_start: 50 });
    expect(past.isError).toBe(true);
    expect(past.text).toContain("has 1 lines");
  });

  test("a notebook is converted to markdown with outputs trimmed and hidden cells dropped", async () => {
    const result = await run({ repo: "huggingface/trl", path: "examples/notebooks/grpo_demo.ipynb" });
    expect(result.isError).toBeUndefined();
    expect(result.text).toContain("(notebook converted to markdown)");
    expect(result.text).toContain("# GRPO quickstart\nTrain with **GRPO**.");
    expect(result.text).toContain(
      "```python\nfrom trl import GRPOTrainer\ntrainer = GRPOTrainer(model='Qwen/Qwen2-0.5B')\n```",
    );
    expect(result.text).toContain("step 19 loss 0.19");
    expect(result.text).not.toContain("step 20 loss");
    expect(result.text).toContain("more lines");
    expect(result.text).toContain("ValueError: bad reward");
    expect(result.text).not.toContain("SECRET_SETUP");
    expect(result.text).not.toContain("iVBORw0KGgo");
    expect(result.text).not.toContain('"cell_type"');
  });

  test("a file too large for the contents API is fetched raw", async () => {
    const result = await run({ repo: "acme/large", path: "data/big.py" });
    expect(result.text).toContain("big line 20");
    const last = github.requests.at(-1);
    expect(last?.headers.get("accept")).toContain("application/vnd.github.raw");
  });

  test("a binary file is refused with its size", async () => {
    const result = await run({ repo: "acme/large", path: "bin/blob.bin" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("binary file");
  });

  test("a directory returns its listing", async () => {
    const result = await run({ repo: "huggingface/trl", path: "examples/scripts" });
    expect(result.isError).toBeUndefined();
    expect(result.text).toContain("is a directory");
    expect(result.text).toContain("- examples/scripts/grpo.py");
    expect(result.structured?.type).toBe("dir");
    expect(result.structured?.entries).toContainEqual(
      expect.objectContaining({ path: "examples/scripts/grpo.py", type: "file" }),
    );
  });

  test("a private repository without a token says to set one; with the per-call token it reads", async () => {
    const anonymous = await run({ repo: "huggingface/secret-lab", path: "examples/train.py" });
    expect(anonymous.isError).toBe(true);
    expect(anonymous.text).toContain("private");
    expect(anonymous.text).toContain("GITHUB_TOKEN");
    const authed = await run(
      { repo: "huggingface/secret-lab", path: "examples/train.py" },
      { ctxToken: TOKEN },
    );
    expect(authed.text).toContain("print('private')");
  });

  test("a bad token is reported without echoing it", async () => {
    const result = await run({ repo: "huggingface/trl", path: "README.md" }, { token: "ghp_badbadbad" });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("rejected the token");
    expect(result.text).not.toContain("ghp_badbadbad");
  });

  test("a malformed repo is rejected before any request", async () => {
    const before = github.requests.length;
    const result = await run({ repo: "not a repo", path: "x" });
    expect(result.isError).toBe(true);
    expect(github.requests.length).toBe(before);
  });
});
