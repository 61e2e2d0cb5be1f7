import { listCollections, listDatasets, listModels } from "@huggingface/hub";
import { errorResult, type ToolResult, textResult } from "@ml-intern/tool";
import { formatCount, truncateText } from "../format.ts";
import type { HfCall } from "../hf-call.ts";
import { findSection, type ParsedPaper, parseArxivHtml } from "./arxiv-html.ts";
import { parsePaperMarkdown } from "./paper-markdown.ts";

export interface PapersArgs {
  operation: string;
  query?: string;
  arxiv_id?: string;
  section?: string;
  direction?: "citations" | "references" | "both";
  date?: string;
  date_from?: string;
  date_to?: string;
  categories?: string;
  min_citations?: number;
  sort_by?: "relevance" | "citationCount" | "publicationDate";
  positive_ids?: string;
  negative_ids?: string;
  sort?: "downloads" | "likes" | "trending";
  limit?: number;
}

interface HfPaper {
  id: string;
  title: string;
  summary?: string;
  ai_summary?: string;
  ai_keywords?: string[];
  upvotes?: number;
  publishedAt?: string;
  authors?: { name: string }[];
  githubRepo?: string;
  githubStars?: number;
}

interface S2Paper {
  title?: string;
  year?: number;
  citationCount?: number;
  venue?: string;
  externalIds?: { ArXiv?: string };
  tldr?: { text?: string } | null;
}

const limitOf = (a: PapersArgs) => Math.min(a.limit ?? 10, 50);

/** A paper as the results carry it (structured content mirrors the text). */
export interface PaperOut {
  id?: string;
  title: string;
  summary?: string;
  url?: string;
  upvotes?: number;
  published?: string;
  authors?: string[];
  keywords?: string[];
  github?: string;
  year?: number;
  citations?: number;
  venue?: string;
  influential?: boolean;
}

type FeedItem = { paper?: Partial<HfPaper> } & Partial<HfPaper>;

/**
 * Feed and search items carry the paper under `paper`, but title and summary may be only at the top level (search
 * hits) or only inside; read both.
 */
export function normalizePaper(item: FeedItem): HfPaper {
  const inner = item.paper ?? {};
  return {
    ...item,
    ...inner,
    id: inner.id ?? item.id ?? "",
    title: inner.title ?? item.title ?? "",
    ...((inner.summary ?? item.summary) ? { summary: inner.summary ?? item.summary } : {}),
  } as HfPaper;
}

function hfOut(call: HfCall, p: HfPaper): PaperOut {
  return {
    id: p.id,
    title: p.title,
    ...((p.ai_summary ?? p.summary) ? { summary: p.ai_summary ?? p.summary } : {}),
    url: `${call.config.hubUrl}/papers/${p.id}`,
    ...(p.upvotes !== undefined ? { upvotes: p.upvotes } : {}),
    ...(p.publishedAt ? { published: p.publishedAt.slice(0, 10) } : {}),
    ...(p.authors?.length ? { authors: p.authors.map((a) => a.name) } : {}),
    ...(p.ai_keywords?.length ? { keywords: p.ai_keywords } : {}),
    ...(p.githubRepo ? { github: p.githubRepo } : {}),
  };
}

function s2Out(p: S2Paper): PaperOut {
  const id = p.externalIds?.ArXiv;
  return {
    ...(id ? { id, url: `https://arxiv.org/abs/${id}` } : {}),
    title: p.title ?? "?",
    ...(p.tldr?.text ? { summary: p.tldr.text } : {}),
    ...(p.year !== undefined ? { year: p.year } : {}),
    ...(p.citationCount !== undefined ? { citations: p.citationCount } : {}),
    ...(p.venue ? { venue: p.venue } : {}),
  };
}

function paperLine(call: HfCall, p: HfPaper, i: number): string {
  const summary = truncateText(p.ai_summary ?? p.summary ?? "", 300);
  const kw = p.ai_keywords?.length ? `\n   Keywords: ${p.ai_keywords.slice(0, 5).join(", ")}` : "";
  const gh = p.githubRepo ? `\n   GitHub: ${p.githubRepo} (${formatCount(p.githubStars)} stars)` : "";
  return `${i + 1}. **${p.title}** — arxiv_id ${p.id} · ${p.upvotes ?? 0} upvotes\n   ${call.config.hubUrl}/papers/${p.id}${kw}${gh}\n   ${summary}`;
}

