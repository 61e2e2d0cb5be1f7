import type { ToolContext } from "@ml-intern/tool";
import type { GithubToolsConfig } from "../config.ts";
import { createGithubClient, type GithubClient } from "./client.ts";
import type { Sleep } from "./sleep.ts";

export interface GithubToolDeps {
  config: GithubToolsConfig;
  fetch?: typeof fetch;
  sleep?: Sleep;
  now?: () => Date;
}

export interface CallClient {
  octokit: GithubClient;
  hasToken: boolean;
  now: () => Date;
}

/** The client for one call: the caller's own token (ctx.auth.githubToken) wins over the configured one. */
export function clientForCall(deps: GithubToolDeps, ctx: ToolContext): CallClient {
  const token = ctx.auth?.githubToken ?? deps.config.token;
  const octokit = createGithubClient({
    apiUrl: deps.config.apiUrl,
    token,
    fetch: deps.fetch,
    userAgent: deps.config.userAgent,
    maxRetryAfterSeconds: deps.config.maxRetryAfterSeconds,
    sleep: deps.sleep,
    log: (message) => ctx.log(message),
  });
  return { octokit, hasToken: Boolean(token), now: deps.now ?? (() => new Date()) };
}

/** Splits "owner/repo"; undefined when malformed. */
export function splitRepo(repo: string): { owner: string; repo: string } | undefined {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(repo.trim().replace(/\.git$/, ""));
  return match ? { owner: match[1]!, repo: match[2]! } : undefined;
}
