import { deleteFiles, downloadFile, listFiles, uploadFile } from "@huggingface/hub";
import { defineTool, errorResult, textResult } from "@ml-intern/core";
import { z } from "zod";
import { formatBytes } from "../format.ts";
import { createHfCall, type HfCall, type HfToolDeps } from "../hf-call.ts";
import { hfErrorResult } from "../http/error-result.ts";
import { repoWebUrl } from "../http/hf-hosts.ts";
import { createPathMatcher, hasGlob } from "./glob.ts";
import description from "./hf-repo-files.txt" with { type: "text" };
import { parseRepoRef, type RepoRef, toDesignation } from "./repo-ref.ts";

const input = z.object({
  operation: z
    .enum(["list", "read", "upload", "delete"])
    .describe("list files, read one file, upload text content, or delete files."),
  repo_id: z
    .string()
    .min(3)
    .describe("Repository id, e.g. 'username/my-model' (prefix 'datasets/' or 'spaces/' also works)."),
  repo_type: z.enum(["model", "dataset", "space"]).optional().describe("Repository type (default model)."),
  revision: z.string().optional().describe("Branch, tag, commit or 'refs/pr/N' (default main)."),
  path: z.string().optional().describe("list: folder to list (default root); read/upload: the file path."),
  content: z.string().optional().describe("upload: the UTF-8 text content of the file."),
  patterns: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe("delete: paths or glob patterns ('*.bin', 'checkpoints/**') to delete."),
  create_pr: z
    .boolean()
    .optional()
    .describe("upload/delete: open a pull request instead of committing to the branch."),
  commit_message: z
    .string()
    .optional()
    .describe("upload/delete: commit title (defaults to 'Upload <path>' / 'Delete <patterns>')."),
  offset: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe("list: skip this many entries; read: start at this character (pagination)."),
  limit: z
    .number()
    .int()
    .min(1)
    .max(100000)
    .optional()
    .describe("list: entries to show (default 200); read: characters to return (default 30000)."),
});

type Args = z.infer<typeof input>;

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
  const more =
    offset + limit < entries.length
      ? `\n_${entries.length - offset - limit} more entries: call again with offset=${offset + limit}._`
      : "";
  const url = `${repoWebUrl(call.config, ref.type, ref.id)}/tree/${revision}${args.path ? `/${args.path}` : ""}`;
  return textResult(
    `**${ref.id}** (${files.length} files, ${formatBytes(total)}) ${url}\n${lines.join("\n")}${more}`,
    {
      entries: page,
      total: entries.length,
    },
  );
}

async function doRead(call: HfCall, ref: RepoRef, args: Args, revision: string) {
  if (!args.path)
    return errorResult("read needs `path`, e.g. 'config.json'. Use operation 'list' to see the files.");
  const blob = await downloadFile({
    ...call.hub,
    repo: toDesignation(ref),
    path: args.path,
    revision,
    xet: false,
  });
  if (!blob) {
    return errorResult(
      `File '${args.path}' does not exist in ${ref.id} at ${revision}. Use operation 'list' to see the files.`,
    );
  }
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let text: string;
  try {
    if (bytes.includes(0)) throw new Error("binary");
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return textResult(
      `**${args.path}**: binary file (${formatBytes(bytes.byteLength)}); it cannot be shown as text.`,
      {
        path: args.path,
        size: bytes.byteLength,
        binary: true,
      },
    );
  }
  const offset = args.offset ?? 0;
  const limit = args.limit ?? 30000;
  const chunk = text.slice(offset, offset + limit);
  const more =
    offset + limit < text.length
      ? `\n_Truncated: ${text.length - offset - limit} more characters; call again with offset=${offset + limit}._`
      : "";
  const fence = args.path.split(".").pop() ?? "";
  const url = `${repoWebUrl(call.config, ref.type, ref.id)}/blob/${revision}/${args.path}`;
  return textResult(
    `**${args.path}** ${url}\n\`\`\`${fence.length <= 8 ? fence : ""}\n${chunk}\n\`\`\`${more}`,
    {
      path: args.path,
      size: bytes.byteLength,
      offset,
      returnedChars: chunk.length,
      totalChars: text.length,
    },
  );
}

