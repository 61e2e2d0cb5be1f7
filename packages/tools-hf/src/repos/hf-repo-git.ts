import { createBranch, createRepo, deleteBranch } from "@huggingface/hub";
import {
  type ApprovalRequirement,
  defineTool,
  errorResult,
  type ToolResult,
  textResult,
} from "@ml-intern/tool";
import { z } from "zod";
import { createHfCall, type HfCall, type HfToolDeps } from "../hf-call.ts";
import { hfErrorResult } from "../http/error-result.ts";
import { repoWebUrl } from "../http/hf-hosts.ts";
import readDescription from "./hf-repo-git.txt" with { type: "text" };
import destructiveDescription from "./hf-repo-git-destructive.txt" with { type: "text" };
import writeDescription from "./hf-repo-git-write.txt" with { type: "text" };
import { provenanceReadme } from "./provenance.ts";
import { parseRepoRef, type RepoRef } from "./repo-ref.ts";

/** Reads: never change the repo. */
const READ_OPS = ["list_refs", "list_prs", "get_pr"] as const;
/** Additive writes: create things, never remove or overwrite. */
const WRITE_OPS = [
  "create_branch",
  "create_tag",
  "create_pr",
  "comment_pr",
  "reopen_pr",
  "create_repo",
] as const;
/** May remove, overwrite or expose: deletes, merges, closing, visibility and gating. */
const DESTRUCTIVE_OPS = ["delete_branch", "delete_tag", "merge_pr", "close_pr", "update_repo"] as const;

type Operation = (typeof READ_OPS)[number] | (typeof WRITE_OPS)[number] | (typeof DESTRUCTIVE_OPS)[number];

const repoFields = {
  repo_id: z.string().min(3).describe("Repository id 'owner/name'."),
  repo_type: z.enum(["model", "dataset", "space"]).optional().describe("Repository type (default model)."),
};
const prNum = (ops: string) => z.number().int().min(1).optional().describe(`${ops}: the PR number.`);

const readInput = z.object({
  operation: z.enum(READ_OPS).describe("What to read."),
  ...repoFields,
  pr_num: prNum("get_pr"),
  status: z.enum(["open", "closed", "all"]).optional().describe("list_prs: filter by status (default all)."),
});

const writeInput = z.object({
  operation: z.enum(WRITE_OPS).describe("What to create."),
  ...repoFields,
  branch: z.string().optional().describe("create_branch: the branch name."),
  from_rev: z.string().optional().describe("create_branch: revision to branch from (default main)."),
  tag: z.string().optional().describe("create_tag: the tag name."),
  revision: z.string().optional().describe("create_tag: revision to tag (default main)."),
  tag_message: z.string().optional().describe("create_tag: optional annotation message."),
  title: z.string().optional().describe("create_pr: pull request title."),
  description: z.string().optional().describe("create_pr: pull request description."),
  pr_num: prNum("comment_pr/reopen_pr"),
  comment: z.string().optional().describe("comment_pr (required), reopen_pr (optional): comment text."),
  private: z.boolean().optional().describe("create_repo: private (default true)."),
  space_sdk: z
    .enum(["gradio", "streamlit", "docker", "static"])
    .optional()
    .describe("create_repo: SDK, required for Spaces."),
});

const destructiveInput = z.object({
  operation: z.enum(DESTRUCTIVE_OPS).describe("What to delete or change."),
  ...repoFields,
  branch: z.string().optional().describe("delete_branch: the branch name."),
  tag: z.string().optional().describe("delete_tag: the tag name."),
  pr_num: prNum("merge_pr/close_pr"),
  comment: z.string().optional().describe("merge_pr/close_pr: optional comment."),
  private: z.boolean().optional().describe("update_repo: make the repo private (true) or public (false)."),
  gated: z
    .enum(["auto", "manual", "false"])
    .optional()
    .describe("update_repo: access gating ('false' removes the gate)."),
});

type Args = { operation: Operation } & Partial<
  Omit<z.infer<typeof writeInput>, "operation"> &
    Omit<z.infer<typeof destructiveInput>, "operation"> &
    Omit<z.infer<typeof readInput>, "operation">
>;

const prSchema = z.object({
  num: z.number(),
  title: z.string(),
  status: z.string(),
  is_pull_request: z.boolean(),
  author: z.string().optional(),
  created_at: z.string().optional(),
  url: z.string(),
});

