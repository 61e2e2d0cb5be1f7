import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type FakeGithub, startFakeGithub } from "@ml-intern/testing/github/fake-github";
import { createReadFileTool } from "../../src/github/read-file.ts";
import { abortableSleep } from "../../src/github/sleep.ts";
import { makeConfig, makeCtx, recordingSleep } from "../lib/context.ts";
import { trlRepo } from "../lib/fixtures.ts";

let github: FakeGithub;

beforeAll(async () => {
  github = await startFakeGithub({ repos: [trlRepo()] });
});
afterAll(() => github.close());

const NOW = new Date("2026-03-01T12:00:00Z");

function setup(maxRetryAfterSeconds = 60) {
  const clock = recordingSleep();
  const tool = createReadFileTool({
    config: makeConfig({ apiUrl: github.url, maxRetryAfterSeconds }),
    sleep: clock.sleep,
    now: () => NOW,
  });
  const ctx = makeCtx();
  const run = () => tool.execute(tool.input.parse({ repo: "huggingface/trl", path: "README.md" }), ctx);
  return { clock, run, ctx };
}

describe("rate limits", () => {
  test("a primary limit is reported at once with the reset time and no retry", async () => {
    const { clock, run } = setup();
    const reset = Math.floor(NOW.getTime() / 1000) + 25 * 60;
    github.failNext({ kind: "primary", resetEpochSeconds: reset });
    const before = github.requests.length;
    const result = await run();
    expect(result.isError).toBe(true);
    expect(result.text).toContain("rate limited until 12:25 UTC (in 25 min)");
    expect(result.text).toContain("Set GITHUB_TOKEN");
    expect(github.requests.length - before).toBe(1);
    expect(clock.delays).toEqual([]);
  });

  test("a secondary limit is retried after retry-after, then succeeds", async () => {
    const { clock, run, ctx } = setup();
    github.failNext({ kind: "secondary", retryAfterSeconds: 3 });
    const before = github.requests.length;
    const result = await run();
    expect(result.isError).toBeUndefined();
    expect(result.text).toContain("# TRL");
    expect(clock.delays).toEqual([3000]);
    expect(github.requests.length - before).toBe(2);
    expect(ctx.logs.some((l) => l.includes("secondary rate limit"))).toBe(true);
  });

  test("retries are bounded: repeated secondary limits end in an error", async () => {
    const { clock, run } = setup();
    for (let i = 0; i < 3; i++) github.failNext({ kind: "secondary", retryAfterSeconds: 1 });
    const result = await run();
    expect(result.isError).toBe(true);
    expect(result.text).toContain("secondary rate limit");
    expect(clock.delays).toEqual([1000, 1000]);
  });

  test("a retry-after longer than the configured maximum is reported instead of waited", async () => {
    const { clock, run } = setup(60);
    github.failNext({ kind: "secondary", retryAfterSeconds: 600 });
    const result = await run();
    expect(result.isError).toBe(true);
    expect(result.text).toContain("Retry after 600 seconds");
    expect(clock.delays).toEqual([]);
  });

  test("a secondary limit without retry-after is not waited out", async () => {
    const { clock, run } = setup();
    github.failNext({ kind: "secondary" });
    const result = await run();
    expect(result.isError).toBe(true);
    expect(result.text).toContain("in a minute or more");
    expect(clock.delays).toEqual([]);
  });

  test("cancellation during a secondary-limit wait stops the call", async () => {
    const controller = new AbortController();
    // The real abortable wait, watched: the abort comes once the tool is waiting out the 30 s, not while the
    // limited request is still being answered (that abort would end the request, not the wait).
    let waiting!: () => void;
    const waitStarted = new Promise<void>((resolve) => {
      waiting = resolve;
    });
    const tool = createReadFileTool({
      config: makeConfig({ apiUrl: github.url }),
      sleep: (ms, signal) => {
        waiting();
        return abortableSleep(ms, signal);
      },
    });
    github.failNext({ kind: "secondary", retryAfterSeconds: 30 });
    const before = github.requests.length;
    const pending = tool.execute(
      tool.input.parse({ repo: "huggingface/trl", path: "README.md" }),
      makeCtx({ signal: controller.signal }),
    );
    await waitStarted;
    const reason = new Error("cancelled by user");
    controller.abort(reason);
    // Every abortable wait is node:timers/promises': an AbortError whose cause is the signal's reason.
    await expect(pending).rejects.toMatchObject({ name: "AbortError", cause: reason });
    expect(github.requests.length - before).toBe(1);
  });
});