function s2Line(p: S2Paper, i: number): string {
  const id = p.externalIds?.ArXiv;
  return `${i + 1}. **${p.title ?? "?"}** (${p.year ?? "?"}, ${p.citationCount ?? 0} citations${p.venue ? `, ${p.venue}` : ""})${id ? ` — arxiv_id ${id} https://arxiv.org/abs/${id}` : ""}${p.tldr?.text ? `\n   TL;DR: ${truncateText(p.tldr.text, 250)}` : ""}`;
}

const arxivPrefix = (ids: string | undefined) =>
  (ids ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => `ARXIV:${s.replace(/^arxiv:/i, "")}`);

async function trending(call: HfCall, a: PapersArgs): Promise<ToolResult> {
  const limit = limitOf(a);
  const fetchLimit = a.query ? Math.min(Math.max(limit * 3, 30), 100) : limit;
  // The feed is newest-first unless asked for its trending order.
  const feed = await call.http.json<FeedItem[]>(`${call.config.hubUrl}/api/daily_papers`, {
    query: { limit: fetchLimit, date: a.date, sort: "trending" },
  });
  let papers = feed.map(normalizePaper);
  if (a.query) {
    const q = a.query.toLowerCase();
    papers = papers.filter((p) =>
      `${p.title} ${p.summary ?? ""} ${(p.ai_keywords ?? []).join(" ")}`.toLowerCase().includes(q),
    );
  }
  papers = papers.slice(0, limit);
  if (!papers.length)
    return textResult(
      `No trending papers${a.query ? ` matching '${a.query}'` : ""}${a.date ? ` on ${a.date}` : ""}.`,
      { operation: "trending", papers: [] },
    );
  return textResult(
    `Trending papers${a.date ? ` (${a.date})` : ""}${a.query ? ` matching '${a.query}'` : ""}:\n${papers.map((p, i) => paperLine(call, p, i)).join("\n")}`,
    { operation: "trending", source: "huggingface", papers: papers.map((p) => hfOut(call, p)) },
  );
}

function s2Filters(a: PapersArgs): Record<string, string | number | undefined> {
  return {
    ...(a.date_from || a.date_to ? { publicationDateOrYear: `${a.date_from ?? ""}:${a.date_to ?? ""}` } : {}),
    fieldsOfStudy: a.categories,
    minCitationCount: a.min_citations,
  };
}

async function search(call: HfCall, a: PapersArgs): Promise<ToolResult> {
  if (!a.query) return errorResult("search needs `query`.");
  const limit = limitOf(a);
  const wantsS2 =
    a.date_from ||
    a.date_to ||
    a.categories ||
    a.min_citations !== undefined ||
    (a.sort_by && a.sort_by !== "relevance");
  let note = "";
  if (wantsS2) {
    try {
      const res = await call.http.json<{ data?: S2Paper[] }>(
        `${call.config.s2Url}/graph/v1/paper/search/bulk`,
        {
          query: {
            query: a.query,
            limit,
            fields: "title,externalIds,year,citationCount,tldr,venue,publicationDate",
            ...s2Filters(a),
            ...(a.sort_by && a.sort_by !== "relevance" ? { sort: `${a.sort_by}:desc` } : {}),
          },
        },
      );
      const data = (res.data ?? []).slice(0, limit);
      return textResult(
        `Semantic Scholar results for '${a.query}':\n${data.map(s2Line).join("\n") || "none"}`,
        { operation: "search", source: "semantic_scholar", papers: data.map(s2Out) },
      );
    } catch (error) {
      note = `\n_(Semantic Scholar unavailable: ${error instanceof Error ? error.message : String(error)}; filters ignored, showing Hugging Face search.)_`;
    }
  }
  const hits = await call.http.json<FeedItem[]>(`${call.config.hubUrl}/api/papers/search`, {
    query: { q: a.query, limit },
  });
  const papers = hits.map(normalizePaper).slice(0, limit);
  return textResult(
    `Papers matching '${a.query}':${note}\n${papers.map((p, i) => paperLine(call, p, i)).join("\n") || "none"}`,
    {
      operation: "search",
      source: "huggingface",
      papers: papers.map((p) => hfOut(call, p)),
      ...(note ? { note: note.replace(/^\n_\(|\)_$/g, "") } : {}),
    },
  );
}

