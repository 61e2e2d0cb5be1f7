/** A fake DuckDuckGo HTML endpoint (`/html/?q=`) serving result pages shaped like html.duckduckgo.com. */
import { type FakeServer, startFakeServer } from "../http/fake-server.ts";

export interface FakeSearchResult {
  title: string;
  url: string;
  snippet?: string;
  /** Rendered as a sponsored result (`result--ad`, a `y.js` click-tracking link). */
  ad?: boolean;
  /** Link directly instead of through the `/l/?uddg=` redirect. */
  direct?: boolean;
}

export interface FakeDuckDuckGoOptions {
  /** Results for every query, or a function of the query. */
  results: FakeSearchResult[] | ((query: string) => FakeSearchResult[]);
  /** Serve the bot-check ("anomaly") page instead of results, with HTTP 202 as DuckDuckGo does. */
  anomaly?: boolean;
}

export async function startFakeDuckDuckGo(options: FakeDuckDuckGoOptions): Promise<FakeServer> {
  return startFakeServer(async (request) => {
    const url = new URL(request.url);
    if (!url.pathname.startsWith("/html")) return new Response("not found", { status: 404 });
    const query =
      url.searchParams.get("q") ??
      (request.method === "POST" ? (new URLSearchParams(await request.text()).get("q") ?? "") : "");
    if (options.anomaly) return html(anomalyPage(query), 202);
    const results = typeof options.results === "function" ? options.results(query) : options.results;
    return html(resultsPage(query, results), 200);
  });
}

function html(body: string, status: number): Response {
  return new Response(body, { status, headers: { "content-type": "text/html; charset=UTF-8" } });
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Bold the query words as DuckDuckGo does in titles and snippets. */
function highlight(text: string, query: string): string {
  let out = escapeHtml(text);
  for (const word of query.split(/\s+/).filter((w) => w.length > 2)) {
    const re = new RegExp(`(${word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")})`, "gi");
    out = out.replace(re, "<b>$1</b>");
  }
  return out;
}

function resultBlock(r: FakeSearchResult, query: string): string {
  const redirect = `//duckduckgo.com/l/?uddg=${encodeURIComponent(r.url)}&amp;rut=${"a1b2c3".repeat(8)}`;
  const href = r.ad
    ? `https://duckduckgo.com/y.js?ad_domain=${encodeURIComponent(new URL(r.url).hostname)}&amp;ad_provider=bingv7aa&amp;u3=${encodeURIComponent(r.url)}`
    : r.direct
      ? escapeHtml(r.url)
      : redirect;
  const display = new URL(r.url).hostname + new URL(r.url).pathname;
  return `
  <div class="result results_links results_links_deep web-result ${r.ad ? "result--ad" : ""}">
    <div class="links_main links_deep result__body">
      <h2 class="result__title">
        <a rel="nofollow" class="result__a" href="${href}">${highlight(r.title, query)}</a>
      </h2>
      <div class="result__extras">
        <div class="result__extras__url">
          <span class="result__icon"><a rel="nofollow" href="${href}"><img class="result__icon__img" width="16" height="16" alt="" src="//external-content.duckduckgo.com/ip3/${new URL(r.url).hostname}.ico" name="i15" /></a></span>
          <a class="result__url" href="${href}">${escapeHtml(display)}</a>
        </div>
      </div>
      ${r.snippet ? `<a class="result__snippet" href="${href}">${highlight(r.snippet, query)}</a>` : ""}
      <div class="clear"></div>
    </div>
  </div>`;
}

function resultsPage(query: string, results: FakeSearchResult[]): string {
  const body = results.length
    ? results.map((r) => resultBlock(r, query)).join("\n")
    : `<div class="no-results">No results.</div>`;
  return `<!DOCTYPE html>
<html lang="en-US">
<head><meta charset="UTF-8"><title>${escapeHtml(query)} at DuckDuckGo</title></head>
<body>
  <div id="header"><form name="x" action="/html/" method="post"><input name="q" type="text" value="${escapeHtml(query)}"></form>
  <a href="/html/">DuckDuckGo</a> <a href="https://duckduckgo.com/settings">Settings</a></div>
  <div class="serp__results"><div id="links" class="results">
${body}
  </div></div>
  <div class="nav-link"><form action="/html/" method="post"><input type="submit" class="btn btn--alt" value="Next" /></form></div>
</body>
</html>`;
}

function anomalyPage(query: string): string {
  return `<!DOCTYPE html><html><head><title>${escapeHtml(query)} at DuckDuckGo</title></head>
<body><div class="anomaly-modal__modal" data-testid="anomaly-modal">
<div class="anomaly-modal__title">Unfortunately, bots use DuckDuckGo too.</div>
<div class="anomaly-modal__description">Please complete the following challenge to confirm this search was made by a human.</div>
<form id="challenge-form" action="/anomaly.js?sv=html&amp;cc=botnet" method="POST"></form>
</div><a href="https://duckduckgo.com/">DuckDuckGo</a></body></html>`;
}
