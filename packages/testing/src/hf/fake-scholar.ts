/** Fakes of Semantic Scholar (graph + recommendations + snippets) and arXiv HTML, for `hf_papers`. */
import { type FakeServer, jsonResponse, startFakeServer } from "../http/fake-server.ts";

export interface FakeS2Paper {
  arxivId: string;
  title: string;
  year?: number;
  citationCount?: number;
  venue?: string;
  tldr?: string;
  publicationDate?: string;
  fieldsOfStudy?: string[];
}

export interface FakeScholarOptions {
  papers?: FakeS2Paper[];
  /** arxivId → ids of papers it cites. */
  references?: Record<string, string[]>;
  /** arxivId → arXiv HTML page served at /html/<id>. */
  arxivHtml?: Record<string, string>;
  /** Snippets returned by /graph/v1/snippet/search. */
  snippets?: { arxivId: string; text: string; section?: string }[];
}

export interface FakeScholar {
  url: string;
  server: FakeServer;
  /** Makes the next `count` S2 requests answer 429. */
  rateLimit(count: number, retryAfterSeconds?: number): void;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startFakeScholar(options: FakeScholarOptions = {}): Promise<FakeScholar> {
  const papers = options.papers ?? [];
  const byId = new Map(papers.map((p) => [p.arxivId, p]));
  let limited = 0;
  let retryAfter = 30;
  const s2Paper = (p: FakeS2Paper) => ({
    paperId: `s2-${p.arxivId}`,
    title: p.title,
    year: p.year ?? 2024,
    citationCount: p.citationCount ?? 0,
    venue: p.venue ?? "arXiv.org",
    publicationDate: p.publicationDate ?? `${p.year ?? 2024}-01-01`,
    externalIds: { ArXiv: p.arxivId },
    tldr: p.tldr ? { model: "tldr@v2.0.0", text: p.tldr } : null,
  });
  const citedBy = (id: string) =>
    Object.entries(options.references ?? {})
      .filter(([, refs]) => refs.includes(id))
      .map(([citer]) => citer);
  const server = await startFakeServer((_request, recorded) => {
    const path = recorded.path;
    const q = recorded.url.searchParams;
    if (path.startsWith("/html/")) {
      const html = options.arxivHtml?.[path.slice("/html/".length)];
      return html
        ? new Response(html, { headers: { "content-type": "text/html; charset=utf-8" } })
        : new Response("Not Found", { status: 404 });
    }
    if (limited > 0) {
      limited -= 1;
      return jsonResponse(
        {
          message: "Too Many Requests. Please wait and try again or apply for a key for higher rate limits.",
        },
        { status: 429, headers: { "retry-after": String(retryAfter) } },
      );
    }
    const limit = Number(q.get("limit") ?? 10);
    if (path === "/graph/v1/paper/search/bulk") {
      const query = (q.get("query") ?? "").toLowerCase();
      const min = Number(q.get("minCitationCount") ?? 0);
      const fields = q.get("fieldsOfStudy")?.split(",") ?? [];
      const hits = papers.filter(
        (p) =>
          p.title.toLowerCase().includes(query) &&
          (p.citationCount ?? 0) >= min &&
          (fields.length === 0 || fields.some((f) => p.fieldsOfStudy?.includes(f))),
      );
      if (q.get("sort")?.startsWith("citationCount"))
        hits.sort((a, b) => (b.citationCount ?? 0) - (a.citationCount ?? 0));
      return jsonResponse({ total: hits.length, token: null, data: hits.slice(0, limit).map(s2Paper) });
    }
    const graph = /^\/graph\/v1\/paper\/ARXIV:([^/]+)\/(references|citations)$/.exec(path);
    if (graph) {
      const id = graph[1]!;
      if (!byId.has(id))
        return jsonResponse({ error: `Paper with id ARXIV:${id} not found` }, { status: 404 });
      const ids = graph[2] === "references" ? (options.references?.[id] ?? []) : citedBy(id);
      const key = graph[2] === "references" ? "citedPaper" : "citingPaper";
      return jsonResponse({
        offset: 0,
        data: ids
          .map((other) => byId.get(other))
          .filter((p): p is FakeS2Paper => !!p)
          .slice(0, limit)
          .map((p) => ({
            isInfluential: (p.citationCount ?? 0) > 100,
            contexts: [`as shown by ${p.title}`],
            intents: ["background"],
            [key]: { ...s2Paper(p), influentialCitationCount: 1 },
          })),
      });
    }
    if (path === "/graph/v1/snippet/search") {
      const query = (q.get("query") ?? "").toLowerCase();
      const hits = (options.snippets ?? []).filter((s) => s.text.toLowerCase().includes(query));
      return jsonResponse({
        data: hits.slice(0, limit).map((s) => ({
          score: 0.9,
          paper: { corpusId: 1, ...s2Paper(byId.get(s.arxivId) ?? { arxivId: s.arxivId, title: s.arxivId }) },
          snippet: { text: s.text, snippetKind: "body", section: s.section ?? "Introduction" },
        })),
      });
    }
    const forPaper = /^\/recommendations\/v1\/papers\/forpaper\/ARXIV:([^/]+)$/.exec(path);
    if (forPaper) {
      const id = forPaper[1]!;
      if (!byId.has(id)) return jsonResponse({ error: "Paper not found" }, { status: 404 });
      return jsonResponse({
        recommendedPapers: papers
          .filter((p) => p.arxivId !== id)
          .slice(0, limit)
          .map(s2Paper),
      });
    }
    if (path === "/recommendations/v1/papers/" || path === "/recommendations/v1/papers") {
      const body = JSON.parse(recorded.body || "{}") as {
        positivePaperIds?: string[];
        negativePaperIds?: string[];
      };
      const exclude = new Set(
        [...(body.positivePaperIds ?? []), ...(body.negativePaperIds ?? [])].map((i) =>
          i.replace(/^ARXIV:/, ""),
        ),
      );
      return jsonResponse({
        recommendedPapers: papers
          .filter((p) => !exclude.has(p.arxivId))
          .slice(0, limit)
          .map(s2Paper),
      });
    }
    return jsonResponse({ error: `no route for ${path}` }, { status: 404 });
  });
  return {
    url: server.url,
    server,
    rateLimit(count, seconds = 30) {
      limited = count;
      retryAfter = seconds;
    },
    close: () => server.close(),
    [Symbol.asyncDispose]: () => server.close(),
  };
}
