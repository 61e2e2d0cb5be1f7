import { defineTool, errorResult, textResult } from "@ml-intern/tool";
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

const output = z.object({
  endpoint: z.string(),
  site: z.string(),
  query: z.string().optional(),
  mode: z
    .enum(["search", "full_text", "contents"])
    .describe("search: semantic docs search; full_text: the full-text fallback; contents: llms.txt pages."),
  results: z
    .array(z.object({ title: z.string(), url: z.string(), excerpt: z.string() }))
    .optional()
    .describe("Search hits, best first."),
  pages: z
    .array(z.object({ title: z.string(), url: z.string() }))
    .optional()
    .describe("contents mode."),
  total: z.number().optional().describe("contents mode: pages in the site."),
  next_offset: z.number().optional(),
  note: z.string().optional(),
});

type Output = z.infer<typeof output>;

interface FullTextHit {
  url: string;
  hierarchy_lvl0?: string;
  hierarchy_lvl1?: string;
  hierarchy_lvl2?: string;
  content?: string;
}

interface CatalogEntry {
  id: string;
  url?: string;
}

const CATALOG_TTL_MS = 10 * 60 * 1000;
const catalogs = new WeakMap<HfToolDeps, { at: number; ids: Promise<Map<string, string>> }>();

/**
 * URL slug → catalogue id from `/api/docs` (they differ: `tgi` is /docs/text-generation-inference). Cached for ten
 * minutes per tool set, as hf-mcp-server does; a failed fetch is not cached.
 */
async function catalogIdFor(deps: HfToolDeps, call: HfCall, slug: string): Promise<string> {
  let entry = catalogs.get(deps);
  if (!entry || deps.now() - entry.at > CATALOG_TTL_MS) {
    const ids = call.http.json<CatalogEntry[]>(`${call.config.docsUrl}/api/docs`).then((list) => {
      const map = new Map<string, string>();
      for (const item of list) {
        const m = item.url ? /\/docs\/([^/?#]+)\/?$/.exec(item.url) : null;
        if (m) map.set(m[1]!, item.id);
      }
      return map;
    });
    entry = { at: deps.now(), ids };
    catalogs.set(deps, entry);
    ids.catch(() => catalogs.delete(deps));
  }
  try {
    return (await entry.ids).get(slug) ?? slug;
  } catch {
    return slug;
  }
}

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

/** Semantic search by catalogue id, then the full-text endpoint by URL slug when it finds nothing or fails. */
async function searchDocs(
  deps: HfToolDeps,
  call: HfCall,
  slug: string,
  query: string,
  max: number,
): Promise<{ mode: "search" | "full_text"; results: { title: string; url: string; excerpt: string }[] }> {
  const product = await catalogIdFor(deps, call, slug);
  const hits = await call.http
    .json<SearchHit[]>(`${call.config.docsUrl}/api/docs/search`, { query: { q: query, product, limit: max } })
    .catch(() => [] as SearchHit[]);
  if (hits.length > 0) {
    const seen = new Set<string>();
    const unique = hits
      .filter((h) => !seen.has(h.source_page_url) && seen.add(h.source_page_url))
      .slice(0, max);
    return {
      mode: "search",
      results: unique.map((h) => ({
        title:
          [h.heading1, h.heading2].filter(Boolean).join(" › ") || h.source_page_title || h.source_page_url,
        url: h.source_page_url,
        excerpt: h.text,
      })),
    };
  }
  const full = await call.http
    .json<{ hits?: FullTextHit[] }>(`${call.config.docsUrl}/api/docs/search/full-text`, {
      query: { q: query, limit: max, domain: slug },
    })
    .catch(() => ({ hits: [] as FullTextHit[] }));
  const seen = new Set<string>();
  const results = (full.hits ?? [])
    .map((h) => ({
      title: [h.hierarchy_lvl1, h.hierarchy_lvl2].filter(Boolean).join(" › ") || h.hierarchy_lvl0 || h.url,
      url: new URL(h.url, `${call.config.docsUrl}/`).toString(),
      excerpt: h.content ?? "",
    }))
    .filter((h) => !seen.has(h.url.split("#")[0]!) && seen.add(h.url.split("#")[0]!))
    .slice(0, max);
  return { mode: "full_text", results };
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
    output,
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
          const found = await searchDocs(deps, call, args.endpoint, args.query, max);
          if (found.results.length > 0) {
            const lines = found.results.map(
              (h, i) =>
                `${i + 1}. **${h.title}**\n   ${h.url}\n   ${truncateText(h.excerpt, i === 0 ? 600 : 200)}`,
            );
            const structured: Output = {
              endpoint: args.endpoint,
              site,
              query: args.query,
              mode: found.mode,
              results: found.results.map((h) => ({ ...h, excerpt: truncateText(h.excerpt, 600) })),
            };
            return textResult(
              `Documentation search in ${site} for '${args.query}' (${found.results.length} results${found.mode === "full_text" ? ", full-text" : ""}):\n\n${lines.join("\n")}\n\n_Read a page with fetch_hf_docs {"url": "<url>"}._`,
              structured,
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
            {
              endpoint: args.endpoint,
              site,
              query: args.query,
              mode: "contents",
              pages: list,
              total: pages.length,
              ...(note ? { note: note.trim() } : {}),
            } satisfies Output,
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
          {
            endpoint: args.endpoint,
            site,
            mode: "contents",
            pages: page,
            total: pages.length,
            ...(offset + max < pages.length ? { next_offset: offset + max } : {}),
          } satisfies Output,
        );
      } catch (error) {
        return hfErrorResult(error, call, { action: `explore the ${args.endpoint} documentation` });
      }
    },
  });
}
