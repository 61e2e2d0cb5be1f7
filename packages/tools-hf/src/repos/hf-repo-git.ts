import { createBranch, createRepo, deleteBranch } from "@huggingface/hub";
import {
  type ApprovalRequirement,
  defineTool,
  errorResult,
  type ToolResult,
  textResult,
} from "@ml-intern/core";
import { z } from "zod";
import { createHfCall, type HfCall, type HfToolDeps } from "../hf-call.ts";
import { hfErrorResult } from "../http/error-result.ts";
import { repoWebUrl } from "../http/hf-hosts.ts";
import description from "./hf-repo-git.txt" with { type: "text" };
import { parseRepoRef, type RepoRef } from "./repo-ref.ts";

const OPERATIONS = [
  "create_branch",
  "delete_branch",
  "create_tag",
  "delete_tag",
  "list_refs",
  "create_pr",
  "list_prs",
  "get_pr",
  "merge_pr",
  "close_pr",
  "comment_pr",
  "change_pr_status",
  "create_repo",
  "update_repo",
] as const;

const input = z.object({
  operation: z.enum(OPERATIONS).describe("The git or repo-management operation to perform."),
  repo_id: z.string().min(3).describe("Repository id 'owner/name' (for create_repo, the repo to create)."),
  repo_type: z.enum(["model", "dataset", "space"]).optional().describe("Repository type (default model)."),
  branch: z.string().optional().describe("create_branch/delete_branch: the branch name."),
  from_rev: z.string().optional().describe("create_branch: revision to branch from (default main)."),
  tag: z.string().optional().describe("create_tag/delete_tag: the tag name."),
  revision: z.string().optional().describe("create_tag: revision to tag (default main)."),
  tag_message: z.string().optional().describe("create_tag: optional annotation message."),
  title: z.string().optional().describe("create_pr: pull request title."),
  description: z.string().optional().describe("create_pr: pull request description."),
  pr_num: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("get_pr/merge_pr/close_pr/comment_pr/change_pr_status: the PR number."),
  comment: z
    .string()
    .optional()
    .describe("comment_pr (required), merge_pr/close_pr (optional): comment text."),
  status: z.enum(["open", "closed", "all"]).optional().describe("list_prs: filter by status (default all)."),
  new_status: z.enum(["open", "closed"]).optional().describe("change_pr_status: the new status."),
  private: z
    .boolean()
    .optional()
    .describe("create_repo (default true) / update_repo: repository visibility."),
  gated: z
    .enum(["auto", "manual", "false"])
    .optional()
    .describe("update_repo: access gating ('false' removes the gate)."),
  space_sdk: z
    .enum(["gradio", "streamlit", "docker", "static"])
    .optional()
    .describe("create_repo: SDK, required for Spaces."),
});

type Args = z.infer<typeof input>;

const DESTRUCTIVE: ReadonlySet<string> = new Set([
  "delete_branch",
  "delete_tag",
  "merge_pr",
  "create_repo",
  "update_repo",
]);

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

function apiBase(call: HfCall, ref: RepoRef): string {
  return `${call.config.hubUrl}/api/${ref.type}s/${ref.id}`;
}

function need<K extends keyof Args>(args: Args, key: K, op: string): NonNullable<Args[K]> | ToolResult {
  const value = args[key];
  if (value === undefined || value === "") return errorResult(`${op} needs \`${String(key)}\`.`);
  return value as NonNullable<Args[K]>;
}

const isResult = (v: unknown): v is ToolResult => typeof v === "object" && v !== null && "text" in v;

