import { type AnyToolDefinition, defineTool, errorResult, type ToolResult } from "@ml-intern/tool";
import { z } from "zod";
import { type CallClient, clientForCall, type GithubToolDeps } from "./deps.ts";
import { describeGithubError } from "./describe-error.ts";
import { isGithubHttpError } from "./http-error.ts";
import description from "./list-repos.txt" with { type: "text" };

export const MAX_LIST_REPOS = 200;

const input = z.object({
  owner: z.string().min(1).describe('User or organisation login, e.g. "huggingface".'),
  owner_type: z
    .enum(["org", "user"])
    .optional()
    .describe("Whether the owner is an organisation or a user. Omit to try organisation, then user."),
  sort: z
    .enum(["stars", "forks", "updated", "created", "name"])
    .default("stars")
    .describe("Sort key: stars, forks, updated (last push), created, or name."),
  order: z.enum(["asc", "desc"]).default("desc").describe("Sort direction."),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_LIST_REPOS)
    .default(30)
    .describe("Most repositories to return (1-200)."),
});

type Input = z.infer<typeof input>;

interface RepoItem {
  full_name: string;
  description?: string | null;
  stargazers_count?: number;
  forks_count?: number;
  language?: string | null;
  topics?: string[];
  html_url: string;
  updated_at?: string | null;
  archived?: boolean;
}

async function collect<T>(iterator: AsyncIterable<{ data: T[] }>, limit: number): Promise<T[]> {
  const out: T[] = [];
  for await (const page of iterator) {
    out.push(...page.data);
    if (out.length >= limit) break;
  }
  return out.slice(0, limit);
}

async function listBySearch(client: CallClient, args: Input, signal: AbortSignal): Promise<RepoItem[]> {
  const iterator = client.octokit.paginate.iterator(client.octokit.rest.search.repos, {
    q: `user:${args.owner}`,
    sort: args.sort === "forks" ? "forks" : "stars",
    order: args.order,
    per_page: Math.min(args.limit, 100),
    request: { signal },
  });
  return collect<RepoItem>(iterator, args.limit);
}

async function listByOwner(
  client: CallClient,
  args: Input,
  ownerType: "org" | "user",
  signal: AbortSignal,
): Promise<RepoItem[]> {
  const sort = args.sort === "name" ? "full_name" : args.sort === "updated" ? "pushed" : "created";
  const common = {
    sort,
    direction: args.order,
    per_page: Math.min(args.limit, 100),
    request: { signal },
  } as const;
  const iterator =
    ownerType === "org"
      ? client.octokit.paginate.iterator(client.octokit.rest.repos.listForOrg, { org: args.owner, ...common })
      : client.octokit.paginate.iterator(client.octokit.rest.repos.listForUser, {
          username: args.owner,
          ...common,
        });
  return collect<RepoItem>(iterator, args.limit);
}

const output = z.object({
  owner: z.string().describe("The user or organisation listed."),
  repos: z
    .array(
      z.object({
        fullName: z.string().describe('"owner/repo": pass it as repo to the other github tools.'),
        description: z.string().nullable(),
        stars: z.number().int(),
        forks: z.number().int(),
        language: z.string().nullable(),
        topics: z.array(z.string()),
        archived: z.boolean(),
        url: z.string().describe("The repository on github.com."),
      }),
    )
    .describe("The repositories, in the requested order."),
});

function formatRepo(r: RepoItem, i: number): string {
  const facts = [`⭐ ${r.stargazers_count ?? 0}`, `🍴 ${r.forks_count ?? 0}`];
  if (r.language) facts.push(r.language);
  if (r.archived) facts.push("archived");
  const topics = r.topics?.length ? `\n   topics: ${r.topics.slice(0, 5).join(", ")}` : "";
  const desc = r.description ? `\n   ${r.description.slice(0, 100)}` : "";
  return `${i + 1}. ${r.full_name} (${facts.join(", ")})${desc}${topics}\n   ${r.html_url}`;
}

export function createListReposTool(deps: GithubToolDeps): AnyToolDefinition {
  return defineTool({
    name: "github_list_repos",
    description,
    toolset: "github",
    input,
    output,
    annotations: {
      title: "List an owner's GitHub repositories",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    async execute(args, ctx): Promise<ToolResult> {
      const client = clientForCall(deps, ctx);
      let repos: RepoItem[];
      try {
        if (args.sort === "stars" || args.sort === "forks") {
          repos = await listBySearch(client, args, ctx.signal);
        } else if (args.owner_type) {
          repos = await listByOwner(client, args, args.owner_type, ctx.signal);
        } else {
          try {
            repos = await listByOwner(client, args, "org", ctx.signal);
          } catch (error) {
            if (!isGithubHttpError(error) || error.status !== 404) throw error;
            repos = await listByOwner(client, args, "user", ctx.signal);
          }
        }
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        return errorResult(
          describeGithubError(error, {
            action: `list the repositories of ${args.owner}`,
            hasToken: client.hasToken,
            now: client.now,
            notFoundHint: "Check the owner login (and owner_type).",
          }),
        );
      }
      if (repos.length === 0) {
        return {
          text: `${args.owner} has no public repositories visible to this token.`,
          structured: { owner: args.owner, repos: [] },
        };
      }
      const text = `${repos.length} repositories of ${args.owner} by ${args.sort} (${args.order}):\n\n${repos.map(formatRepo).join("\n")}\n\nPass a full name as \`repo\` to github_find_examples, github_read_file or github_search_code.`;
      return {
        text,
        structured: {
          owner: args.owner,
          repos: repos.map((r) => ({
            fullName: r.full_name,
            description: r.description ?? null,
            stars: r.stargazers_count ?? 0,
            forks: r.forks_count ?? 0,
            language: r.language ?? null,
            topics: r.topics ?? [],
            archived: r.archived ?? false,
            url: r.html_url,
          })),
        },
      };
    },
  });
}
