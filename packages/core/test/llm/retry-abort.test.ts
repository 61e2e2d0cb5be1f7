import { expect, test } from "bun:test";
import { LlmError } from "../../src/llm/llm-error.ts";
import { withRetry } from "../../src/llm/retry.ts";

test("an abort during the backoff wait ends the retries at once with an AbortError carrying the reason", async () => {
  const controller = new AbortController();
  let attempts = 0;
  const run = withRetry(
    async () => {
      attempts++;
      throw new LlmError("overloaded", "Overloaded.");
    },
    {
      signal: controller.signal,
      baseDelayMs: 60_000,
      maxDelayMs: 60_000,
      onRetry: () => queueMicrotask(() => controller.abort(new Error("user interrupt"))),
    },
  );
  await expect(run).rejects.toMatchObject({ name: "AbortError", cause: { message: "user interrupt" } });
  expect(attempts).toBe(1);
});
