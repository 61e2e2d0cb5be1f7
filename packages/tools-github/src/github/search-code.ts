import { type AnyToolDefinition, defineTool, errorResult, type ToolResult } from "@ml-intern/tool";
import { z } from "zod";
import { clientForCall, type GithubToolDeps } from "./deps.ts";
import { describeGithubError } from "./describe-error.ts";
import description from "./search-code.txt" with { type: "text" };

const input = z.object({
  query: z
    .string()
    .min(2)
    .describe('Code to look for, in GitHub code-search syntax, e.g. "GRPOTrainer reward_funcs".'),
  repo: z.string().optional().describe('Restrict to one repository, "owner/repo".'),
  org: z.string().optional().describe('Restrict to a user or organisation, e.g. "huggingface".'),
  language: z.string().optional().describe('Restrict to a language, e.g. "python".'),
  path: z.string().optional().describe('Restrict to files under this path, e.g. "examples/".'),
  limit: z.number().int().min(1).max(50).default(10).describe("Most results to return (1-50)."),
});

const output = z.object({
  query: z.string().describe("The GitHub code-search query that was run, qualifiers included."),
  total: z.number().int().describe("Results GitHub reports in all (results lists at most limit)."),
  incomplete: z.boolean().describe("True when GitHub's search timed out and results may be missing."),
  results: z.array(
    z.object({
      repo: z.string().describe('"owner/repo": pass it with path to github_read_file.'),
      path: z.string(),
      url: z.string().describe("The file on github.com."),
      fragments: z.array(z.string()).describe("Matching code fragments (at most 2, 400 characters each)."),
    }),
  ),
});

interface TextMatch {
  fragment?: string;
}

interface CodeItem {
  name: string;
  path: string;
  html_url: string;
  repository: { full_name: string };
  text_matches?: TextMatch[];
}

const MAX_FRAGMENT_CHARS = 400;

export function buildCodeQuery(
  args: Pick<z.infer<typeof input>, "query" | "repo" | "org" | "language" | "path">,
): string {
  const parts = [args.query.trim()];
  if (args.repo) parts.push(`repo:${args.repo}`);
  if (args.org) parts.push(`org:${args.org}`);
  if (args.language) parts.push(`language:${args.language}`);
  if (args.path) parts.push(`path:${args.path}`);
  return parts.join(" ");
}

export function createSearchCodeTool(deps: GithubToolDeps): AnyToolDefinition {
  return defineTool({
    name: "github_search_code",
    description,
    toolset: "github",
    input,
    output,
    annotations: {
      title: "Search code on GitHub",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    async execute(args, ctx): Promise<ToolResult> {
      const client = clientForCall(deps, ctx);
      const q = buildCodeQuery(args);
      let total: number;
      let incomplete: boolean;
      let items: CodeItem[];
      try {
        const response = await client.octokit.request("GET /search/code", {
          q,
          per_page: args.limit,
          headers: { accept: "application/vnd.github.text-match+json" },
          request: { signal: ctx.signal },
        });
        total = response.data.total_count;
        incomplete = response.data.incomplete_results;
        items = response.data.items as CodeItem[];
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        return errorResult(
          describeGithubError(error, {
            action: `search code for "${q}"`,
            hasToken: client.hasToken,
            now: client.now,
          }),
        );
      }
      if (items.length === 0) {
        return {
          text: `No code matched "${q}". Try fewer or different words, or drop a qualifier.`,
          structured: { query: q, total: 0, incomplete, results: [] },
        };
      }
      const shown = items.slice(0, args.limit).map((item) => ({
        item,
        fragments: (item.text_matches ?? [])
          .map((m) => (m.fragment ?? "").trim())
          .filter(Boolean)
          .slice(0, 2)
          .map((f) => (f.length > MAX_FRAGMENT_CHARS ? `${f.slice(0, MAX_FRAGMENT_CHARS)}…` : f)),
      }));
      const blocks = shown.map(({ item, fragments }, i) => {
        const code = fragments.map((f) => `   \`\`\`\n${f.replace(/```/g, "ʼʼʼ")}\n   \`\`\``).join("\n");
        return `${i + 1}. ${item.repository.full_name}: ${item.path}\n   ${item.html_url}\n   read: {"repo": "${item.repository.full_name}", "path": "${item.path}"}${code ? `\n${code}` : ""}`;
      });
      const header = `${total} code results for "${q}" (showing ${shown.length})${incomplete ? "; GitHub's results are incomplete (search timed out)" : ""}:`;
      return {
        text: `${header}\n\n${blocks.join("\n")}`,
        structured: {
          query: q,
          total,
          incomplete,
          results: shown.map(({ item, fragments }) => ({
            repo: item.repository.full_name,
            path: item.path,
            url: item.html_url,
            fragments,
          })),
        },
      };
    },
  });
}