async function details(call: HfCall, id: string): Promise<ToolResult> {
  const p = normalizePaper(await call.http.json<FeedItem>(`${call.config.hubUrl}/api/papers/${id}`));
  const authors = p.authors ?? [];
  const lines = [
    `# ${p.title}`,
    `arxiv_id: ${p.id} · ${p.upvotes ?? 0} upvotes · published ${p.publishedAt?.slice(0, 10) ?? "?"}`,
    `${call.config.hubUrl}/papers/${p.id} · https://arxiv.org/abs/${p.id}`,
    `Authors: ${authors
      .slice(0, 10)
      .map((x) => x.name)
      .join(", ")}${authors.length > 10 ? ` (+${authors.length - 10} more)` : ""}`,
    p.ai_keywords?.length ? `Keywords: ${p.ai_keywords.join(", ")}` : "",
    p.githubRepo ? `GitHub: ${p.githubRepo} (${formatCount(p.githubStars)} stars)` : "",
    p.ai_summary ? `\n**AI summary:** ${p.ai_summary}` : "",
    `\n**Abstract:** ${truncateText(p.summary ?? "", 500)}`,
    `\nNext: read_paper for sections, find_all_resources for linked models/datasets, citation_graph for related work.`,
  ];
  return textResult(lines.filter(Boolean).join("\n"), {
    operation: "paper_details",
    paper: { ...hfOut(call, p), ...(p.summary ? { summary: p.summary } : {}) },
    ...(p.ai_summary ? { ai_summary: p.ai_summary } : {}),
  });
}

async function fetchOptional(call: HfCall, url: string, accept: string): Promise<string | undefined> {
  try {
    return await call.http.text(url, { headers: { accept } });
  } catch {
    return undefined;
  }
}

/** The paper's full text: the Hub's `.md` rendering first, then arXiv HTML; undefined when neither has sections. */
async function paperText(
  call: HfCall,
  id: string,
): Promise<{ parsed: ParsedPaper; source: string } | undefined> {
  const md = await fetchOptional(call, `${call.config.hubUrl}/papers/${id}.md`, "text/markdown, text/plain");
  const fromMd = md ? parsePaperMarkdown(md) : undefined;
  if (fromMd && fromMd.sections.length > 0)
    return { parsed: fromMd, source: `${call.config.hubUrl}/papers/${id}.md` };
  const html = await fetchOptional(call, `${call.config.arxivUrl}/html/${id}`, "text/html");
  const fromHtml = html ? parseArxivHtml(html) : undefined;
  if (fromHtml && fromHtml.sections.length > 0)
    return { parsed: fromHtml, source: `${call.config.arxivUrl}/html/${id}` };
  return undefined;
}

async function readPaper(call: HfCall, id: string, section: string | undefined): Promise<ToolResult> {
  const full = await paperText(call, id);
  if (!full) {
    const p = normalizePaper(await call.http.json<FeedItem>(`${call.config.hubUrl}/api/papers/${id}`));
    const pdf = `https://arxiv.org/pdf/${id}`;
    return textResult(
      `# ${p.title}\n\n**Abstract:** ${p.summary ?? ""}\n\nNeither the Hub's markdown nor arXiv HTML is available; the PDF is at ${pdf}`,
      {
        operation: "read_paper",
        id,
        title: p.title,
        abstract: p.summary ?? "",
        source: `${call.config.hubUrl}/api/papers/${id}`,
        sections: [],
        url: pdf,
      },
    );
  }
  const { parsed, source } = full;
  const base = { operation: "read_paper", id, title: parsed.title, source };
  if (!section) {
    const toc = parsed.sections.map(
      (s) => `${s.level === 3 ? "  " : ""}- ${s.id} ${s.title}: ${truncateText(s.text, 280)}`,
    );
    return textResult(
      `# ${parsed.title}\n\n**Abstract:** ${parsed.abstract}\n\n## Sections\n${toc.join("\n")}\n\n_Read one with section="<id or title>"._`,
      {
        ...base,
        abstract: parsed.abstract,
        sections: parsed.sections.map((s) => ({
          id: s.id,
          title: s.title,
          preview: truncateText(s.text, 280),
        })),
      },
    );
  }
  const found = findSection(parsed.sections, section);
  if (!found) {
    return errorResult(
      `Section '${section}' not found. Available: ${parsed.sections.map((s) => `${s.id} ${s.title}`).join("; ")}`,
    );
  }
  const max = 8000;
  const cut =
    found.text.length > max
      ? `${found.text.slice(0, max)}\n\n_(section truncated at ${max} of ${found.text.length} characters)_`
      : found.text;
  return textResult(`# ${parsed.title}\n## ${found.id} ${found.title}\n\n${cut}`, {
    ...base,
    section: { id: found.id, title: found.title, text: found.text.slice(0, max) },
  });
}

