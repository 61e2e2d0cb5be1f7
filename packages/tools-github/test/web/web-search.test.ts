import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { type FakeSearchResult, startFakeDuckDuckGo } from "@ml-intern/testing/github/fake-duckduckgo";
import type { FakeServer } from "@ml-intern/testing/http/fake-server";
import { createWebSearchTool } from "../../src/web/web-search.ts";
import { runChecked } from "../lib/checked.ts";
import { makeCtx } from "../lib/context.ts";

const RESULTS: FakeSearchResult[] = [
  { title: "Sponsored GPU cloud", url: "https://ads.example.net/gpu", ad: true },
  {
    title: "GRPO Trainer - Hugging Face",
    url: "https://huggingface.co/docs/trl/grpo_trainer",
    snippet: "The GRPO trainer & its reward functions.",
  },
  { title: "GRPO explained", url: "https://blog.example.com/grpo?x=1&y=2" },
  { title: "GRPO explained (mirror)", url: "https://www.blog.example.com/grpo?x=1&y=2" },
  {
    title: "trl/grpo_trainer.py",
    url: "https://github.com/huggingface/trl/blob/main/trl/trainer/grpo_trainer.py",
    direct: true,
  },
  { title: "Pin about GRPO", url: "https://www.pinterest.com/pin/123" },
  { title: "Docs on a subdomain", url: "https://docs.pytorch.org/tutorials/grpo" },
];

let ddg: FakeServer;
let anomaly: FakeServer;

beforeAll(async () => {
  ddg = await startFakeDuckDuckGo({ results: (q) => (q.includes("nothing") ? [] : RESULTS) });
  anomaly = await startFakeDuckDuckGo({ results: [], anomaly: true });
});
afterAll(async () => {
  await ddg.close();
  await anomaly.close();
});

function run(args: Record<string, unknown>, baseUrl = `${ddg.url}/html/`) {
  const t = createWebSearchTool({ baseUrl });
  return runChecked(t, args, makeCtx());
}

type Hits = Array<{ title: string; url: string }>;

describe("web_search", () => {
  test("decodes redirect links, skips ads, dedupes, and sends the query", async () => {
    const result = await run({ query: "grpo trainer" });
    expect(result.isError).toBeUndefined();
    const hits = result.structured?.results as Hits;
    expect(hits.map((h) => h.url)).toEqual([
      "https://huggingface.co/docs/trl/grpo_trainer",
      "https://blog.example.com/grpo?x=1&y=2",
      "https://github.com/huggingface/trl/blob/main/trl/trainer/grpo_trainer.py",
      "https://www.pinterest.com/pin/123",
      "https://docs.pytorch.org/tutorials/grpo",
    ]);
    expect(hits[0]?.title).toBe("GRPO Trainer - Hugging Face");
    expect(result.text).toContain("The GRPO trainer & its reward functions.");
    expect(result.text).toContain("Sources");
    expect(ddg.requests.at(-1)?.url.searchParams.get("q")).toBe("grpo trainer");
  });

  test("allowed domains keep only those hosts and their subdomains", async () => {
    const result = await run({ query: "grpo", allowed_domains: ["https://pytorch.org/", "HuggingFace.co"] });
    expect(((result.structured?.results ?? []) as Hits).map((h) => h.url)).toEqual([
      "https://huggingface.co/docs/trl/grpo_trainer",
      "https://docs.pytorch.org/tutorials/grpo",
    ]);
  });

  test("blocked domains are removed after the allowlist", async () => {
    const result = await run({ query: "grpo", blocked_domains: ["pinterest.com", "example.com"] });
    const urls = ((result.structured?.results ?? []) as Hits).map((h) => h.url);
    expect(urls).not.toContain("https://www.pinterest.com/pin/123");
    expect(urls.some((u) => u.includes("example.com"))).toBe(false);
    expect(urls).toHaveLength(3);
  });

  test("max_results caps the list", async () => {
    const result = await run({ query: "grpo", max_results: 2 });
    expect((result.structured?.results ?? []) as Hits).toHaveLength(2);
  });

  test("no results, or everything filtered, is a plain result", async () => {
    const none = await run({ query: "nothing at all" });
    expect(none.isError).toBeUndefined();
    expect(none.text).toContain("No web search results matched the query 'nothing at all'");
    const filtered = await run({ query: "grpo", allowed_domains: ["nowhere.invalid"] });
    expect(filtered.text).toContain("after the domain filters");
  });

  test("a bot-check page is an actionable error", async () => {
    const result = await run({ query: "grpo" }, `${anomaly.url}/html/`);
    expect(result.isError).toBe(true);
    expect(result.text).toContain("bot check");
  });

  test("an unreachable endpoint is an error result, not a throw", async () => {
    const result = await run({ query: "grpo" }, "http://127.0.0.1:1/html/");
    expect(result.isError).toBe(true);
    expect(result.text).toContain("Web search failed");
  });

  test("a one-character query is rejected by the schema", () => {
    const t = createWebSearchTool({ baseUrl: `${ddg.url}/html/` });
    expect(t.input.safeParse({ query: "a" }).success).toBe(false);
  });
});
