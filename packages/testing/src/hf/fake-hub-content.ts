import { hubError, hubJson, hubText, type Route, route } from "./fake-hub-core.ts";

export interface FakePaper {
  id: string;
  title: string;
  summary: string;
  authors?: string[];
  publishedAt?: string;
  upvotes?: number;
  ai_summary?: string;
  ai_keywords?: string[];
  githubRepo?: string;
  githubStars?: number;
  /** Daily-papers feed day (YYYY-MM-DD); papers without it are not in the feed. */
  dailyDate?: string;
  /** The Hub's markdown rendering, served at `/papers/{id}.md`; without it that URL is 404. */
  markdown?: string;
}

export interface FakeCollection {
  slug: string;
  title: string;
  description?: string;
  owner: string;
  upvotes?: number;
  /** Item ids like "papers/2401.00001" or "models/org/name". */
  items: string[];
}

/**
 * Catalogue ids that differ from the URL slug on the real Hub (`/api/docs` lists `{id: "tgi", url:
 * "/docs/text-generation-inference"}`); the fake applies them unless a product sets `catalogId`.
 */
export const DOCS_CATALOG_IDS: Readonly<Record<string, string>> = {
  "text-generation-inference": "tgi",
  "text-embeddings-inference": "tei",
};

export interface FakeDocsProduct {
  /** URL slug, e.g. "transformers" (pages live under /docs/<id>/). */
  id: string;
  /** The id `/api/docs` lists and `/api/docs/search?product=` filters on (default: DOCS_CATALOG_IDS, else `id`). */
  catalogId?: string;
  category?: string;
  /** Page path (after /docs/<id>/) → markdown. */
  pages: Record<string, string>;
}

export interface ContentState {
  papers: FakePaper[];
  collections: FakeCollection[];
  docs: FakeDocsProduct[];
  /** false: semantic docs search answers an empty list (as it does for many queries), only full-text finds pages. */
  docsSemanticSearch: boolean;
  openapi: Record<string, unknown>;
}

function paperObject(p: FakePaper): Record<string, unknown> {
  return {
    id: p.id,
    title: p.title,
    summary: p.summary,
    authors: (p.authors ?? []).map((name, i) => ({ _id: `a${i}`, name, hidden: false })),
    publishedAt: p.publishedAt ?? "2025-01-15T00:00:00.000Z",
    upvotes: p.upvotes ?? 0,
    discussionId: `d-${p.id}`,
    ...(p.ai_summary ? { ai_summary: p.ai_summary } : {}),
    ...(p.ai_keywords ? { ai_keywords: p.ai_keywords } : {}),
    ...(p.githubRepo ? { githubRepo: p.githubRepo, githubStars: p.githubStars ?? 0 } : {}),
    ...(p.dailyDate ? { submittedOnDailyAt: `${p.dailyDate}T12:00:00.000Z` } : {}),
  };
}

const catalogId = (d: FakeDocsProduct) => d.catalogId ?? DOCS_CATALOG_IDS[d.id] ?? d.id;

/** A daily-papers feed item: the paper object and, at the top level, the same title and summary. */
function feedItem(p: FakePaper): Record<string, unknown> {
  return {
    paper: paperObject(p),
    publishedAt: p.publishedAt ?? "2025-01-15T00:00:00.000Z",
    title: p.title,
    summary: p.summary,
    thumbnail: `https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/${p.id}.png`,
    numComments: 0,
    isAuthorParticipating: false,
    submittedBy: {
      _id: "u1",
      avatarUrl: "",
      fullname: "Submitter",
      isPro: false,
      name: "submitter",
      type: "user",
    },
  };
}

function docUrl(base: string, product: string, page: string): string {
  return `${base}/docs/${product}/${page}.md`;
}

