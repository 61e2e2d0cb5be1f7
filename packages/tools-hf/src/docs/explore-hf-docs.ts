import { defineTool, errorResult, textResult } from "@ml-intern/core";
import { z } from "zod";
import { truncateText } from "../format.ts";
import { createHfCall, type HfCall, type HfToolDeps } from "../hf-call.ts";
import { hfErrorResult } from "../http/error-result.ts";
import { DOC_ENDPOINTS, type DocPage, parseLlmsTxt } from "./doc-endpoints.ts";
import description from "./explore-hf-docs.txt" with { type: "text" };

const input = z.object({
  endpoint: z
    .enum(DOC_ENDPOINTS)
    .describe("Which documentation site to explore, e.g. 'transformers', 'trl', 'datasets', 'hub'."),
  query: z
    .string()
    .max(200)
    .optional()
    .describe("What to look for; without it the site's table of contents is listed."),
  max_results: z
    .number()
    .int()
    .min(1)
    .max(50)
    .optional()
    .describe("Maximum results or pages to list (default 20)."),
  offset: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("Table-of-contents mode: skip this many pages (pagination)."),
});

interface SearchHit {
  text: string;
  product?: string;
  heading1?: string;
  heading2?: string;
  source_page_url: string;
  source_page_title?: string;
}

async function manifest(call: HfCall, endpoint: string): Promise<DocPage[]> {
  if (endpoint === "gradio")
    return parseLlmsTxt(
      await call.http.text(`${call.config.gradioDocsUrl}/llms.txt`, { headers: { accept: "text/plain" } }),
    );
  const text = await call.http.text(`${call.config.docsUrl}/docs/${endpoint}/llms.txt`, {
    headers: { accept: "text/plain" },
  });
  return parseLlmsTxt(text);
}

function keywordFilter(pages: DocPage[], query: string): DocPage[] {
  const words = query
    .toLowerCase()
    .split(/\W+/)
    .filter((w) => w.length > 2);
  return pages
    .map((p) => ({ p, score: words.filter((w) => `${p.title} ${p.url}`.toLowerCase().includes(w)).length }))
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score)
    .map((x) => x.p);
}

export function createExploreHfDocsTool(deps: HfToolDeps) {
  return defineTool({
    name: "explore_hf_docs",
    description,
    toolset: "hf-docs",
    input,
    annotations: {
      title: "Explore HF docs",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    async execute(args, ctx) {
      const call = createHfCall(deps, ctx);
      const max = args.max_results ?? 20;
      const site = `${args.endpoint === "gradio" ? call.config.gradioDocsUrl : `${call.config.docsUrl}/docs/${args.endpoint}`}`;
      try {
        if (args.query && args.endpoint !== "gradio") {
          const hits = await call.http
            .json<SearchHit[]>(`${call.config.docsUrl}/api/docs/search`, {
              query: { q: args.query, product: args.endpoint, limit: max },
            })
            .catch(() => [] as SearchHit[]);
          if (hits.length > 0) {
            const seen = new Set<string>();
            const unique = hits
              .filter((h) => !seen.has(h.source_page_url) && seen.add(h.source_page_url))
              .slice(0, max);
            const lines = unique.map((h, i) => {
              const title =
                [h.heading1, h.heading2].filter(Boolean).join(" › ") ||
                h.source_page_title ||
                h.source_page_url;
              return `${i + 1}. **${title}**\n   ${h.source_page_url}\n   ${truncateText(h.text, i === 0 ? 600 : 200)}`;
            });
            return textResult(
              `Documentation search in ${site} for '${args.query}' (${unique.length} results):\n\n${lines.join("\n")}\n\n_Read a page with fetch_hf_docs {"url": "<url>"}._`,
              {
                results: unique.map((h) => ({
                  url: h.source_page_url,
                  title: h.heading1 ?? h.source_page_title,
                  excerpt: truncateText(h.text, 300),
                })),
              },
            );
          }
        }
        const pages = await manifest(call, args.endpoint);
        if (args.query) {
          const matched = keywordFilter(pages, args.query).slice(0, max);
          const list = matched.length ? matched : pages.slice(0, max);
          const note = matched.length ? "" : " No page title matched; showing the first pages instead.";
          return textResult(
            `Documentation structure for: ${site}\nQuery: '${args.query}' → ${list.length} page(s) of ${pages.length}.${note}\n\n${list.map((p, i) => `${i + 1}. **${p.title}** ${p.url}`).join("\n")}`,
            { pages: list, total: pages.length },
          );
        }
        const offset = args.offset ?? 0;
        const page = pages.slice(offset, offset + max);
        const more =
          offset + max < pages.length
            ? `\n_${pages.length - offset - max} more: call again with offset=${offset + max}._`
            : "";
        if (pages.length === 0) return errorResult(`No table of contents found for ${site}.`);
        return textResult(
          `Documentation structure for: ${site}\nFound ${pages.length} page(s); showing ${offset + 1}-${offset + page.length}.\n\n${page.map((p, i) => `${offset + i + 1}. **${p.title}** ${p.url}`).join("\n")}${more}`,
          { pages: page, total: pages.length },
        );
      } catch (error) {
        return hfErrorResult(error, call, { action: `explore the ${args.endpoint} documentation` });
      }
    },
  });
}
