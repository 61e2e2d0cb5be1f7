import { listDatasets, listModels, listSpaces } from "@huggingface/hub";
import { defineTool, textResult } from "@ml-intern/tool";
import { z } from "zod";
import { formatCount, truncateText } from "../format.ts";
import { createHfCall, type HfCall, type HfToolDeps } from "../hf-call.ts";
import { hfErrorResult } from "../http/error-result.ts";
import { type RepoKind, repoWebUrl } from "../http/hf-hosts.ts";
import description from "./hub-repo-search.txt" with { type: "text" };

const SORTS = ["trendingScore", "downloads", "likes", "createdAt", "lastModified"] as const;

const input = z.object({
  query: z.string().max(200).optional().describe("Text matched against repo ids (e.g. 'llama', 'gsm8k')."),
  repo_types: z
    .array(z.enum(["model", "dataset", "space"]))
    .min(1)
    .optional()
    .describe("Which repo types to search (default: model and dataset)."),
  author: z.string().optional().describe("Only repos owned by this user or organization."),
  filters: z
    .array(z.string())
    .optional()
    .describe("Tags every result must carry (examples in the description)."),
  task: z
    .string()
    .optional()
    .describe("Models only: pipeline tag such as 'text-generation' or 'image-classification'."),
  sort: z.enum(SORTS).optional().describe("Sort order, descending (default trendingScore)."),
  limit: z.number().int().min(1).max(100).optional().describe("Results per repo type (default 20)."),
  offset: z
    .number()
    .int()
    .min(0)
    .max(1000)
    .optional()
    .describe("Skip this many results per type (pagination, default 0)."),
});

const hitSchema = z.object({
  id: z.string(),
  type: z.enum(["model", "dataset", "space"]),
  url: z.string(),
  downloads: z.number().optional(),
  likes: z.number().optional(),
  task: z.string().optional(),
  updatedAt: z.string().optional(),
  private: z.boolean().optional(),
  gated: z.union([z.string(), z.literal(false)]).optional(),
  extra: z.string().optional().describe("Library, description excerpt or Space SDK."),
});

const sectionSchema = z.object({
  results: z.array(hitSchema),
  next_offset: z.number().optional().describe("Pass as offset for more results."),
  error: z.string().optional(),
});

const output = z.object({
  models: sectionSchema.optional(),
  datasets: sectionSchema.optional(),
  spaces: sectionSchema.optional(),
});

export interface SearchHit {
  id: string;
  type: RepoKind;
  downloads?: number;
  likes?: number;
  task?: string;
  updatedAt?: string;
  private?: boolean;
  gated?: string | false;
  extra?: string;
}

async function collect<T>(
  iter: AsyncGenerator<T>,
  offset: number,
  limit: number,
): Promise<{ items: T[]; more: boolean }> {
  const items: T[] = [];
  let index = 0;
  for await (const item of iter) {
    if (index >= offset + limit) return { items, more: true };
    if (index >= offset) items.push(item);
    index += 1;
  }
  return { items, more: false };
}

async function searchType(
  call: HfCall,
  type: RepoKind,
  args: z.infer<typeof input>,
  offset: number,
  limit: number,
): Promise<{ items: SearchHit[]; more: boolean }> {
  const search = {
    ...(args.query ? { query: args.query } : {}),
    ...(args.author ? { owner: args.author } : {}),
    ...(args.filters?.length ? { tags: args.filters } : {}),
  };
  const sort = args.sort ?? "trendingScore";
  const fetchCount = offset + limit + 1;
  if (type === "model") {
    const iter = listModels({
      ...call.hub,
      search: { ...search, ...(args.task ? { task: args.task as never } : {}) },
      sort,
      limit: fetchCount,
      additionalFields: ["library_name"],
    });
    const { items, more } = await collect(iter, offset, limit);
    return {
      more,
      items: items.map((m) => ({
        id: m.name,
        type,
        downloads: m.downloads,
        likes: m.likes,
        ...(m.task ? { task: m.task } : {}),
        updatedAt: m.updatedAt.toISOString().slice(0, 10),
        private: m.private,
        gated: m.gated,
        ...(m.library_name ? { extra: m.library_name } : {}),
      })),
    };
  }
  if (type === "dataset") {
    const iter = listDatasets({
      ...call.hub,
      search,
      sort,
      limit: fetchCount,
      additionalFields: ["description"],
    });
    const { items, more } = await collect(iter, offset, limit);
    return {
      more,
      items: items.map((d) => ({
        id: d.name,
        type,
        downloads: d.downloads,
        likes: d.likes,
        updatedAt: d.updatedAt.toISOString().slice(0, 10),
        private: d.private,
        gated: d.gated,
        ...(d.description ? { extra: truncateText(d.description, 120) } : {}),
      })),
    };
  }
  const iter = listSpaces({ ...call.hub, search, sort: sort as never });
  const { items, more } = await collect(iter, offset, limit);
  return {
    more,
    items: items.map((s) => ({
      id: s.name,
      type,
      likes: s.likes,
      updatedAt: s.updatedAt.toISOString().slice(0, 10),
      private: s.private,
      ...(s.sdk ? { extra: `sdk: ${s.sdk}` } : {}),
    })),
  };
}

function renderHit(call: HfCall, h: SearchHit): string {
  const stats = [
    h.task,
    h.downloads !== undefined ? `${formatCount(h.downloads)} downloads` : undefined,
    h.likes !== undefined ? `${formatCount(h.likes)} likes` : undefined,
    h.updatedAt ? `updated ${h.updatedAt}` : undefined,
    h.private ? "private" : undefined,
    h.gated ? `gated (${h.gated})` : undefined,
  ].filter(Boolean);
  return `- **${h.id}** — ${stats.join(" · ")}${h.extra ? `\n  ${h.extra}` : ""}\n  ${repoWebUrl(call.config, h.type, h.id)}`;
}

export function createHubRepoSearchTool(deps: HfToolDeps) {
  return defineTool({
    name: "hub_repo_search",
    description,
    toolset: "hf-repos",
    input,
    output,
    annotations: {
      title: "Search the Hub",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    async execute(args, ctx) {
      const call = createHfCall(deps, ctx);
      const types = args.repo_types ?? ["model", "dataset"];
      const limit = args.limit ?? 20;
      const offset = args.offset ?? 0;
      const sections: string[] = [];
      const structured: z.infer<typeof output> = {};
      for (const type of types) {
        try {
          const { items, more } = await searchType(call, type, args, offset, limit);
          structured[`${type}s`] = {
            results: items.map((h) => ({ ...h, url: repoWebUrl(call.config, h.type, h.id) })),
            ...(more ? { next_offset: offset + limit } : {}),
          };
          const header = `## ${type[0]!.toUpperCase()}${type.slice(1)}s (${items.length}${more ? "+" : ""}, offset ${offset})`;
          const body = items.length ? items.map((h) => renderHit(call, h)).join("\n") : "No results.";
          const hint = more ? `\n_More results: call again with offset=${offset + limit}._` : "";
          sections.push(`${header}\n${body}${hint}`);
        } catch (error) {
          const failure = hfErrorResult(error, call, { action: `search ${type}s` });
          if (types.length === 1) return failure;
          sections.push(`## ${type}s\nError: ${failure.text}`);
          structured[`${type}s`] = { results: [], error: failure.text };
        }
      }
      return textResult(sections.join("\n\n"), structured);
    },
  });
}
