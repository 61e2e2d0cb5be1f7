import { describe, expect, test } from "bun:test";
import { createProvider } from "../../src/llm/create-provider.ts";
import { describeLlmError, isLoopbackUrl, LlmError } from "../../src/llm/llm-error.ts";
import { LOOPBACK_REFUSED_ATTEMPTS, withRetry } from "../../src/llm/retry.ts";

const refused = (endpoint: string) => {
  const cause = Object.assign(new TypeError("Unable to connect. Is the computer able to access the url?"), {
    code: "ECONNREFUSED",
  });
  const error = new LlmError("connection", "Connection error.", { cause });
  error.context = { endpoint, endpointSource: "ANTHROPIC_BASE_URL" };
  return error;
};

const noSleep = async () => {};

describe("retries of refused connections", () => {
  test("a loopback endpoint that refuses is retried once, then fails", async () => {
    let attempts = 0;
    const run = withRetry(
      async () => {
        attempts++;
        throw refused("http://127.0.0.1:9");
      },
      { signal: new AbortController().signal, maxAttempts: 5, sleep: noSleep },
    );
    await expect(run).rejects.toBeInstanceOf(LlmError);
    expect(attempts).toBe(LOOPBACK_REFUSED_ATTEMPTS);
    expect(LOOPBACK_REFUSED_ATTEMPTS).toBeLessThanOrEqual(2);
  });

  test("a remote endpoint that refuses keeps the normal retry budget", async () => {
    let attempts = 0;
    await expect(
      withRetry(
        async () => {
          attempts++;
          throw refused("https://api.anthropic.com");
        },
        { signal: new AbortController().signal, maxAttempts: 4, sleep: noSleep },
      ),
    ).rejects.toBeInstanceOf(LlmError);
    expect(attempts).toBe(4);
  });

  test.each([
    ["http://127.0.0.1:9", true],
    ["http://localhost:11434/v1", true],
    ["http://[::1]:8000", true],
    ["http://0.0.0.0:1234", true],
    ["https://router.huggingface.co/v1", false],
    ["not a url", false],
  ])("isLoopbackUrl(%s) = %p", (url, expected) => {
    expect(isLoopbackUrl(url)).toBe(expected);
  });
});

describe("error messages name what to fix", () => {
  test("connection refused names the URL, the variable it came from and the fix", () => {
    const message = describeLlmError(
      refused("http://127.0.0.1:9"),
      "anthropic/claude-x",
      "ANTHROPIC_API_KEY",
    );
    expect(message).toContain("http://127.0.0.1:9");
    expect(message).toContain("connection refused");
    expect(message).toContain("ANTHROPIC_BASE_URL");
    expect(message).toContain("local server running");
  });

  test("a rejected key names the variable and the file it was read from", () => {
    const error = new LlmError("auth", "invalid x-api-key", { status: 401 });
    error.context = {
      endpoint: "https://api.anthropic.com",
      endpointSource: "the built-in default",
      credential: "ANTHROPIC_API_KEY",
      credentialSource: "/home/me/project/.env",
    };
    const message = describeLlmError(error, "anthropic/claude-x", "ANTHROPIC_API_KEY");
    expect(message).toContain("ANTHROPIC_API_KEY, read from /home/me/project/.env");
    expect(message).toContain("--model");
  });

  test("providers attach the endpoint and the credential's source to every error", async () => {
    const provider = await createProvider("vllm/qwen", {
      env: { VLLM_BASE_URL: "http://127.0.0.1:9/v1", VLLM_API_KEY: "k-123" },
      envSource: (name) => (name === "VLLM_API_KEY" ? "/tmp/x/.env" : "the environment"),
    });
    const error = await provider
      .complete(
        { system: "s", messages: [{ role: "user", content: "hi" }], tools: [], stream: false },
        { signal: new AbortController().signal },
      )
      .then(
        () => null,
        (e: unknown) => e as LlmError,
      );
    expect(error).toBeInstanceOf(LlmError);
    expect(error?.kind).toBe("connection");
    expect(error?.connectionRefused).toBe(true);
    expect(error?.context).toEqual({
      endpoint: "http://127.0.0.1:9/v1",
      endpointSource: "VLLM_BASE_URL in the environment",
      credential: "VLLM_API_KEY",
      credentialSource: "/tmp/x/.env",
    });
  });
});