const readOutput = z.object({
  operation: z.enum(READ_OPS),
  repo_id: z.string(),
  branches: z.array(z.string()).optional().describe("list_refs"),
  tags: z.array(z.string()).optional().describe("list_refs"),
  discussions: z.array(prSchema).optional().describe("list_prs: up to 20, newest first."),
  count: z.number().optional().describe("list_prs: how many match."),
  pr: prSchema.optional().describe("get_pr"),
  comments: z
    .array(z.object({ author: z.string(), text: z.string() }))
    .optional()
    .describe("get_pr: the last comments."),
});

const changeOutput = z.object({
  operation: z.string(),
  repo_id: z.string(),
  summary: z.string().describe("What was done."),
  url: z.string().optional().describe("The page of what was created or changed."),
  pr_num: z.number().optional(),
  private: z.boolean().optional(),
  gated: z.union([z.string(), z.boolean()]).optional(),
});

interface DiscussionSummary {
  num: number;
  title: string;
  status: string;
  isPullRequest: boolean;
  author?: { name?: string };
  createdAt?: string;
}

interface DiscussionDetails extends DiscussionSummary {
  events?: {
    type: string;
    author?: { name?: string };
    data?: { latest?: { raw?: string }; status?: string };
  }[];
}

function need<K extends keyof Args>(args: Args, key: K, op: string): NonNullable<Args[K]> | ToolResult {
  const value = args[key];
  if (value === undefined || value === "") return errorResult(`${op} needs \`${String(key)}\`.`);
  return value as NonNullable<Args[K]>;
}

const isResult = (v: unknown): v is ToolResult => typeof v === "object" && v !== null && "text" in v;

function prJson(d: DiscussionSummary, web: string): z.infer<typeof prSchema> {
  return {
    num: d.num,
    title: d.title,
    status: d.status,
    is_pull_request: d.isPullRequest,
    ...(d.author?.name ? { author: d.author.name } : {}),
    ...(d.createdAt ? { created_at: d.createdAt } : {}),
    url: `${web}/discussions/${d.num}`,
  };
}

