import { describe, expect, test } from "bun:test";
import { startHfEnv } from "../lib/hf-env.ts";

const papers = [
  {
    id: "2305.18290",
    title: "Direct Preference Optimization",
    summary: "DPO aligns language models.",
    upvotes: 90,
    dailyDate: "2025-01-15",
    ai_keywords: ["alignment"],
    authors: ["Rafael", "Archit"],
  },
  {
    id: "2402.03300",
    title: "DeepSeekMath GRPO",
    summary: "Group relative policy optimization.",
    upvotes: 50,
    dailyDate: "2025-01-15",
    publishedAt: "2025-01-20T00:00:00.000Z",
    markdown: `# DeepSeekMath\n\n## Abstract\n\nWe introduce GRPO.\n\n## 1 Introduction\n\nMath reasoning.\n\n## 2 Method\n\n### 2.1 Group Relative Policy Optimization\n\nNo critic; group baselines.\n`,
  },
  { id: "2501.00001", title: "Only an abstract", summary: "Nothing to read but this." },
];
const html = `<html><body><h1 class="ltx_title ltx_title_document">Direct Preference Optimization</h1>
<div class="ltx_abstract"><h6>Abstract</h6><p>We propose DPO.</p></div>
<section><h2 class="ltx_title ltx_title_section">1 Introduction</h2><p>Intro text about RLHF.</p></section>
<section><h2 class="ltx_title ltx_title_section">4 Method</h2><p>The DPO loss.</p>
<h3 class="ltx_title ltx_title_subsection">4.1 Derivation</h3><p>Derivation details.</p></section></body></html>`;

async function env() {
  return startHfEnv({
    hub: {
      papers,
      repos: [
        { id: "org/dpo-data", type: "dataset", tags: ["arxiv:2305.18290"], downloads: 10 },
        { id: "org/dpo-model", tags: ["arxiv:2305.18290"], downloads: 20, pipeline_tag: "text-generation" },
      ],
      collections: [
        {
          slug: "alice/alignment-abc123",
          title: "Alignment papers",
          owner: "alice",
          items: ["papers/2305.18290"],
        },
      ],
    },
    scholar: {
      papers: [
        {
          arxivId: "2305.18290",
          title: "Direct Preference Optimization",
          citationCount: 3000,
          year: 2023,
          fieldsOfStudy: ["Computer Science"],
        },
        { arxivId: "1707.06347", title: "Proximal Policy Optimization", citationCount: 20000, year: 2017 },
      ],
      references: { "2305.18290": ["1707.06347"] },
      arxivHtml: { "2305.18290": html },
      snippets: [{ arxivId: "2305.18290", text: "the implicit reward is the log ratio", section: "Method" }],
    },
  });
}

