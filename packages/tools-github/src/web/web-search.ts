import { type AnyToolDefinition, defineTool, errorResult, type ToolResult } from "@ml-intern/tool";
import { z } from "zod";
import { createDomainFilter, passesDomainFilter } from "./domain-filter.ts";
import { parseDuckDuckGoHtml, type SearchHit } from "./parse-duckduckgo.ts";
import description from "./web-search.txt" with { type: "text" };

export interface WebSearchDeps {
  /** DuckDuckGo HTML endpoint, e.g. https://html.duckduckgo.com/html/ */
  baseUrl: string;
  fetch?: typeof fetch;
  userAgent?: string;
  /** Per-request timeout (default 20 s). */
  timeoutMs?: number;
}

const input = z.object({
  query: z.string().trim().min(2).describe("What to search for (at least 2 characters)."),
  allowed_domains: z
    .array(z.string())
    .optional()
    .describe('Only keep results from these domains or their subdomains, e.g. ["pytorch.org"].'),
  blocked_domains: z
    .array(z.string())
    .optional()
    .describe('Drop results from these domains or their subdomains, e.g. ["pinterest.com"].'),
  max_results: z.number().int().min(1).max(20).default(8).describe("Most results to return (1-20)."),
});

const output = z.object({
  query: z.string().describe("The query searched."),
  results: z
    .array(
      z.object({
        title: z.string(),
        url: z.string(),
        snippet: z.string().nullable().describe("The search engine's excerpt (at most 300 characters)."),
      }),
    )
    .describe("The results after the domain filters, best first."),
});

function dedupeKey(url: string): string {
  const u = new URL(url);
  u.hash = "";
  return `${u.hostname.replace(/^www\./, "")}${u.pathname.replace(/\/+$/, "")}${u.search}`;
}

export function createWebSearchTool(deps: WebSearchDeps): AnyToolDefinition {
  const doFetch = deps.fetch ?? fetch;
  return defineTool({
    name: "web_search",
    description,
    toolset: "web",
    input,
    output,
    annotations: {
      title: "Web search",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    async execute(args, ctx): Promise<ToolResult> {
      const url = new URL(deps.baseUrl);
      url.searchParams.set("q", args.query);
      const signal = AbortSignal.any([ctx.signal, AbortSignal.timeout(deps.timeoutMs ?? 20_000)]);
      let html: string;
      let status: number;
      try {
        const response = await doFetch(url, {
          headers: {
            "user-agent": deps.userAgent ?? "ml-intern-tools-github/0.1",
            accept: "text/html",
          },
          redirect: "follow",
          signal,
        });
        status = response.status;
        html = await response.text();
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        const message = error instanceof Error ? error.message : String(error);
        return errorResult(`Web search failed (${message}). Retry, or check ML_INTERN_WEB_SEARCH_URL.`);
      }
      const page = parseDuckDuckGoHtml(html, url.toString());
      if (page.blocked && page.hits.length === 0) {
        return errorResult(
          "The search engine answered with a bot check instead of results. Retry later, or point ML_INTERN_WEB_SEARCH_URL at another DuckDuckGo-compatible endpoint.",
        );
      }
      if (status >= 400) {
        return errorResult(`Web search failed: the search engine answered HTTP ${status}. Retry later.`);
      }
      const filter = createDomainFilter(args.allowed_domains, args.blocked_domains);
      const seen = new Set<string>();
      const hits: SearchHit[] = [];
      for (const hit of page.hits) {
        if (!passesDomainFilter(hit.url, filter)) continue;
        const key = dedupeKey(hit.url);
        if (seen.has(key)) continue;
        seen.add(key);
        hits.push(hit);
        if (hits.length >= args.max_results) break;
      }
      if (hits.length === 0) {
        const filtered = page.hits.length > 0 ? " after the domain filters" : "";
        return {
          text: `No web search results matched the query '${args.query}'${filtered}.`,
          structured: { query: args.query, results: [] },
        };
      }
      const lines = hits.map(
        (h, i) => `${i + 1}. [${h.title}](${h.url})${h.snippet ? `\n   ${h.snippet.slice(0, 300)}` : ""}`,
      );
      return {
        text: `Web results for '${args.query}':\n\n${lines.join("\n")}\n\nInclude a Sources section with the URLs you used in the final answer.`,
        structured: {
          query: args.query,
          results: hits.map((h) => ({
            title: h.title,
            url: h.url,
            snippet: h.snippet?.slice(0, 300) ?? null,
          })),
        },
      };
    },
  });
}