async function doUpload(call: HfCall, ref: RepoRef, args: Args, revision: string) {
  if (!args.path || args.content === undefined)
    return errorResult("upload needs `path` and `content` (UTF-8 text).");
  const out = await uploadFile({
    ...call.hub,
    accessToken: call.token ?? "",
    repo: toDesignation(ref),
    file: { path: args.path, content: new Blob([args.content]) },
    branch: revision,
    commitTitle: args.commit_message ?? `Upload ${args.path}`,
    ...(args.create_pr ? { isPullRequest: true } : {}),
    useXet: false,
    abortSignal: call.signal,
  });
  const url = out?.pullRequestUrl ?? out?.commit.url;
  return textResult(
    `Uploaded ${args.path} to ${ref.id}${args.create_pr ? " as a pull request" : ` (${revision})`}: ${url}`,
    { path: args.path, commit: out?.commit.oid, url, pullRequestUrl: out?.pullRequestUrl },
  );
}

async function doDelete(call: HfCall, ref: RepoRef, args: Args, revision: string) {
  const patterns =
    typeof args.patterns === "string" ? [args.patterns] : (args.patterns ?? (args.path ? [args.path] : []));
  if (patterns.length === 0) return errorResult("delete needs `patterns` (paths or globs such as '*.bin').");
  let paths = patterns.filter((p) => !hasGlob(p));
  const globs = patterns.filter(hasGlob);
  const dirs = paths.filter((p) => p.endsWith("/"));
  if (globs.length || dirs.length) {
    const files = (await listAll(call, ref, revision, undefined))
      .filter((e) => e.type === "file")
      .map((e) => e.path);
    const matches = createPathMatcher(globs);
    // A pattern that names an existing file exactly deletes that file even if it has glob characters ('a[1].bin').
    paths = [
      ...paths.filter((p) => !p.endsWith("/")),
      ...files.filter((f) => globs.includes(f) || matches(f) || dirs.some((d) => f.startsWith(d))),
    ];
  }
  paths = [...new Set(paths)];
  if (paths.length === 0)
    return errorResult(`No files in ${ref.id} match ${patterns.join(", ")}; nothing was deleted.`);
  const out = await deleteFiles({
    ...call.hub,
    accessToken: call.token ?? "",
    repo: toDesignation(ref),
    paths,
    branch: revision,
    commitTitle: args.commit_message ?? `Delete ${patterns.join(", ")}`,
    ...(args.create_pr ? { isPullRequest: true } : {}),
  });
  const url = out?.pullRequestUrl ?? out?.commit.url;
  return textResult(
    `Deleted ${paths.length} file(s) from ${ref.id}: ${paths.slice(0, 50).join(", ")}\n${url ?? ""}`,
    {
      deleted: paths,
      url,
    },
  );
}

export function createHfRepoFilesTool(deps: HfToolDeps) {
  return defineTool({
    name: "hf_repo_files",
    description,
    toolset: "hf-repos",
    input,
    annotations: {
      title: "Repo files",
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    },
    needsApproval(args) {
      if (args.operation === "upload") {
        return {
          kind: "destructive",
          reason: `Upload ${args.path ?? "a file"} to ${args.repo_id}${args.create_pr ? " (as a PR)" : ""}`,
        };
      }
      if (args.operation === "delete") {
        const what =
          typeof args.patterns === "string" ? args.patterns : (args.patterns ?? [args.path]).join(", ");
        return {
          kind: "destructive",
          reason: `Delete ${what} from ${args.repo_id}${args.create_pr ? " (as a PR)" : ""}`,
        };
      }
      return null;
    },
    async execute(args, ctx) {
      const call = createHfCall(deps, ctx);
      const ref = parseRepoRef(args.repo_id, args.repo_type ?? "model");
      const revision = args.revision ?? "main";
      if ((args.operation === "upload" || args.operation === "delete") && !call.token) {
        return errorResult(
          "Writing to the Hub needs a token with write access: set HF_TOKEN (https://huggingface.co/settings/tokens).",
        );
      }
      try {
        if (args.operation === "list") return await doList(call, ref, args, revision);
        if (args.operation === "read") return await doRead(call, ref, args, revision);
        if (args.operation === "upload") return await doUpload(call, ref, args, revision);
        return await doDelete(call, ref, args, revision);
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