describe("hf_papers", () => {
  test("trending, search and details", async () => {
    await using e = await env();
    const trending = await e.call("hf_papers", { operation: "trending", query: "grpo" });
    expect(trending.text).toContain("DeepSeekMath GRPO");
    expect(trending.text).not.toContain("Direct Preference");
    const search = await e.call("hf_papers", { operation: "search", query: "preference" });
    expect(search.structured?.source).toBe("huggingface");
    expect(search.text).toContain("2305.18290");
    const details = await e.call("hf_papers", { operation: "paper_details", arxiv_id: "2305.18290" });
    expect(details.text).toContain("Authors: Rafael, Archit");
    const missing = await e.call("hf_papers", { operation: "paper_details", arxiv_id: "9999.99999" });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain("404");
  });

  test("trending asks the feed for its trending order; search reads title and summary at the top level", async () => {
    await using e = await env();
    // The fake feed is newest-first unless sort=trending (DeepSeekMath is newer but has fewer upvotes).
    const trending = await e.call("hf_papers", { operation: "trending" });
    expect(e.hub.server.requestsTo("/api/daily_papers")[0]?.url.searchParams.get("sort")).toBe("trending");
    expect(trending.text.indexOf("Direct Preference")).toBeLessThan(trending.text.indexOf("DeepSeekMath"));
    expect(trending.structured?.papers).toEqual([
      expect.objectContaining({ id: "2305.18290", upvotes: 90, url: `${e.hub.url}/papers/2305.18290` }),
      expect.objectContaining({ id: "2402.03300" }),
    ]);
    // Search hits carry title and summary only at the top level, not under `paper`.
    const search = await e.call("hf_papers", { operation: "search", query: "group relative" });
    expect(search.text).toContain("**DeepSeekMath GRPO**");
    expect(search.text).toContain("Group relative policy optimization.");
    expect(search.structured?.papers).toEqual([
      expect.objectContaining({
        id: "2402.03300",
        title: "DeepSeekMath GRPO",
        summary: "Group relative policy optimization.",
        url: `${e.hub.url}/papers/2402.03300`,
      }),
    ]);
  });

  test("read_paper tries the Hub's .md first, then arXiv HTML, then the abstract", async () => {
    await using e = await env();
    const md = await e.call("hf_papers", { operation: "read_paper", arxiv_id: "2402.03300" });
    expect(md.text).toContain("We introduce GRPO.");
    expect(md.text).toContain("2.1 Group Relative Policy Optimization");
    expect(md.structured?.source).toBe(`${e.hub.url}/papers/2402.03300.md`);
    expect(e.scholar.server.requestsTo("/html/2402.03300")).toHaveLength(0);
    const section = await e.call("hf_papers", {
      operation: "read_paper",
      arxiv_id: "2402.03300",
      section: "2.1",
    });
    expect(section.structured?.section).toEqual({
      id: "2.1",
      title: "Group Relative Policy Optimization",
      text: "No critic; group baselines.",
    });
    const html = await e.call("hf_papers", { operation: "read_paper", arxiv_id: "2305.18290" });
    expect(e.hub.server.requestsTo("/papers/2305.18290.md")).toHaveLength(1);
    expect(html.structured?.source).toBe(`${e.scholar.url}/html/2305.18290`);
    const abstractOnly = await e.call("hf_papers", { operation: "read_paper", arxiv_id: "2501.00001" });
    expect(abstractOnly.text).toContain("Nothing to read but this.");
    expect(abstractOnly.text).toContain("https://arxiv.org/pdf/2501.00001");
  });

  test("filtered search uses Semantic Scholar and falls back to HF when rate-limited", async () => {
    await using e = await env();
    const s2 = await e.call("hf_papers", { operation: "search", query: "optimization", min_citations: 5000 });
    expect(s2.structured?.source).toBe("semantic_scholar");
    expect(s2.text).toContain("Proximal Policy Optimization");
    expect(s2.text).not.toContain("Direct Preference");
    e.scholar.rateLimit(1, 60);
    const fallback = await e.call("hf_papers", {
      operation: "search",
      query: "preference",
      min_citations: 10,
    });
    expect(fallback.structured?.source).toBe("huggingface");
    expect(fallback.text).toContain("Semantic Scholar unavailable");
    expect(e.scholar.server.requests.every((r) => !r.headers.get("authorization"))).toBe(true);
  });

  test("read_paper gives a TOC and sections", async () => {
    await using e = await env();
    const toc = await e.call("hf_papers", { operation: "read_paper", arxiv_id: "2305.18290" });
    expect(toc.text).toContain("We propose DPO.");
    expect(toc.text).toContain("4.1 Derivation");
    const section = await e.call("hf_papers", {
      operation: "read_paper",
      arxiv_id: "2305.18290",
      section: "method",
    });
    expect(section.text).toContain("The DPO loss.");
    const bad = await e.call("hf_papers", {
      operation: "read_paper",
      arxiv_id: "2305.18290",
      section: "zzz",
    });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain("1 Introduction");
  });

  test("citation graph, snippets and recommendations", async () => {
    await using e = await env();
    const graph = await e.call("hf_papers", {
      operation: "citation_graph",
      arxiv_id: "2305.18290",
      direction: "references",
    });
    expect(graph.text).toContain("Proximal Policy Optimization");
    const snippets = await e.call("hf_papers", { operation: "snippet_search", query: "implicit reward" });
    expect(snippets.text).toContain("[Method]");
    const rec = await e.call("hf_papers", { operation: "recommend", positive_ids: "2305.18290" });
    expect(rec.text).toContain("Proximal Policy Optimization");
    expect(rec.text).not.toContain("Direct Preference");
  });

  test("linked Hub resources", async () => {
    await using e = await env();
    const all = await e.call("hf_papers", { operation: "find_all_resources", arxiv_id: "2305.18290" });
    expect(all.text).toContain("org/dpo-data");
    expect(all.text).toContain("org/dpo-model");
    expect(all.text).toContain("Alignment papers");
    expect(e.hub.server.requestsTo("/api/datasets")[0]?.url.searchParams.getAll("filter")).toEqual([
      "arxiv:2305.18290",
    ]);
  });
});
