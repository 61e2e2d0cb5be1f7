import { type AnyToolDefinition, defineTool, errorResult, type ToolResult } from "@ml-intern/tool";
import { z } from "zod";
import { type CallClient, clientForCall, type GithubToolDeps, splitRepo } from "./deps.ts";
import { describeGithubError } from "./describe-error.ts";
import { rankExampleFiles, type TreeFile } from "./example-ranking.ts";
import description from "./find-examples.txt" with { type: "text" };
import { isGithubHttpError } from "./http-error.ts";

const input = z.object({
  repo: z
    .string()
    .min(1)
    .describe('Repository as "owner/repo" (e.g. "huggingface/trl") or a bare name resolved under `org`.'),
  keyword: z
    .string()
    .optional()
    .describe('What the example should be about, matched fuzzily against file names and paths, e.g. "grpo".'),
  org: z.string().min(1).default("huggingface").describe("Owner used when `repo` has no owner part."),
  ref: z.string().min(1).optional().describe("Branch or tag to search. Defaults to the default branch."),
  max_results: z.number().int().min(1).max(200).default(30).describe("Most files to list (1-200)."),
  min_score: z
    .number()
    .min(0)
    .max(100)
    .default(60)
    .describe("Minimum fuzzy match score, 0-100 (100 = exact). Lower it to see looser matches."),
});

const output = z.object({
  repo: z.string().describe('The repository searched, "owner/repo".'),
  ref: z.string().describe("The branch or tag searched."),
  total: z.number().int().describe("Example files that matched (files lists at most max_results)."),
  truncated: z.boolean().describe("True when GitHub cut the repository tree short, so files may be missing."),
  files: z
    .array(
      z.object({
        path: z.string().describe("Pass it as path to github_read_file."),
        size: z.number().describe("Bytes."),
        sha: z.string(),
        score: z.number().describe("Fuzzy match score against the keyword (0-100)."),
        url: z.string().describe("The file on github.com."),
      }),
    )
    .describe("The best-ranked example files."),
});

interface RepoInfo {
  default_branch: string;
  html_url: string;
  full_name: string;
}

async function suggestRepos(
  client: CallClient,
  owner: string,
  name: string,
  signal: AbortSignal,
): Promise<string> {
  try {
    const response = await client.octokit.rest.search.repos({
      q: `${name} user:${owner}`,
      sort: "stars",
      order: "desc",
      per_page: 10,
      request: { signal },
    });
    const items = response.data.items;
    if (items.length === 0) return "";
    const lines = items.map(
      (r) =>
        `- ${r.full_name} (⭐ ${r.stargazers_count})${r.description ? `: ${r.description.slice(0, 100)}` : ""}`,
    );
    return `\nSimilar repositories under ${owner}:\n${lines.join("\n")}`;
  } catch {
    return "";
  }
}

export function createFindExamplesTool(deps: GithubToolDeps): AnyToolDefinition {
  return defineTool({
    name: "github_find_examples",
    description,
    toolset: "github",
    input,
    output,
    annotations: {
      title: "Find example code on GitHub",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    async execute(args, ctx): Promise<ToolResult> {
      const parts = args.repo.includes("/") ? splitRepo(args.repo) : splitRepo(`${args.org}/${args.repo}`);
      if (!parts)
        return errorResult(`Invalid repo "${args.repo}": use "owner/repo", e.g. "huggingface/trl".`);
      const full = `${parts.owner}/${parts.repo}`;
      const client = clientForCall(deps, ctx);
      const fail = (error: unknown, action: string) => {
        if (ctx.signal.aborted) throw error;
        return errorResult(
          describeGithubError(error, { action, hasToken: client.hasToken, now: client.now }),
        );
      };

      let info: RepoInfo;
      try {
        const response = await client.octokit.rest.repos.get({
          owner: parts.owner,
          repo: parts.repo,
          request: { signal: ctx.signal },
        });
        info = response.data;
      } catch (error) {
        if (isGithubHttpError(error) && error.status === 404 && !ctx.signal.aborted) {
          const suggestions = await suggestRepos(client, parts.owner, parts.repo, ctx.signal);
          const tokenHint = client.hasToken ? "" : " If it is private, set GITHUB_TOKEN.";
          return errorResult(`Repository ${full} not found.${tokenHint}${suggestions}`);
        }
        return fail(error, `look up ${full}`);
      }

      const ref = args.ref ?? info.default_branch;
      ctx.progress(1, 2, `listing files of ${full}@${ref}`);
      let files: TreeFile[];
      let truncated = false;
      try {
        const response = await client.octokit.rest.git.getTree({
          owner: parts.owner,
          repo: parts.repo,
          tree_sha: ref,
          recursive: "1",
          request: { signal: ctx.signal },
        });
        truncated = response.data.truncated;
        files = response.data.tree
          .filter((e) => e.type === "blob" && typeof e.path === "string")
          .map((e) => ({ path: e.path ?? "", size: e.size ?? 0, sha: e.sha ?? "" }));
      } catch (error) {
        return fail(error, `list the files of ${full} at ${ref}`);
      }
      ctx.progress(2, 2);

      const ranked = rankExampleFiles(files, args.keyword, args.min_score);
      const keywordText = args.keyword?.trim() ? ` matching '${args.keyword.trim()}'` : "";
      const truncNote = truncated
        ? "\nNote: the repository tree is too large and GitHub truncated it; some files may be missing."
        : "";
      if (ranked.length === 0) {
        const hint = args.keyword?.trim()
          ? ` Try a shorter keyword, lower min_score (now ${args.min_score}), or omit the keyword to see all examples.`
          : " This repository has no example-like directories; try github_search_code instead.";
        return {
          text: `No example files found in ${full}@${ref}${keywordText}.${hint}${truncNote}`,
          structured: { repo: full, ref, total: 0, truncated, files: [] },
        };
      }
      const shown = ranked.slice(0, args.max_results);
      const lines = shown.map((f, i) => {
        const score = args.keyword?.trim() ? `, score ${f.score}` : "";
        const url = `${info.html_url}/blob/${ref}/${f.path}`;
        return `${i + 1}. ${f.path} (${f.size} bytes${score}, sha ${f.sha.slice(0, 7)})\n   ${url}\n   read: {"repo": "${full}", "path": "${f.path}"${args.ref ? `, "ref": "${ref}"` : ""}}`;
      });
      const more = ranked.length > shown.length ? ` (showing ${shown.length} of ${ranked.length})` : "";
      return {
        text: `Found ${ranked.length} example files in ${full}@${ref}${keywordText}${more}:\n\n${lines.join("\n")}${truncNote}`,
        structured: {
          repo: full,
          ref,
          total: ranked.length,
          truncated,
          files: shown.map((f) => ({
            path: f.path,
            size: f.size,
            sha: f.sha,
            score: f.score,
            url: `${info.html_url}/blob/${ref}/${f.path}`,
          })),
        },
      };
    },
  });
}
