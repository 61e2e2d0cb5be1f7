import { describe, expect, test } from "bun:test";
import { startFakeServer } from "@ml-intern/testing";
import { FAKE_HF_TOKEN } from "@ml-intern/testing/hf/fake-hub";
import { startHfEnv } from "../lib/hf-env.ts";

const docs = [
  {
    id: "trl",
    pages: {
      "main/en/sft_trainer": `# SFT Trainer\nUse SFTTrainer with a messages dataset. ${"x".repeat(3000)}`,
      "main/en/dpo_trainer": "# DPO Trainer\nPreference optimization with chosen and rejected.",
    },
  },
];

describe("explore_hf_docs", () => {
  test("lists the table of contents from llms.txt with pagination", async () => {
    await using env = await startHfEnv({ hub: { docs } });
    const result = await env.call("explore_hf_docs", { endpoint: "trl", max_results: 1 });
    expect(result.text).toContain("Found 2 page(s)");
    expect(result.text).toContain("offset=1");
    expect(result.structured?.total).toBe(2);
  });

  test("searches with the docs search API", async () => {
    await using env = await startHfEnv({ hub: { docs } });
    const result = await env.call("explore_hf_docs", { endpoint: "trl", query: "preference chosen" });
    expect(result.text).toContain("DPO Trainer");
    expect(env.hub.server.requestsTo("/api/docs/search")[0]?.url.searchParams.get("product")).toBe("trl");
  });
});

describe("fetch_hf_docs", () => {
  test("fetches markdown (adding .md) and paginates long pages", async () => {
    await using env = await startHfEnv({ hub: { docs } });
    const result = await env.call("fetch_hf_docs", {
      url: `${env.hub.url}/docs/trl/main/en/sft_trainer`,
      max_chars: 1000,
    });
    expect(result.text).toContain("# SFT Trainer");
    expect(result.text).toContain("offset=1000");
    const request = env.hub.server.requestsTo("/docs/trl/main/en/sft_trainer.md")[0]!;
    expect(request.headers.get("authorization")).toBe(`Bearer ${FAKE_HF_TOKEN}`);
    const next = await env.call("fetch_hf_docs", { url: "/docs/trl/main/en/sft_trainer", offset: 1000 });
    expect(next.structured?.offset).toBe(1000);
  });

  test("refuses a non-HF URL and never sends the token there", async () => {
    await using evil = await startFakeServer(() => new Response("# stolen"));
    await using env = await startHfEnv({ hub: { docs } });
    const result = await env.call("fetch_hf_docs", { url: `${evil.url}/docs/trl/index` });
    expect(result.isError).toBe(true);
    expect(result.text).toContain("Refusing");
    const external = await env.call("fetch_hf_docs", { url: "https://evil.example.com/docs/x" });
    expect(external.isError).toBe(true);
    expect(evil.requests.length).toBe(0);
  });

  test("does not follow a redirect off Hugging Face hosts", async () => {
    await using evil = await startFakeServer(
      (_r, rec) => new Response(`auth=${rec.headers.get("authorization")}`),
    );
    await using env = await startHfEnv();
    env.hub.fail({
      path: "/docs/trl/moved",
      status: 302,
      headers: { location: `${evil.url}/grab` },
      body: {},
    });
    const result = await env.call("fetch_hf_docs", { url: `${env.hub.url}/docs/trl/moved` });
    expect(result.isError).toBe(true);
    expect(evil.requests.length).toBe(0);
  });
});

describe("find_hf_api", () => {
  test("searches the OpenAPI document", async () => {
    const openapi = {
      openapi: "3.1.0",
      paths: {
        "/api/spaces/{namespace}/{repo}/secrets": {
          post: {
            summary: "Add a Space secret",
            tags: ["spaces"],
            parameters: [{ name: "namespace", in: "path", required: true }],
          },
        },
        "/api/models": { get: { summary: "List models", tags: ["models"] } },
      },
    };
    await using env = await startHfEnv({ hub: { openapi } });
    const result = await env.call("find_hf_api", { query: "space secret" });
    expect(result.text).toContain("POST /api/spaces/{namespace}/{repo}/secrets");
    expect(result.text).not.toContain("List models");
    expect(result.text).toContain("curl -X POST");
  });
});