async function run(call: HfCall, args: Args, ref: RepoRef): Promise<ToolResult> {
  const web = repoWebUrl(call.config, ref.type, ref.id);
  const api = `${call.config.hubUrl}/api/${ref.type}s/${ref.id}`;
  const token = call.token ?? "";
  const repo = { type: ref.type, name: ref.id };
  const done = (
    summary: string,
    extra: Omit<z.infer<typeof changeOutput>, "operation" | "repo_id" | "summary">,
  ) => textResult(summary, { operation: args.operation, repo_id: ref.id, summary, ...extra });
  switch (args.operation) {
    case "list_refs": {
      const refs = await call.http.json<{ branches?: { name: string }[]; tags?: { name: string }[] }>(
        `${api}/refs`,
      );
      const branches = (refs.branches ?? []).map((b) => b.name);
      const tags = (refs.tags ?? []).map((t) => t.name);
      return textResult(
        `**${ref.id}**\n- Branches (${branches.length}): ${branches.join(", ") || "none"}\n- Tags (${tags.length}): ${tags.join(", ") || "none"}`,
        { operation: "list_refs", repo_id: ref.id, branches, tags },
      );
    }
    case "list_prs": {
      const status = args.status ?? "all";
      const page = await call.http.json<{ discussions: DiscussionSummary[]; count: number }>(
        `${api}/discussions`,
        { query: { p: 0, type: "all", status } },
      );
      const items = page.discussions.slice(0, 20);
      const lines = items.map(
        (d) =>
          `[${d.status.toUpperCase()}] #${d.num} [${d.isPullRequest ? "PR" : "D"}] ${d.title} (by ${d.author?.name ?? "?"}) ${web}/discussions/${d.num}`,
      );
      const more = page.count > items.length ? `\n_${page.count - items.length} more not shown._` : "";
      return textResult(
        `**${ref.id}** discussions and PRs (${page.count}, status ${status}):\n${lines.join("\n") || "none"}${more}`,
        {
          operation: "list_prs",
          repo_id: ref.id,
          discussions: items.map((d) => prJson(d, web)),
          count: page.count,
        },
      );
    }
    case "get_pr": {
      const num = need(args, "pr_num", "get_pr");
      if (isResult(num)) return num;
      const d = await call.http.json<DiscussionDetails>(`${api}/discussions/${num}`);
      const comments = (d.events ?? [])
        .filter((e) => e.type === "comment" && e.data?.latest?.raw)
        .slice(-5)
        .map((e) => ({ author: e.author?.name ?? "?", text: e.data?.latest?.raw?.slice(0, 300) ?? "" }));
      const hint =
        d.isPullRequest && (d.status === "open" || d.status === "draft")
          ? `\nPush to it with hf_repo_files_write and revision="refs/pr/${d.num}".`
          : "";
      const quoted = comments.map((c) => `> ${c.author}: ${c.text}`);
      return textResult(
        `#${d.num} ${d.isPullRequest ? "Pull request" : "Discussion"}: ${d.title}\nStatus: ${d.status} · Author: ${d.author?.name ?? "?"}\n${web}/discussions/${d.num}${hint}${quoted.length ? `\n${quoted.join("\n")}` : ""}`,
        { operation: "get_pr", repo_id: ref.id, pr: prJson(d, web), comments },
      );
    }
    case "create_branch": {
      const branch = need(args, "branch", "create_branch");
      if (isResult(branch)) return branch;
      await createBranch({
        ...call.hub,
        accessToken: token,
        repo,
        branch,
        revision: args.from_rev ?? "main",
      });
      const url = `${web}/tree/${encodeURIComponent(branch)}`;
      return done(`Created branch '${branch}' from ${args.from_rev ?? "main"}: ${url}`, { url });
    }
    case "delete_branch": {
      const branch = need(args, "branch", "delete_branch");
      if (isResult(branch)) return branch;
      await deleteBranch({ ...call.hub, accessToken: token, repo, branch });
      return done(`Deleted branch '${branch}' of ${ref.id}.`, {});
    }
    case "create_tag": {
      const tag = need(args, "tag", "create_tag");
      if (isResult(tag)) return tag;
      const rev = args.revision ?? "main";
      await call.http.send(`${api}/tag/${encodeURIComponent(rev)}`, {
        method: "POST",
        body: { tag, ...(args.tag_message ? { message: args.tag_message } : {}) },
      });
      const url = `${web}/tree/${encodeURIComponent(tag)}`;
      return done(`Created tag '${tag}' on ${rev}: ${url}`, { url });
    }
    case "delete_tag": {
      const tag = need(args, "tag", "delete_tag");
      if (isResult(tag)) return tag;
      await call.http.send(`${api}/tag/${encodeURIComponent(tag)}`, { method: "DELETE" });
      return done(`Deleted tag '${tag}' of ${ref.id}.`, {});
    }
    case "create_pr": {
      const title = need(args, "title", "create_pr");
      if (isResult(title)) return title;
      const pr = await call.http.json<DiscussionSummary>(`${api}/discussions`, {
        method: "POST",
        body: { title, description: args.description ?? "", pullRequest: true },
      });
      const url = `${web}/discussions/${pr.num}`;
      return done(
        `Created draft PR #${pr.num}: ${url}\nPush commits to it with hf_repo_files_write upload using revision="refs/pr/${pr.num}", then reopen_pr to publish it (draft → open).`,
        { url, pr_num: pr.num },
      );
    }
    case "merge_pr": {
      const num = need(args, "pr_num", "merge_pr");
      if (isResult(num)) return num;
      await call.http.send(`${api}/discussions/${num}/merge`, {
        method: "POST",
        body: args.comment ? { comment: args.comment } : {},
      });
      const url = `${web}/discussions/${num}`;
      return done(`Merged PR #${num} into ${ref.id}: ${url}`, { url, pr_num: num });
    }
    case "close_pr":
    case "reopen_pr": {
      const num = need(args, "pr_num", args.operation);
      if (isResult(num)) return num;
      const status = args.operation === "close_pr" ? "closed" : "open";
      await call.http.send(`${api}/discussions/${num}/status`, {
        method: "POST",
        body: { status, ...(args.comment ? { comment: args.comment } : {}) },
      });
      const url = `${web}/discussions/${num}`;
      return done(`PR #${num} of ${ref.id} is now ${status}: ${url}`, { url, pr_num: num });
    }
    case "comment_pr": {
      const num = need(args, "pr_num", "comment_pr");
      if (isResult(num)) return num;
      const comment = need(args, "comment", "comment_pr");
      if (isResult(comment)) return comment;
      await call.http.send(`${api}/discussions/${num}/comment`, { method: "POST", body: { comment } });
      const url = `${web}/discussions/${num}`;
      return done(`Commented on #${num}: ${url}`, { url, pr_num: num });
    }
    case "create_repo": {
      if (ref.type === "space" && !args.space_sdk) {
        return errorResult("Creating a Space needs `space_sdk` (gradio, streamlit, docker or static).");
      }
      const isPrivate = args.private ?? true;
      const readme = provenanceReadme({ repoId: ref.id, repoType: ref.type, sdk: args.space_sdk });
      const out = await createRepo({
        ...call.hub,
        accessToken: token,
        repo,
        visibility: isPrivate ? "private" : "public",
        ...(args.space_sdk ? { sdk: args.space_sdk } : {}),
        files: [{ path: "README.md", content: new Blob([readme]) }],
      });
      return done(`Created ${ref.type} ${ref.id} (tagged ml-intern)\nPrivate: ${isPrivate}\n${out.repoUrl}`, {
        url: out.repoUrl,
        private: isPrivate,
      });
    }
    case "update_repo": {
      if (args.private === undefined && args.gated === undefined) {
        return errorResult("update_repo needs `private` and/or `gated`.");
      }
      // The settings endpoint takes `visibility` (huggingface_hub's update_repo_settings); `private` is legacy.
      const body: Record<string, unknown> = {};
      if (args.private !== undefined) body.visibility = args.private ? "private" : "public";
      if (args.gated !== undefined) body.gated = args.gated === "false" ? false : args.gated;
      await call.http.send(`${api}/settings`, { method: "PUT", body });
      const parts = [
        ...(args.private !== undefined ? [`visibility ${args.private ? "private" : "public"}`] : []),
        ...(args.gated !== undefined ? [`gated ${args.gated}`] : []),
      ];
      return done(`Updated ${ref.id}: ${parts.join(", ")}\n${web}/settings`, {
        url: `${web}/settings`,
        ...(args.private !== undefined ? { private: args.private } : {}),
        ...(args.gated !== undefined ? { gated: args.gated === "false" ? false : args.gated } : {}),
      });
    }
  }
}

