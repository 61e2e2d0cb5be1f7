import { defineTool } from "@ml-intern/core";
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
    .describe(
      "search/snippet_search: earliest publication date (YYYY-MM-DD or YYYY); uses Semantic Scholar.",
    ),
  date_to: z
    .string()
    .optional()
    .describe("search/snippet_search: latest publication date; uses Semantic Scholar."),
  categories: z
    .string()
    .optional()
    .describe("search: field of study, e.g. 'Computer Science'; uses Semantic Scholar."),
  min_citations: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("search: minimum citation count; uses Semantic Scholar."),
  sort_by: z
    .enum(["relevance", "citationCount", "publicationDate"])
    .optional()
    .describe("search: ordering (non-relevance uses Semantic Scholar)."),
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

export function createHfPapersTool(deps: HfToolDeps) {
  return defineTool({
    name: "hf_papers",
    description,
    toolset: "hf-papers",
    input,
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