async function run(call: HfCall, args: Args, ref: RepoRef): Promise<ToolResult> {
  const web = repoWebUrl(call.config, ref.type, ref.id);
  const api = apiBase(call, ref);
  const token = call.token ?? "";
  const repo = { type: ref.type, name: ref.id };
  switch (args.operation) {
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
      return textResult(
        `Created branch '${branch}' from ${args.from_rev ?? "main"}: ${web}/tree/${encodeURIComponent(branch)}`,
      );
    }
    case "delete_branch": {
      const branch = need(args, "branch", "delete_branch");
      if (isResult(branch)) return branch;
      await deleteBranch({ ...call.hub, accessToken: token, repo, branch });
      return textResult(`Deleted branch '${branch}' of ${ref.id}.`);
    }
    case "create_tag": {
      const tag = need(args, "tag", "create_tag");
      if (isResult(tag)) return tag;
      const rev = args.revision ?? "main";
      await call.http.json(`${api}/tag/${encodeURIComponent(rev)}`, {
        method: "POST",
        body: { tag, ...(args.tag_message ? { message: args.tag_message } : {}) },
      });
      return textResult(`Created tag '${tag}' on ${rev}: ${web}/tree/${encodeURIComponent(tag)}`);
    }
    case "delete_tag": {
      const tag = need(args, "tag", "delete_tag");
      if (isResult(tag)) return tag;
      await call.http.json(`${api}/tag/${encodeURIComponent(tag)}`, { method: "DELETE" });
      return textResult(`Deleted tag '${tag}' of ${ref.id}.`);
    }
    case "list_refs": {
      const refs = await call.http.json<{ branches?: { name: string }[]; tags?: { name: string }[] }>(
        `${api}/refs`,
      );
      const branches = (refs.branches ?? []).map((b) => b.name);
      const tags = (refs.tags ?? []).map((t) => t.name);
      return textResult(
        `**${ref.id}**\n- Branches (${branches.length}): ${branches.join(", ") || "none"}\n- Tags (${tags.length}): ${tags.join(", ") || "none"}`,
        { branches, tags },
      );
    }
    case "create_pr": {
      const title = need(args, "title", "create_pr");
      if (isResult(title)) return title;
      const pr = await call.http.json<DiscussionSummary>(`${api}/discussions`, {
        method: "POST",
        body: { title, description: args.description ?? "", pullRequest: true },
      });
      const url = `${web}/discussions/${pr.num}`;
      return textResult(
        `Created draft PR #${pr.num}: ${url}\nPush commits to it with hf_repo_files upload using revision="refs/pr/${pr.num}", then change_pr_status to open.`,
        { num: pr.num, url },
      );
    }
    case "list_prs": {
      const status = args.status ?? "all";
      const page = await call.http.json<{ discussions: DiscussionSummary[]; count: number }>(
        `${api}/discussions`,
        {
          query: { p: 0, type: "all", status },
        },
      );
      const items = page.discussions.slice(0, 20);
      const lines = items.map(
        (d) =>
          `[${d.status.toUpperCase()}] #${d.num} [${d.isPullRequest ? "PR" : "D"}] ${d.title} (by ${d.author?.name ?? "?"})`,
      );
      const more = page.count > items.length ? `\n_${page.count - items.length} more not shown._` : "";
      return textResult(
        `**${ref.id}** discussions and PRs (${page.count}, status ${status}):\n${lines.join("\n") || "none"}${more}`,
        {
          discussions: items,
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
        .map((e) => `> ${e.author?.name ?? "?"}: ${e.data?.latest?.raw?.slice(0, 300)}`);
      const hint =
        d.isPullRequest && (d.status === "open" || d.status === "draft")
          ? `\nPush to it with revision="refs/pr/${d.num}".`
          : "";
      return textResult(
        `#${d.num} ${d.isPullRequest ? "Pull request" : "Discussion"}: ${d.title}\nStatus: ${d.status} · Author: ${d.author?.name ?? "?"}\n${web}/discussions/${d.num}${hint}${comments.length ? `\n${comments.join("\n")}` : ""}`,
        { num: d.num, title: d.title, status: d.status, isPullRequest: d.isPullRequest },
      );
    }
    case "merge_pr": {
      const num = need(args, "pr_num", "merge_pr");
      if (isResult(num)) return num;
      await call.http.json(`${api}/discussions/${num}/merge`, {
        method: "POST",
        body: args.comment ? { comment: args.comment } : {},
      });
      return textResult(`Merged PR #${num} into ${ref.id}: ${web}/discussions/${num}`);
    }
    case "close_pr":
    case "change_pr_status": {
      const num = need(args, "pr_num", args.operation);
      if (isResult(num)) return num;
      const status = args.operation === "close_pr" ? "closed" : args.new_status;
      if (!status) return errorResult("change_pr_status needs `new_status` ('open' or 'closed').");
      await call.http.json(`${api}/discussions/${num}/status`, {
        method: "POST",
        body: { status, ...(args.comment ? { comment: args.comment } : {}) },
      });
      return textResult(`PR #${num} of ${ref.id} is now ${status}: ${web}/discussions/${num}`);
    }
    case "comment_pr": {
      const num = need(args, "pr_num", "comment_pr");
      if (isResult(num)) return num;
      const comment = need(args, "comment", "comment_pr");
      if (isResult(comment)) return comment;
      await call.http.json(`${api}/discussions/${num}/comment`, { method: "POST", body: { comment } });
      return textResult(`Commented on #${num}: ${web}/discussions/${num}`);
    }
    case "create_repo": {
      if (ref.type === "space" && !args.space_sdk) {
        return errorResult("Creating a Space needs `space_sdk` (gradio, streamlit, docker or static).");
      }
      const isPrivate = args.private ?? true;
      const out = await createRepo({
        ...call.hub,
        accessToken: token,
        repo,
        visibility: isPrivate ? "private" : "public",
        ...(args.space_sdk ? { sdk: args.space_sdk } : {}),
      });
      return textResult(`Created ${ref.type} ${ref.id}\nPrivate: ${isPrivate}\n${out.repoUrl}`, {
        url: out.repoUrl,
        private: isPrivate,
      });
    }
    case "update_repo": {
      if (args.private === undefined && args.gated === undefined) {
        return errorResult("update_repo needs `private` and/or `gated`.");
      }
      const body: Record<string, unknown> = {};
      if (args.private !== undefined) body.private = args.private;
      if (args.gated !== undefined) body.gated = args.gated === "false" ? false : args.gated;
      await call.http.json(`${api}/settings`, { method: "PUT", body });
      return textResult(`Updated ${ref.id}: ${JSON.stringify(body)}\n${web}/settings`, body);
    }
  }
}

export function createHfRepoGitTool(deps: HfToolDeps) {
  return defineTool({
    name: "hf_repo_git",
    description,
    toolset: "hf-repos",
    input,
    annotations: {
      title: "Repo git and PRs",
      readOnlyHint: false,
      destructiveHint: true,
      idempotentHint: false,
      openWorldHint: true,
    },
    needsApproval(args): ApprovalRequirement | null {
      if (!DESTRUCTIVE.has(args.operation)) return null;
      const detail =
        args.operation === "delete_branch"
          ? ` '${args.branch}'`
          : args.operation === "delete_tag"
            ? ` '${args.tag}'`
            : args.operation === "merge_pr"
              ? ` #${args.pr_num}`
              : args.operation === "create_repo"
                ? ` (${args.private === false ? "public" : "private"})`
                : "";
      return { kind: "destructive", reason: `${args.operation}${detail} on ${args.repo_id}` };
    },
    async execute(args, ctx) {
      const call = createHfCall(deps, ctx);
      const ref = parseRepoRef(args.repo_id, args.repo_type ?? "model");
      if (
        !call.token &&
        args.operation !== "list_refs" &&
        args.operation !== "list_prs" &&
        args.operation !== "get_pr"
      ) {
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
    },
  });
}
