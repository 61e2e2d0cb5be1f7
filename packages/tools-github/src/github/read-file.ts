import { type AnyToolDefinition, defineTool, errorResult, type ToolResult } from "@ml-intern/tool";
import { z } from "zod";
import { type CallClient, clientForCall, type GithubToolDeps, splitRepo } from "./deps.ts";
import { describeGithubError } from "./describe-error.ts";
import { selectLines } from "./line-window.ts";
import { fenceFor, notebookToMarkdown } from "./notebook-to-markdown.ts";
import description from "./read-file.txt" with { type: "text" };

export const DEFAULT_READ_LINES = 300;
/** Below the registry's 25,000-character budget, so the tool's own pagination hint survives. */
export const READ_FILE_MAX_CHARS = 20_000;

const input = z.object({
  repo: z.string().min(3).describe('Repository as "owner/repo", e.g. "huggingface/trl".'),
  path: z.string().min(1).describe('File path inside the repository, e.g. "examples/scripts/grpo.py".'),
  ref: z
    .string()
    .min(1)
    .optional()
    .describe("Branch, tag or commit SHA. Defaults to the repository's default branch."),
  line_start: z.number().int().min(1).optional().describe("First line to show (1-based, inclusive)."),
  line_end: z.number().int().min(1).optional().describe("Last line to show (1-based, inclusive)."),
});

const output = z.object({
  repo: z.string().describe('The repository, "owner/repo".'),
  path: z.string().describe("The path read, without a leading slash."),
  ref: z.string().nullable().describe("The ref asked for; null for the default branch."),
  type: z
    .enum(["file", "dir"])
    .describe("A file (content holds its lines) or a directory (entries lists it)."),
  content: z
    .string()
    .optional()
    .describe("The lines lineStart..lineEnd of the file (notebooks converted to markdown)."),
  lineStart: z.number().int().optional().describe("First line in content (1-based)."),
  lineEnd: z.number().int().optional().describe("Last line in content (1-based, inclusive)."),
  totalLines: z.number().int().optional().describe("Lines in the whole file."),
  nextLineStart: z
    .number()
    .int()
    .nullable()
    .optional()
    .describe("line_start for the next call when more lines follow, else null."),
  notebook: z.boolean().optional().describe("True when a .ipynb notebook was converted to markdown."),
  entries: z
    .array(
      z.object({
        path: z.string(),
        type: z.string().describe('"file", "dir", "symlink" or "submodule".'),
        size: z.number().nullable().describe("Bytes, for files."),
      }),
    )
    .optional()
    .describe("The directory's entries."),
});

const LANGUAGES: Record<string, string> = {
  py: "python",
  ts: "typescript",
  tsx: "tsx",
  js: "javascript",
  mjs: "javascript",
  json: "json",
  yaml: "yaml",
  yml: "yaml",
  toml: "toml",
  sh: "bash",
  md: "markdown",
  rs: "rust",
  go: "go",
  cfg: "ini",
  txt: "text",
};

function languageFor(path: string): string {
  const ext = path.split(".").pop()?.toLowerCase() ?? "";
  return LANGUAGES[ext] ?? "";
}

interface ContentEntry {
  type: string;
  path: string;
  size?: number;
  content?: string;
  encoding?: string;
  target?: string;
  submodule_git_url?: string;
}

function decodeBase64(content: string): string {
  return Buffer.from(content.replace(/\s+/g, ""), "base64").toString("utf8");
}

async function fetchRaw(
  client: CallClient,
  args: { owner: string; repo: string; path: string; ref?: string },
  signal: AbortSignal,
): Promise<string> {
  const response = await client.octokit.request("GET /repos/{owner}/{repo}/contents/{path}", {
    owner: args.owner,
    repo: args.repo,
    path: args.path,
    ...(args.ref ? { ref: args.ref } : {}),
    headers: { accept: "application/vnd.github.raw" },
    request: { signal },
  });
  const data: unknown = response.data;
  if (typeof data === "string") return data;
  if (data instanceof ArrayBuffer) return new TextDecoder().decode(data);
  return JSON.stringify(data);
}

