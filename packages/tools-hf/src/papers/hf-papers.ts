import { defineTool } from "@ml-intern/tool";
import { z } from "zod";
import { createHfCall, type HfToolDeps } from "../hf-call.ts";
import { hfErrorResult } from "../http/error-result.ts";
import description from "./hf-papers.txt" with { type: "text" };
import { runPapersOperation } from "./papers-ops.ts";

const OPERATIONS = [
  "trending",
  "search",
  "paper_details",
  "read_paper",
  "citation_graph",
  "snippet_search",
  "recommend",
  "find_datasets",
  "find_models",
  "find_collections",
  "find_all_resources",
] as const;

const input = z.object({
  operation: z.enum(OPERATIONS).describe("What to do; see the tool description."),
  query: z
    .string()
    .max(300)
    .optional()
    .describe("search/snippet_search: the query; trending: an optional keyword filter."),
  arxiv_id: z
    .string()
    .optional()
    .describe(
      "The paper's arXiv id, e.g. '2305.18290' (paper_details, read_paper, citation_graph, recommend, find_*).",
    ),
  section: z
    .string()
    .optional()
    .describe(
      "read_paper: section number or title (e.g. '4', '4.2', 'Experiments'); omit for the table of contents.",
    ),
  direction: z
    .enum(["citations", "references", "both"])
    .optional()
    .describe("citation_graph: which edges (default both)."),
  date: z.string().optional().describe("trending: day of the daily papers feed, YYYY-MM-DD (default today)."),
  date_from: z
    .string()
    .optional()
    .describe("search/snippet_search: earliest publication date (YYYY-MM-DD or YYYY)."),
  date_to: z.string().optional().describe("search/snippet_search: latest publication date."),
  categories: z.string().optional().describe("search: field of study, e.g. 'Computer Science'."),
  min_citations: z.number().int().min(0).optional().describe("search: minimum citation count."),
  sort_by: z.enum(["relevance", "citationCount", "publicationDate"]).optional().describe("search: ordering."),
  positive_ids: z
    .string()
    .optional()
    .describe("recommend: comma-separated arXiv ids to find similar papers to."),
  negative_ids: z.string().optional().describe("recommend: comma-separated arXiv ids to steer away from."),
  sort: z
    .enum(["downloads", "likes", "trending"])
    .optional()
    .describe("find_datasets/find_models: ordering (default downloads)."),
  limit: z.number().int().min(1).max(50).optional().describe("Maximum results (default 10, max 50)."),
});

// An `id` makes the output schema define these once under `$defs` (they appear five and two times).
const paper = z
  .object({
    id: z.string().optional().describe("arXiv id."),
    title: z.string(),
    summary: z.string().optional().describe("AI summary or abstract (Hub), TL;DR (Semantic Scholar)."),
    url: z.string().optional(),
    upvotes: z.number().optional(),
    published: z.string().optional(),
    authors: z.array(z.string()).optional(),
    keywords: z.array(z.string()).optional(),
    github: z.string().optional(),
    year: z.number().optional(),
    citations: z.number().optional(),
    venue: z.string().optional(),
    influential: z.boolean().optional(),
    contexts: z.array(z.string()).optional().describe("citation_graph: how the citing paper cites it."),
  })
  .meta({ id: "hf_paper" });

const linkedRepo = z
  .object({
    id: z.string(),
    url: z.string(),
    downloads: z.number(),
    likes: z.number(),
    extra: z.string().optional(),
  })
  .meta({ id: "hf_linked_repo" });

const collection = z.object({
  slug: z.string(),
  title: z.string(),
  owner: z.string(),
  upvotes: z.number(),
  items: z.number(),
  url: z.string(),
});

const output = z.object({
  operation: z.enum(OPERATIONS),
  source: z
    .string()
    .optional()
    .describe("Where the results came from: huggingface, semantic_scholar or a URL."),
  note: z.string().optional().describe("A partial failure or fallback."),
  papers: z.array(paper).optional().describe("trending, search, recommend."),
  paper: paper.optional().describe("paper_details (summary is the abstract)."),
  ai_summary: z.string().optional(),
  id: z.string().optional(),
  title: z.string().optional(),
  url: z.string().optional(),
  abstract: z.string().optional().describe("read_paper without section."),
  sections: z
    .array(z.object({ id: z.string(), title: z.string(), preview: z.string().optional() }))
    .optional()
    .describe("read_paper: table of contents."),
  section: z.object({ id: z.string(), title: z.string(), text: z.string() }).optional(),
  references: z.array(paper).optional(),
  citations: z.array(paper).optional(),
  passages: z
    .array(z.object({ paper, section: z.string().optional(), text: z.string() }))
    .optional()
    .describe("snippet_search."),
  datasets: z.array(linkedRepo).optional(),
  models: z.array(linkedRepo).optional(),
  collections: z.array(collection).optional(),
});

export function createHfPapersTool(deps: HfToolDeps) {
  return defineTool({
    name: "hf_papers",
    description,
    toolset: "hf-papers",
    input,
    output,
    annotations: {
      title: "Research papers",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    async execute(args, ctx) {
      const call = createHfCall(deps, ctx);
      try {
        return await runPapersOperation(call, args);
      } catch (error) {
        return hfErrorResult(error, call, {
          action: `run hf_papers ${args.operation}${args.arxiv_id ? ` for ${args.arxiv_id}` : ""}`,
        });
      }
    },
  });
}