interface CitationEdge {
  isInfluential?: boolean;
  contexts?: string[];
  intents?: string[];
  citedPaper?: S2Paper;
  citingPaper?: S2Paper;
}

async function citationGraph(call: HfCall, a: PapersArgs, id: string): Promise<ToolResult> {
  const dir = a.direction ?? "both";
  const kinds = dir === "both" ? (["references", "citations"] as const) : ([dir] as const);
  const fields =
    "title,externalIds,year,citationCount,influentialCitationCount,contexts,intents,isInfluential";
  const results = await Promise.allSettled(
    kinds.map((k) =>
      call.http.json<{ data?: CitationEdge[] }>(`${call.config.s2Url}/graph/v1/paper/ARXIV:${id}/${k}`, {
        query: { fields, limit: limitOf(a) },
      }),
    ),
  );
  if (results.every((r) => r.status === "rejected")) {
    const reason = (results[0] as PromiseRejectedResult).reason;
    throw reason;
  }
  const sections: string[] = [];
  const structured: Record<string, unknown> = { operation: "citation_graph", id };
  const errors: string[] = [];
  results.forEach((r, i) => {
    const kind = kinds[i]!;
    if (r.status === "rejected") {
      const message = r.reason instanceof Error ? r.reason.message : String(r.reason);
      sections.push(`## ${kind}\nError: ${message}`);
      errors.push(`${kind}: ${message}`);
      return;
    }
    const edges = r.value.data ?? [];
    structured[kind] = edges.map((e) => ({
      ...s2Out(e.citedPaper ?? e.citingPaper ?? {}),
      ...(e.isInfluential ? { influential: true } : {}),
      ...(kind === "citations" && e.contexts?.length
        ? { contexts: e.contexts.slice(0, 2).map((c) => truncateText(c, 200)) }
        : {}),
    }));
    const lines = edges.map((e, j) => {
      const p = e.citedPaper ?? e.citingPaper ?? {};
      const ctx =
        kind === "citations" && e.contexts?.length
          ? `\n   ${e.intents?.join(", ") ?? ""} — "${e.contexts
              .slice(0, 2)
              .map((c) => truncateText(c, 200))
              .join('" / "')}"`
          : "";
      return `${j + 1}. ${p.title} (${p.year ?? "?"}, ${p.citationCount ?? 0} cites)${e.isInfluential ? " [influential]" : ""}${p.externalIds?.ArXiv ? ` arxiv_id ${p.externalIds.ArXiv}` : ""}${ctx}`;
    });
    sections.push(`## ${kind} (${edges.length})\n${lines.join("\n") || "none"}`);
  });
  if (errors.length) structured.note = errors.join("; ");
  return textResult(`Citation graph of ${id}:\n\n${sections.join("\n\n")}`, structured);
}

