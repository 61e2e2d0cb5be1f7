import { deleteFiles, uploadFile } from "@huggingface/hub";
import { defineTool, errorResult, textResult } from "@ml-intern/tool";
import { z } from "zod";
import { createHfCall, type HfCall, type HfToolDeps } from "../hf-call.ts";
import { hfErrorResult } from "../http/error-result.ts";
import { createPathMatcher, hasGlob } from "./glob.ts";
import { listRepoFiles } from "./hf-repo-files.ts";
import description from "./hf-repo-files-write.txt" with { type: "text" };
import { parseRepoRef, type RepoRef, toDesignation } from "./repo-ref.ts";

const input = z.object({
  operation: z.enum(["upload", "delete"]).describe("upload text content, or delete files."),
  repo_id: z
    .string()
    .min(3)
    .describe("Repository id, e.g. 'username/my-model' (prefix 'datasets/' or 'spaces/' also works)."),
  repo_type: z.enum(["model", "dataset", "space"]).optional().describe("Repository type (default model)."),
  revision: z.string().optional().describe("Branch or 'refs/pr/N' to commit to (default main)."),
  path: z.string().optional().describe("upload: the file path; delete: one path (or use patterns)."),
  content: z.string().optional().describe("upload: the UTF-8 text content of the file."),
  patterns: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .describe("delete: paths or glob patterns ('*.bin', 'checkpoints/**') to delete."),
  create_pr: z.boolean().optional().describe("Open a pull request instead of committing to the branch."),
  commit_message: z
    .string()
    .optional()
    .describe("Commit title (defaults to 'Upload <path>' / 'Delete <patterns>')."),
});

type Args = z.infer<typeof input>;

const output = z.object({
  operation: z.enum(["upload", "delete"]),
  repo_id: z.string(),
  revision: z.string(),
  path: z.string().optional().describe("upload: the file written."),
  deleted: z.array(z.string()).optional().describe("delete: every path removed."),
  commit: z.string().optional().describe("Commit id."),
  url: z.string().optional().describe("The commit or pull request page."),
  pull_request_url: z.string().optional(),
});

type Output = z.infer<typeof output>;

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
  const structured: Output = {
    operation: "upload",
    repo_id: ref.id,
    revision,
    path: args.path,
    ...(out?.commit.oid ? { commit: out.commit.oid } : {}),
    ...(url ? { url } : {}),
    ...(out?.pullRequestUrl ? { pull_request_url: out.pullRequestUrl } : {}),
  };
  return textResult(
    `Uploaded ${args.path} to ${ref.id}${args.create_pr ? " as a pull request" : ` (${revision})`}: ${url}`,
    structured,
  );
}

export function patternsOf(args: Pick<Args, "patterns" | "path">): string[] {
  return typeof args.patterns === "string"
    ? [args.patterns]
    : (args.patterns ?? (args.path ? [args.path] : []));
}

async function doDelete(call: HfCall, ref: RepoRef, args: Args, revision: string) {
  const patterns = patternsOf(args);
  if (patterns.length === 0) return errorResult("delete needs `patterns` (paths or globs such as '*.bin').");
  let paths = patterns.filter((p) => !hasGlob(p));
  const globs = patterns.filter(hasGlob);
  const dirs = paths.filter((p) => p.endsWith("/"));
  if (globs.length || dirs.length) {
    const files = (await listRepoFiles(call, ref, revision, undefined))
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
  const structured: Output = {
    operation: "delete",
    repo_id: ref.id,
    revision,
    deleted: paths,
    ...(out?.commit.oid ? { commit: out.commit.oid } : {}),
    ...(url ? { url } : {}),
    ...(out?.pullRequestUrl ? { pull_request_url: out.pullRequestUrl } : {}),
  };
  const shown = paths.slice(0, 50).join(", ");
  const rest = paths.length > 50 ? ` and ${paths.length - 50} more` : "";
  return textResult(
    `Deleted ${paths.length} file(s) from ${ref.id}: ${shown}${rest}\n${url ?? ""}`,
    structured,
  );
}

/** Upload and delete: every call changes the repo (an upload may overwrite), so the tool is destructive as a whole. */
export function createHfRepoFilesWriteTool(deps: HfToolDeps) {
  return defineTool({
    name: "hf_repo_files_write",
    description,
    toolset: "hf-repos",
    input,
    output,
    annotations: {
      title: "Repo files (upload/delete)",
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    },
    needsApproval(args) {
      const pr = args.create_pr ? " (as a PR)" : "";
      if (args.operation === "upload")
        return { kind: "destructive", reason: `Upload ${args.path ?? "a file"} to ${args.repo_id}${pr}` };
      return {
        kind: "destructive",
        reason: `Delete ${patternsOf(args).join(", ") || "files"} from ${args.repo_id}${pr}`,
      };
    },
    async execute(args, ctx) {
      const call = createHfCall(deps, ctx);
      const ref = parseRepoRef(args.repo_id, args.repo_type ?? "model");
      const revision = args.revision ?? "main";
      if (!call.token) {
        return errorResult(
          "Writing to the Hub needs a token with write access: set HF_TOKEN (https://huggingface.co/settings/tokens).",
        );
      }
      try {
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
