import { describe, expect, test } from "bun:test";
import { startFakeOpenAI } from "@ml-intern/testing";
import { createProvider } from "../../src/llm/create-provider.ts";
import { LlmError } from "../../src/llm/llm-error.ts";
import { ModelIdError, resolveModelId } from "../../src/llm/model-id.ts";

const env = {
  ANTHROPIC_API_KEY: "sk-ant-a",
  ANTHROPIC_BASE_URL: "http://anthropic.local",
  OPENAI_API_KEY: "sk-openai",
  OPENAI_BASE_URL: "http://openai.local/v1",
  HF_TOKEN: "hf_token",
  HF_ROUTER_URL: "http://router.local/v1",
  AWS_REGION: "eu-west-1",
  VLLM_BASE_URL: "http://vllm.local/v1",
  LOCAL_LLM_BASE_URL: "http://local.local/v1",
};

describe("model id resolution", () => {
  test.each([
    ["anthropic/claude-sonnet-5-5", "anthropic", "claude-sonnet-5-5", "http://anthropic.local", "sk-ant-a"],
    ["openai/gpt-5.5", "openai", "gpt-5.5", "http://openai.local/v1", "sk-openai"],
    [
      "moonshotai/Kimi-K2.6:novita",
      "hf-router",
      "moonshotai/Kimi-K2.6:novita",
      "http://router.local/v1",
      "hf_token",
    ],
    [
      "anthropic/claude-opus-4.8:fal-ai",
      "hf-router",
      "anthropic/claude-opus-4.8:fal-ai",
      "http://router.local/v1",
      "hf_token",
    ],
    ["zai-org/GLM-5.1:fastest", "hf-router", "zai-org/GLM-5.1:fastest", "http://router.local/v1", "hf_token"],
    ["vllm/Qwen3-8B", "vllm", "Qwen3-8B", "http://vllm.local/v1", "not-needed"],
    ["ollama/llama3.2", "ollama", "llama3.2", "http://local.local/v1", "not-needed"],
  ])("%s", (id, provider, wire, base, key) => {
    const r = resolveModelId(id, env);
    expect(r).toMatchObject({ provider, wireModel: wire, baseURL: base, apiKey: key });
  });

  test("bedrock uses the region and the AWS chain", () => {
    expect(resolveModelId("bedrock/anthropic.claude-sonnet-5-5-v1:0", env)).toMatchObject({
      kind: "bedrock",
      wireModel: "anthropic.claude-sonnet-5-5-v1:0",
      region: "eu-west-1",
    });
  });

  test("defaults when nothing is configured", () => {
    expect(resolveModelId("lm_studio/x", {}).baseURL).toBe("http://localhost:1234/v1");
    expect(resolveModelId("org/model", {}).baseURL).toBe("https://router.huggingface.co/v1");
    expect(resolveModelId("openai/gpt-5", {}).baseURL).toBe("https://api.openai.com/v1");
  });

  test("an id without a provider is a clear error", () => {
    expect(() => resolveModelId("claude", env)).toThrow(ModelIdError);
  });

  test("a missing key fails before any request, naming the variable", async () => {
    const err = await createProvider("org/model", { env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LlmError);
    expect((err as LlmError).message).toContain("HF_TOKEN");
    const err2 = await createProvider("anthropic/claude-haiku-5-5", { env: {} }).catch((e: unknown) => e);
    expect((err2 as LlmError).message).toContain("ANTHROPIC_API_KEY");
  });

  test("a local provider sends its own key to its own base URL", async () => {
    await using fake = await startFakeOpenAI();
    fake.enqueue({ text: "hi" });
    const provider = await createProvider("llamacpp/tiny", {
      env: { LLAMACPP_BASE_URL: `${fake.url}/v1`, LLAMACPP_API_KEY: "local-key" },
    });
    const res = await provider.complete(
      { system: "s", messages: [{ role: "user", content: "x" }], tools: [], stream: true },
      { signal: new AbortController().signal },
    );
    expect(res.message.content).toBe("hi");
    expect(fake.requests[0]!.headers.get("authorization")).toBe("Bearer local-key");
    expect(fake.requests[0]!.headers.get("x-hf-session-id")).toBeNull();
    expect(fake.bodies[0]!.model).toBe("tiny");
  });

  test("bedrock requests go to the regional runtime endpoint, signed", async () => {
    const seen: Request[] = [];
    const fetchSpy = (async (input: string | URL | Request, init?: RequestInit) => {
      seen.push(typeof input === "string" || input instanceof URL ? new Request(String(input), init) : input);
      return new Response(JSON.stringify({ message: "denied" }), {
        status: 403,
        headers: { "content-type": "application/json" },
      });
    }) as typeof fetch;
    const provider = await createProvider("bedrock/anthropic.claude-sonnet-5-5-v1:0", {
      env: {
        AWS_REGION: "eu-west-1",
        AWS_ACCESS_KEY_ID: "AKIAEXAMPLEEXAMPLE12",
        AWS_SECRET_ACCESS_KEY: "secret",
      },
      fetch: fetchSpy,
    });
    const old = { ...process.env };
    process.env.AWS_ACCESS_KEY_ID = "AKIAEXAMPLEEXAMPLE12";
    process.env.AWS_SECRET_ACCESS_KEY = "secret";
    try {
      const err = await provider
        .complete(
          { system: "s", messages: [{ role: "user", content: "x" }], tools: [], stream: false },
          { signal: new AbortController().signal },
        )
        .catch((e: unknown) => e);
      expect((err as LlmError).kind).toBe("auth");
    } finally {
      process.env = old;
    }
    const url = new URL(seen[0]!.url);
    expect(url.host).toBe("bedrock-runtime.eu-west-1.amazonaws.com");
    expect(decodeURIComponent(url.pathname)).toBe("/model/anthropic.claude-sonnet-5-5-v1:0/invoke");
    expect(seen[0]!.headers.get("authorization")).toContain("AWS4-HMAC-SHA256");
  });
});
