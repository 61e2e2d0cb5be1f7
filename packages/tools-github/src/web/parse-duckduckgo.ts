import { parse } from "node-html-parser";

export interface SearchHit {
  title: string;
  url: string;
  snippet?: string;
}

export interface ParsedPage {
  hits: SearchHit[];
  /** DuckDuckGo served its bot check instead of results. */
  blocked: boolean;
}

function collapse(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** Resolves DuckDuckGo's `/l/?uddg=<url>` redirect (and protocol-relative links) to the target; undefined for ads. */
export function resolveResultUrl(href: string, pageUrl: string): string | undefined {
  let url: URL;
  try {
    url = new URL(href, pageUrl);
  } catch {
    return undefined;
  }
  if (url.hostname.endsWith("duckduckgo.com")) {
    if (url.pathname === "/l/" || url.pathname === "/l") {
      const target = url.searchParams.get("uddg");
      return target ? resolveResultUrl(target, pageUrl) : undefined;
    }
    return undefined;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
  return url.toString();
}

/** Extracts result titles, URLs and snippets from a DuckDuckGo HTML results page. */
export function parseDuckDuckGoHtml(html: string, pageUrl: string): ParsedPage {
  const root = parse(html);
  const blocked = root.querySelector(".anomaly-modal__modal, #challenge-form") !== null;
  const hits: SearchHit[] = [];
  let anchors = root.querySelectorAll("a.result__a");
  const structured = anchors.length > 0;
  const noResults = root.querySelector(".no-results") !== null;
  // Unknown markup: fall back to every outbound link (never the engine's own navigation).
  if (!structured) anchors = noResults || blocked ? [] : root.querySelectorAll("a[href]");
  const pageHost = new URL(pageUrl).host;
  for (const anchor of anchors) {
    const container = anchor.closest(".result");
    if (container?.classList.contains("result--ad")) continue;
    const url = resolveResultUrl(anchor.getAttribute("href") ?? "", pageUrl);
    if (!url || new URL(url).host === pageHost) continue;
    const title = collapse(anchor.text);
    if (!title) continue;
    const snippetNode = structured ? container?.querySelector(".result__snippet") : undefined;
    const snippet = snippetNode ? collapse(snippetNode.text) : "";
    hits.push(snippet ? { title, url, snippet } : { title, url });
  }
  return { hits, blocked };
}
