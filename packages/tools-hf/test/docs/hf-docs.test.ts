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

describe("explore_hf_docs against the Hub's catalogue", () => {
  const tgi = [
    {
      id: "text-generation-inference",
      pages: { "conceptual/streaming": "# Streaming\nTGI streams tokens with server-sent events." },
    },
  ];

  test("search sends the catalogue id (tgi), not the URL slug, as product", async () => {
    await using env = await startHfEnv({ hub: { docs: tgi } });
    const result = await env.call("explore_hf_docs", {
      endpoint: "text-generation-inference",
      query: "streams tokens",
    });
    expect(result.text).toContain("Streaming");
    const search = env.hub.server.requestsTo("/api/docs/search")[0]!;
    expect(search.url.searchParams.get("product")).toBe("tgi");
    expect(result.structured).toMatchObject({
      mode: "search",
      results: [
        { title: "Streaming", url: `${env.hub.url}/docs/text-generation-inference/conceptual/streaming` },
      ],
    });
    // The catalogue is fetched once and reused.
    await env.call("explore_hf_docs", { endpoint: "text-generation-inference", query: "streaming" });
    expect(env.hub.server.requestsTo("/api/docs").filter((r) => r.path === "/api/docs")).toHaveLength(1);
  });

  test("an empty semantic search falls back to the full-text endpoint by slug", async () => {
    await using env = await startHfEnv({ hub: { docs: tgi, docsSemanticSearch: false } });
    const result = await env.call("explore_hf_docs", {
      endpoint: "text-generation-inference",
      query: "server-sent events",
    });
    expect(result.text).toContain("full-text");
    expect(result.text).toContain(`${env.hub.url}/docs/text-generation-inference/conceptual/streaming`);
    const fullText = env.hub.server.requestsTo("/api/docs/search/full-text")[0]!;
    expect(fullText.url.searchParams.get("domain")).toBe("text-generation-inference");
    expect(result.structured).toMatchObject({ mode: "full_text" });
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
    expect(result.structured).toMatchObject({
      offset: 0,
      next_offset: 1000,
      total_chars: expect.any(Number),
    });
    expect(String(result.structured?.content)).toStartWith("# SFT Trainer");
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
