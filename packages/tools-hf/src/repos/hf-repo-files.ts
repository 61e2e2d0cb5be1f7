import { listFiles } from "@huggingface/hub";
import { defineTool, errorResult, textResult } from "@ml-intern/tool";
import { z } from "zod";
import { formatBytes } from "../format.ts";
import { createHfCall, type HfCall, type HfToolDeps } from "../hf-call.ts";
import { hfErrorResult } from "../http/error-result.ts";
import { repoWebUrl } from "../http/hf-hosts.ts";
import description from "./hf-repo-files.txt" with { type: "text" };
import { readFileRange } from "./read-range.ts";
import { parseRepoRef, type RepoRef, toDesignation } from "./repo-ref.ts";

const input = z.object({
  operation: z.enum(["list", "read"]).describe("list files, or read one file."),
  repo_id: z
    .string()
    .min(3)
    .describe("Repository id, e.g. 'username/my-model' (prefix 'datasets/' or 'spaces/' also works)."),
  repo_type: z.enum(["model", "dataset", "space"]).optional().describe("Repository type (default model)."),
  revision: z.string().optional().describe("Branch, tag, commit or 'refs/pr/N' (default main)."),
  path: z.string().optional().describe("list: folder to list (default root); read: the file path."),
  offset: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("list: skip this many entries; read: start at this byte (pagination)."),
  limit: z
    .number()
    .int()
    .min(1)
    .max(100000)
    .optional()
    .describe("list: entries to show (default 200); read: bytes to return (default 30000)."),
});

type Args = z.infer<typeof input>;

const entrySchema = z.object({
  path: z.string(),
  type: z.string().describe("file or directory"),
  size: z.number(),
});

const output = z.object({
  operation: z.enum(["list", "read"]),
  repo_id: z.string(),
  revision: z.string(),
  url: z.string().describe("Web page of the folder or file."),
  entries: z.array(entrySchema).optional().describe("list: this page of entries."),
  total_entries: z.number().optional().describe("list: entries under the path."),
  total_files: z.number().optional(),
  total_bytes: z.number().optional().describe("list: size of all files under the path."),
  path: z.string().optional(),
  size: z.number().optional().describe("read: file size in bytes."),
  binary: z.boolean().optional().describe("read: true when the file is not UTF-8 text (no content)."),
  offset: z.number().optional().describe("read: byte offset of `content`."),
  content: z.string().optional().describe("read: the text of the returned range."),
  next_offset: z.number().optional().describe("Pass as offset to continue; absent at the end."),
});

type Output = z.infer<typeof output>;

async function listAll(call: HfCall, ref: RepoRef, revision: string, path: string | undefined) {
  const entries: { path: string; type: string; size: number }[] = [];
  for await (const e of listFiles({
    ...call.hub,
    repo: toDesignation(ref),
    revision,
    recursive: true,
    ...(path ? { path } : {}),
  })) {
    entries.push({ path: e.path, type: e.type, size: e.size });
  }
  return entries.sort((a, b) => a.path.localeCompare(b.path));
}

export { listAll as listRepoFiles };

async function doList(call: HfCall, ref: RepoRef, args: Args, revision: string) {
  const entries = await listAll(call, ref, revision, args.path);
  const offset = args.offset ?? 0;
  const limit = args.limit ?? 200;
  const page = entries.slice(offset, offset + limit);
  const files = entries.filter((e) => e.type === "file");
  const total = files.reduce((n, e) => n + e.size, 0);
  const lines = page.map((e) =>
    e.type === "directory" ? `${e.path}/` : `${e.path} (${formatBytes(e.size)})`,
  );
  const hasMore = offset + limit < entries.length;
  const more = hasMore
    ? `\n_${entries.length - offset - limit} more entries: call again with offset=${offset + limit}._`
    : "";
  const url = `${repoWebUrl(call.config, ref.type, ref.id)}/tree/${revision}${args.path ? `/${args.path}` : ""}`;
  const structured: Output = {
    operation: "list",
    repo_id: ref.id,
    revision,
    url,
    entries: page,
    total_entries: entries.length,
    total_files: files.length,
    total_bytes: total,
    ...(hasMore ? { next_offset: offset + limit } : {}),
  };
  return textResult(
    `**${ref.id}** (${files.length} files, ${formatBytes(total)}) ${url}\n${lines.join("\n")}${more}`,
    structured,
  );
}

async function doRead(call: HfCall, ref: RepoRef, args: Args, revision: string) {
  if (!args.path)
    return errorResult("read needs `path`, e.g. 'config.json'. Use operation 'list' to see the files.");
  const offset = args.offset ?? 0;
  const limit = args.limit ?? 30000;
  const range = await readFileRange(call, ref, { path: args.path, revision, offset, limit });
  const url = `${repoWebUrl(call.config, ref.type, ref.id)}/blob/${revision}/${args.path}`;
  const base = { operation: "read" as const, repo_id: ref.id, revision, url, path: args.path };
  if (range.kind === "missing") {
    return errorResult(
      `File '${args.path}' does not exist in ${ref.id} at ${revision}. Use operation 'list' to see the files.`,
    );
  }
  if (range.kind === "past-end") {
    return errorResult(
      `offset ${offset} is past the end of ${args.path} (${range.size} bytes); use a smaller offset.`,
    );
  }
  if (range.kind === "binary") {
    return textResult(
      `**${args.path}**: binary file (${range.size === undefined ? "size unknown" : formatBytes(range.size)}); it cannot be shown as text. ${url}`,
      { ...base, binary: true, ...(range.size === undefined ? {} : { size: range.size }) },
    );
  }
  const more =
    range.nextOffset !== undefined
      ? `\n_Truncated: ${range.size === undefined ? "more" : formatBytes(range.size - range.nextOffset)} remaining of ${range.size === undefined ? "the file" : formatBytes(range.size)}; call again with offset=${range.nextOffset}._`
      : "";
  const fence = args.path.split(".").pop() ?? "";
  const structured: Output = {
    ...base,
    binary: false,
    offset: range.offset,
    content: range.text,
    ...(range.size === undefined ? {} : { size: range.size }),
    ...(range.nextOffset === undefined ? {} : { next_offset: range.nextOffset }),
  };
  return textResult(
    `**${args.path}** ${url}\n\`\`\`${fence.length <= 8 ? fence : ""}\n${range.text}\n\`\`\`${more}`,
    structured,
  );
}

/** Read-only: listing and reading never change the repo, so MCP clients can call it without asking. */
export function createHfRepoFilesTool(deps: HfToolDeps) {
  return defineTool({
    name: "hf_repo_files",
    description,
    toolset: "hf-repos",
    input,
    output,
    annotations: {
      title: "Repo files (read)",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    async execute(args, ctx) {
      const call = createHfCall(deps, ctx);
      const ref = parseRepoRef(args.repo_id, args.repo_type ?? "model");
      const revision = args.revision ?? "main";
      try {
        if (args.operation === "list") return await doList(call, ref, args, revision);
        return await doRead(call, ref, args, revision);
      } catch (error) {
        return hfErrorResult(error, call, {
          action: `${args.operation} files in ${ref.id}`,
          repoId: ref.id,
          repoType: ref.type,
        });
      }
    },
  });
}