async function snippetSearch(call: HfCall, a: PapersArgs): Promise<ToolResult> {
  if (!a.query) return errorResult("snippet_search needs `query`.");
  const res = await call.http.json<{
    data?: { paper?: S2Paper; snippet?: { text?: string; section?: string } }[];
  }>(`${call.config.s2Url}/graph/v1/snippet/search`, {
    query: {
      query: a.query,
      limit: limitOf(a),
      fields: "title,externalIds,year,citationCount",
      ...s2Filters(a),
    },
  });
  const data = res.data ?? [];
  const lines = data.map(
    (d, i) =>
      `${i + 1}. **${d.paper?.title ?? "?"}** (${d.paper?.year ?? "?"})${d.paper?.externalIds?.ArXiv ? ` arxiv_id ${d.paper.externalIds.ArXiv}` : ""}\n   [${d.snippet?.section ?? "?"}] ${truncateText(d.snippet?.text ?? "", 400)}`,
  );
  return textResult(`Passages matching '${a.query}':\n${lines.join("\n") || "none"}`, {
    operation: "snippet_search",
    source: "semantic_scholar",
    passages: data.map((d) => ({
      paper: s2Out(d.paper ?? {}),
      ...(d.snippet?.section ? { section: d.snippet.section } : {}),
      text: d.snippet?.text ?? "",
    })),
  });
}

async function recommend(call: HfCall, a: PapersArgs): Promise<ToolResult> {
  const fields = "title,externalIds,year,citationCount,tldr,venue";
  let res: { recommendedPapers?: S2Paper[] };
  if (a.arxiv_id) {
    res = await call.http.json(
      `${call.config.s2Url}/recommendations/v1/papers/forpaper/ARXIV:${a.arxiv_id}`,
      {
        query: { fields, limit: limitOf(a), from: "recent" },
      },
    );
  } else {
    const positive = arxivPrefix(a.positive_ids);
    if (!positive.length)
      return errorResult("recommend needs `arxiv_id` or `positive_ids` (comma-separated arxiv ids).");
    res = await call.http.json(`${call.config.s2Url}/recommendations/v1/papers/`, {
      method: "POST",
      query: { fields, limit: limitOf(a) },
      body: { positivePaperIds: positive, negativePaperIds: arxivPrefix(a.negative_ids) },
    });
  }
  const papers = res.recommendedPapers ?? [];
  return textResult(`Recommended papers:\n${papers.map(s2Line).join("\n") || "none"}`, {
    operation: "recommend",
    source: "semantic_scholar",
    papers: papers.map(s2Out),
  });
}

const SORT_MAP = { downloads: "downloads", likes: "likes", trending: "trendingScore" } as const;

async function linkedRepos(
  call: HfCall,
  kind: "datasets" | "models",
  id: string,
  limit: number,
  sort: PapersArgs["sort"],
) {
  const opts = { ...call.hub, search: { tags: [`arxiv:${id}`] }, sort: SORT_MAP[sort ?? "downloads"], limit };
  const out: { id: string; downloads: number; likes: number; extra?: string }[] = [];
  if (kind === "datasets") {
    for await (const d of listDatasets({ ...opts, additionalFields: ["tags"] })) {
      out.push({
        id: d.name,
        downloads: d.downloads,
        likes: d.likes,
        extra: (d.tags ?? [])
          .filter((t) => !/^(arxiv|region):/.test(t))
          .slice(0, 5)
          .join(", "),
      });
      if (out.length >= limit) break;
    }
  } else {
    for await (const m of listModels({ ...opts, additionalFields: ["library_name"] })) {
      out.push({
        id: m.name,
        downloads: m.downloads,
        likes: m.likes,
        extra: [m.task, m.library_name].filter(Boolean).join(", "),
      });
      if (out.length >= limit) break;
    }
  }
  return out;
}

async function collections(call: HfCall, id: string, limit: number) {
  const out: { slug: string; title: string; owner: string; upvotes: number; items: number }[] = [];
  for await (const c of listCollections({ ...call.hub, search: { item: [`papers/${id}`] }, limit })) {
    const owner = (c.owner as { name?: string } | undefined)?.name ?? "";
    const count = (c as { numberItems?: number }).numberItems ?? c.items?.length ?? 0;
    out.push({ slug: c.slug, title: c.title, owner, upvotes: c.upvotes ?? 0, items: count });
    if (out.length >= limit) break;
  }
  return out;
}