export function contentRoutes(state: ContentState): Route[] {
  return [
    route("GET", /^\/api\/papers\/search$/, (req) => {
      const q = req.url.searchParams.get("q")?.toLowerCase();
      if (!q) return hubError(400, "q is required");
      const limit = Number(req.url.searchParams.get("limit") ?? 120);
      const hits = state.papers.filter((p) => `${p.title} ${p.summary}`.toLowerCase().includes(q));
      // Search hits carry title and summary at the top level only; clients must not rely on `paper.title`.
      return hubJson(
        hits.slice(0, limit).map((p) => {
          const { title: _t, summary: _s, ...paper } = paperObject(p);
          return { ...feedItem(p), paper };
        }),
      );
    }),
    route("GET", /^\/api\/daily_papers$/, (req) => {
      const date = req.url.searchParams.get("date");
      const limit = Math.min(Number(req.url.searchParams.get("limit") ?? 50), 100);
      const page = Number(req.url.searchParams.get("p") ?? 0);
      // Like the Hub: newest first unless the caller asks for sort=trending.
      const trending = req.url.searchParams.get("sort") === "trending";
      const feed = state.papers
        .filter((p) => p.dailyDate && (!date || p.dailyDate === date))
        .sort((a, b) =>
          trending
            ? (b.upvotes ?? 0) - (a.upvotes ?? 0)
            : (b.publishedAt ?? "").localeCompare(a.publishedAt ?? ""),
        );
      return hubJson(feed.slice(page * limit, page * limit + limit).map(feedItem));
    }),
    route("GET", /^\/papers\/([^/]+)\.md$/, (_req, m) => {
      const paper = state.papers.find((p) => p.id === m[1]);
      if (!paper?.markdown) return hubText("Not Found", 404);
      return hubText(paper.markdown, 200, "text/markdown; charset=utf-8");
    }),
    route("GET", /^\/api\/papers\/([^/]+)$/, (_req, m) => {
      const paper = state.papers.find((p) => p.id === m[1]);
      if (!paper) return hubError(404, "Paper not found");
      return hubJson({ ...paperObject(paper), numTotalModels: 0, numTotalDatasets: 0, numTotalSpaces: 0 });
    }),
    route("GET", /^\/api\/collections$/, (req) => {
      const q = req.url.searchParams;
      const items = q.getAll("item");
      const paper = q.get("paper");
      if (paper) items.push(`papers/${paper}`);
      const limit = Number(q.get("limit") ?? 100);
      const hits = state.collections.filter((c) => items.every((i) => c.items.includes(i)));
      return hubJson(
        hits.slice(0, limit).map((c) => ({
          slug: c.slug,
          title: c.title,
          description: c.description,
          owner: { name: c.owner, type: "user" },
          upvotes: c.upvotes ?? 0,
          items: c.items.slice(0, 4).map((id, position) => {
            const [kind, ...rest] = id.split("/");
            return { _id: `i${position}`, position, type: kind?.replace(/s$/, ""), id: rest.join("/") };
          }),
          lastUpdated: "2025-03-01T00:00:00.000Z",
          private: false,
          theme: "indigo",
          gating: false,
          isUpvotedByUser: false,
          numberItems: c.items.length,
        })),
      );
    }),
    route("GET", /^\/api\/docs$/, () =>
      hubJson(
        state.docs.map((d) => ({
          id: catalogId(d),
          url: `/docs/${d.id}`,
          category: d.category ?? "Libraries",
        })),
      ),
    ),
    route("GET", /^\/api\/docs\/search$/, (req) => {
      const q = req.url.searchParams.get("q")?.toLowerCase() ?? "";
      const product = req.url.searchParams.get("product");
      const limit = Number(req.url.searchParams.get("limit") ?? 25);
      const words = q.split(/\s+/).filter(Boolean);
      if (!state.docsSemanticSearch) return hubJson([]);
      const hits = state.docs
        .filter((d) => !product || catalogId(d) === product)
        .flatMap((d) =>
          Object.entries(d.pages).map(([page, md]) => ({
            d,
            page,
            md,
            score: words.filter((w) => md.toLowerCase().includes(w)).length,
          })),
        )
        .filter((h) => h.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, limit);
      return hubJson(
        hits.map((h) => ({
          text: h.md.slice(0, 400),
          product: catalogId(h.d),
          heading1: /^#\s+(.+)$/m.exec(h.md)?.[1] ?? h.page,
          source_page_url: `${req.base}/docs/${h.d.id}/${h.page}`,
          source_page_title: /^#\s+(.+)$/m.exec(h.md)?.[1] ?? h.page,
        })),
      );
    }),
    route("GET", /^\/api\/docs\/search\/full-text$/, (req) => {
      const q = req.url.searchParams.get("q")?.toLowerCase() ?? "";
      const domain = req.url.searchParams.get("domain");
      const limit = Number(req.url.searchParams.get("limit") ?? 10);
      const words = q.split(/\s+/).filter(Boolean);
      const hits = state.docs
        .filter((d) => !domain || d.id === domain)
        .flatMap((d) => Object.entries(d.pages).map(([page, md]) => ({ d, page, md })))
        .filter((h) => words.some((w) => h.md.toLowerCase().includes(w)))
        .slice(0, limit);
      return hubJson({
        hits: hits.map((h) => ({
          url: `/docs/${h.d.id}/${h.page}`,
          hierarchy_lvl0: h.d.id,
          hierarchy_lvl1: /^#\s+(.+)$/m.exec(h.md)?.[1] ?? h.page,
          content: h.md.slice(0, 300),
        })),
      });
    }),
    route("GET", /^\/docs\/([^/]+)\/llms\.txt$/, (req, m) => {
      const product = state.docs.find((d) => d.id === m[1]);
      if (!product) return hubText("Not Found", 404);
      const lines = Object.entries(product.pages).map(
        ([page, md]) => `- [${/^#\s+(.+)$/m.exec(md)?.[1] ?? page}](${docUrl(req.base, product.id, page)})`,
      );
      return hubText(`# ${product.id}\n\n${lines.join("\n")}\n`);
    }),
    route("GET", /^\/docs\/([^/]+)\/(.+?)(?:\.md)?$/, (req, m) => {
      const product = state.docs.find((d) => d.id === m[1]);
      const page = product?.pages[m[2]!];
      if (page === undefined) return hubText("Not Found", 404);
      const accept = req.request.headers.get("accept") ?? "";
      if (!req.url.pathname.endsWith(".md") && !accept.includes("text/markdown")) {
        return hubText(`<html><body>${page}</body></html>`, 200, "text/html; charset=utf-8");
      }
      return hubText(page, 200, "text/markdown; charset=utf-8");
    }),
    route("GET", /^\/\.well-known\/openapi\.json$/, () => hubJson(state.openapi)),
  ];
}