export function createReadFileTool(deps: GithubToolDeps): AnyToolDefinition {
  return defineTool({
    name: "github_read_file",
    description,
    toolset: "github",
    input,
    output,
    annotations: {
      title: "Read a GitHub file",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    async execute(args, ctx): Promise<ToolResult> {
      const parts = splitRepo(args.repo);
      if (!parts)
        return errorResult(`Invalid repo "${args.repo}": use "owner/repo", e.g. "huggingface/trl".`);
      const path = args.path.replace(/^\/+/, "");
      const client = clientForCall(deps, ctx);
      const where = `${args.repo}/${path}${args.ref ? ` (ref: ${args.ref})` : ""}`;
      let data: unknown;
      try {
        const response = await client.octokit.rest.repos.getContent({
          owner: parts.owner,
          repo: parts.repo,
          path,
          ...(args.ref ? { ref: args.ref } : {}),
          request: { signal: ctx.signal },
        });
        data = response.data;
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        return errorResult(
          describeGithubError(error, {
            action: `read ${where}`,
            hasToken: client.hasToken,
            now: client.now,
            notFoundHint:
              "Check the repo, the path (case-sensitive) and the ref; github_find_examples lists existing files.",
          }),
        );
      }
      if (Array.isArray(data)) {
        const entries = (data as ContentEntry[])
          .map(
            (e) =>
              `- ${e.type === "dir" ? `${e.path}/` : e.path}${e.type === "file" ? ` (${e.size ?? 0} bytes)` : ""}`,
          )
          .join("\n");
        return {
          text: `**${where}** is a directory with ${data.length} entries. Call github_read_file with one of these paths:\n${entries}`,
          structured: {
            repo: args.repo,
            path,
            ref: args.ref ?? null,
            type: "dir",
            entries: (data as ContentEntry[]).map((e) => ({
              path: e.path,
              type: e.type,
              size: e.type === "file" ? (e.size ?? 0) : null,
            })),
          },
        };
      }
      const entry = data as ContentEntry;
      if (entry.type === "symlink") {
        return errorResult(
          `${where} is a symbolic link to "${entry.target ?? "?"}"; read that path instead.`,
        );
      }
      if (entry.type === "submodule") {
        return errorResult(
          `${where} is a git submodule (${entry.submodule_git_url ?? "unknown url"}); read it in its own repository.`,
        );
      }
      let content: string;
      try {
        content =
          entry.content && entry.encoding === "base64"
            ? decodeBase64(entry.content)
            : (entry.size ?? 0) > 0
              ? await fetchRaw(
                  client,
                  { owner: parts.owner, repo: parts.repo, path, ref: args.ref },
                  ctx.signal,
                )
              : "";
      } catch (error) {
        if (ctx.signal.aborted) throw error;
        return errorResult(
          describeGithubError(error, {
            action: `download ${where}`,
            hasToken: client.hasToken,
            now: client.now,
          }),
        );
      }
      if (content.slice(0, 8000).includes("\u0000")) {
        return errorResult(
          `${where} is a binary file (${entry.size ?? content.length} bytes) and cannot be shown as text.`,
        );
      }
      const isNotebook = path.toLowerCase().endsWith(".ipynb");
      const notebook = isNotebook ? notebookToMarkdown(content) : undefined;
      const body = notebook ?? content;
      const window = selectLines(body, {
        lineStart: args.line_start,
        lineEnd: args.line_end,
        defaultLines: DEFAULT_READ_LINES,
        maxChars: READ_FILE_MAX_CHARS,
      });
      if ("error" in window) return errorResult(`${window.error} (${where})`);
      const header = `**Reading ${args.repo}/${path}**${args.ref ? ` (ref: ${args.ref})` : ""}${notebook !== undefined ? " (notebook converted to markdown)" : ""}`;
      const range = `Lines ${window.start}-${window.end} of ${window.total}.`;
      const next =
        window.nextStart !== undefined
          ? `\n\nMore lines follow: call again with line_start=${window.nextStart}${args.ref ? ` and the same ref` : ""} to continue.`
          : "";
      const fence = notebook !== undefined ? "" : fenceFor(window.text);
      const shown =
        notebook !== undefined ? window.text : `${fence}${languageFor(path)}\n${window.text}\n${fence}`;
      return {
        text: `${header}\n${range}\n\n${shown}${next}`,
        structured: {
          repo: args.repo,
          path,
          ref: args.ref ?? null,
          type: "file",
          content: window.text,
          lineStart: window.start,
          lineEnd: window.end,
          totalLines: window.total,
          nextLineStart: window.nextStart ?? null,
          notebook: notebook !== undefined,
        },
      };
    },
  });
}