function approval(args: Args): ApprovalRequirement | null {
  const detail =
    args.operation === "delete_branch"
      ? ` '${args.branch}'`
      : args.operation === "delete_tag"
        ? ` '${args.tag}'`
        : args.operation === "merge_pr" || args.operation === "close_pr"
          ? ` #${args.pr_num}`
          : args.operation === "create_repo"
            ? ` (${args.private === false ? "public" : "private"})`
            : args.operation === "update_repo"
              ? ` (${[args.private === undefined ? "" : args.private ? "private" : "public", args.gated ? `gated ${args.gated}` : ""].filter(Boolean).join(", ")})`
              : "";
  return { kind: "destructive", reason: `${args.operation}${detail} on ${args.repo_id}` };
}

async function execute(
  deps: HfToolDeps,
  args: Args,
  ctx: Parameters<typeof createHfCall>[1],
  write: boolean,
) {
  const call = createHfCall(deps, ctx);
  const ref = parseRepoRef(args.repo_id ?? "", args.repo_type ?? "model");
  if (write && !call.token) {
    return errorResult(
      `${args.operation} needs a Hugging Face token with write access: set HF_TOKEN (https://huggingface.co/settings/tokens).`,
    );
  }
  try {
    return await run(call, args, ref);
  } catch (error) {
    return hfErrorResult(error, call, {
      action: `${args.operation} on ${ref.id}`,
      repoId: ref.id,
      repoType: ref.type,
    });
  }
}

/** Refs and pull requests, read-only. */
export function createHfRepoGitTool(deps: HfToolDeps) {
  return defineTool({
    name: "hf_repo_git",
    description: readDescription,
    toolset: "hf-repos",
    input: readInput,
    output: readOutput,
    annotations: {
      title: "Repo refs and PRs (read)",
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: true,
    },
    execute: (args, ctx) => execute(deps, args, ctx, false),
  });
}

/** Creates branches, tags, PRs, comments and repos; never removes or overwrites anything. */
export function createHfRepoGitWriteTool(deps: HfToolDeps) {
  return defineTool({
    name: "hf_repo_git_write",
    description: writeDescription,
    toolset: "hf-repos",
    input: writeInput,
    output: changeOutput,
    annotations: {
      title: "Repo branches, tags, PRs, new repos",
      readOnlyHint: false,
      destructiveHint: false,
      idempotentHint: false,
      openWorldHint: true,
    },
    // Creating a repo puts something new under the user's name: ask. Branches, tags and PRs are cheap to undo.
    needsApproval: (args) => (args.operation === "create_repo" ? approval(args) : null),
    execute: (args, ctx) => execute(deps, args, ctx, true),
  });
}

/** Deletes refs, merges or closes PRs and changes visibility or gating: every call may lose or expose something. */
export function createHfRepoGitDestructiveTool(deps: HfToolDeps) {
  return defineTool({
    name: "hf_repo_git_destructive",
    description: destructiveDescription,
    toolset: "hf-repos",
    input: destructiveInput,
    output: changeOutput,
    annotations: {
      title: "Repo deletes, merges, settings",
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    },
    needsApproval: (args) => approval(args),
    execute: (args, ctx) => execute(deps, args, ctx, true),
  });
}