export async function runPapersOperation(call: HfCall, a: PapersArgs): Promise<ToolResult> {
  const id = a.arxiv_id?.replace(/^arxiv:/i, "").replace(/v\d+$/, "");
  const needId = () => errorResult(`${a.operation} needs \`arxiv_id\` (e.g. '2401.00001').`);
  switch (a.operation) {
    case "trending":
      return trending(call, a);
    case "search":
      return search(call, a);
    case "paper_details":
      return id ? details(call, id) : needId();
    case "read_paper":
      return id ? readPaper(call, id, a.section) : needId();
    case "citation_graph":
      return id ? citationGraph(call, a, id) : needId();
    case "snippet_search":
      return snippetSearch(call, a);
    case "recommend":
      return recommend(call, { ...a, ...(id ? { arxiv_id: id } : {}) });
    case "find_datasets":
    case "find_models": {
      if (!id) return needId();
      const kind = a.operation === "find_datasets" ? "datasets" : "models";
      const repos = await linkedRepos(call, kind, id, limitOf(a), a.sort);
      const prefix = kind === "datasets" ? "datasets/" : "";
      const lines = repos.map(
        (r, i) =>
          `${i + 1}. **${r.id}** — ${formatCount(r.downloads)} downloads · ${formatCount(r.likes)} likes${r.extra ? ` · ${r.extra}` : ""}\n   ${call.config.hubUrl}/${prefix}${r.id}`,
      );
      const hint =
        kind === "datasets" && repos[0] ? `\n_Next: hf_inspect_dataset {"dataset": "${repos[0].id}"}._` : "";
      return textResult(
        `${kind === "datasets" ? "Datasets" : "Models"} citing ${id}:\n${lines.join("\n") || "none"}${hint}`,
        {
          operation: a.operation,
          [kind]: repos.map((r) => ({ ...r, url: `${call.config.hubUrl}/${prefix}${r.id}` })),
        },
      );
    }
    case "find_collections": {
      if (!id) return needId();
      const cols = await collections(call, id, limitOf(a));
      const lines = cols.map(
        (c, i) =>
          `${i + 1}. **${c.title}** by ${c.owner} — ${c.upvotes} upvotes · ${c.items} items\n   ${call.config.hubUrl}/collections/${c.slug}`,
      );
      return textResult(`Collections containing ${id}:\n${lines.join("\n") || "none"}`, {
        operation: "find_collections",
        collections: cols.map((c) => ({ ...c, url: `${call.config.hubUrl}/collections/${c.slug}` })),
      });
    }
    case "find_all_resources": {
      if (!id) return needId();
      const per = Math.min(limitOf(a), 10);
      const [ds, ms, cs] = await Promise.allSettled([
        linkedRepos(call, "datasets", id, per, "downloads"),
        linkedRepos(call, "models", id, per, "downloads"),
        collections(call, id, per),
      ]);
      const section = <T>(title: string, r: PromiseSettledResult<T[]>, fmt: (x: T) => string) =>
        `## ${title}\n${r.status === "rejected" ? `Error: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}` : r.value.map(fmt).join("\n") || "none"}`;
      return textResult(
        [
          `Resources linked to ${id}:`,
          section("Datasets", ds, (d) => `- ${d.id} (${formatCount(d.downloads)} downloads)`),
          section("Models", ms, (m) => `- ${m.id} (${formatCount(m.downloads)} downloads)`),
          section("Collections", cs, (c) => `- ${c.title} ${call.config.hubUrl}/collections/${c.slug}`),
        ].join("\n\n"),
        {
          operation: "find_all_resources",
          datasets:
            ds.status === "fulfilled"
              ? ds.value.map((d) => ({ ...d, url: `${call.config.hubUrl}/datasets/${d.id}` }))
              : [],
          models:
            ms.status === "fulfilled"
              ? ms.value.map((m) => ({ ...m, url: `${call.config.hubUrl}/${m.id}` }))
              : [],
          collections:
            cs.status === "fulfilled"
              ? cs.value.map((c) => ({ ...c, url: `${call.config.hubUrl}/collections/${c.slug}` }))
              : [],
          ...([ds, ms, cs].some((r) => r.status === "rejected")
            ? {
                note: [ds, ms, cs]
                  .filter((r): r is PromiseRejectedResult => r.status === "rejected")
                  .map((r) => (r.reason instanceof Error ? r.reason.message : String(r.reason)))
                  .join("; "),
              }
            : {}),
        },
      );
    }
    default:
      return errorResult(`Unknown operation '${a.operation}'.`);
  }
}
