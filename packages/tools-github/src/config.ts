import type { Env } from "@ml-intern/tool";
import { type NotifyDestination, notifyDestinationsFromEnv } from "./notify/destinations.ts";

export const DEFAULT_GITHUB_API_URL = "https://api.github.com";
export const DEFAULT_WEB_SEARCH_URL = "https://html.duckduckgo.com/html/";
export const DEFAULT_USER_AGENT = "ml-intern-tools-github/0.1";

export interface GithubToolsConfig {
  /** Optional: anonymous calls work with lower rate limits (code search needs a token). */
  token?: string;
  /** REST API base; change it for GitHub Enterprise (e.g. https://ghe.example.com/api/v3). */
  apiUrl: string;
  /** DuckDuckGo HTML endpoint (or a compatible one) for web_search. */
  webSearchUrl: string;
  /** Where notify may send; the notify tool is only registered when this is non-empty. */
  notifyDestinations: NotifyDestination[];
  userAgent: string;
  /** Longest `retry-after` (seconds) a secondary rate limit may ask us to wait before we give up. */
  maxRetryAfterSeconds: number;
}

/** core's environment type (the one definition), re-exported for this package's callers. */
export type { Env };

function nonEmpty(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** An absolute http(s) URL, or an Error naming the variable. */
export function parseHttpUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${name} must be an absolute http(s) URL, got "${value}".`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`${name} must be an absolute http(s) URL, got "${value}".`);
  }
  return url.toString();
}

/**
 * Reads the configuration from environment variables:
 * GITHUB_TOKEN, GITHUB_API_URL, ML_INTERN_WEB_SEARCH_URL (or CLAWD_WEB_SEARCH_BASE_URL),
 * ML_INTERN_GITHUB_MAX_RETRY_AFTER, and the notify destinations (see notifyDestinationsFromEnv).
 * Throws on malformed URLs so a misconfiguration fails at startup, not mid-task.
 */
export function githubConfigFromEnv(env: Env): GithubToolsConfig {
  const apiUrl = nonEmpty(env.GITHUB_API_URL);
  const searchUrl = nonEmpty(env.ML_INTERN_WEB_SEARCH_URL) ?? nonEmpty(env.CLAWD_WEB_SEARCH_BASE_URL);
  const maxRetry = Number(nonEmpty(env.ML_INTERN_GITHUB_MAX_RETRY_AFTER) ?? "60");
  return {
    token: nonEmpty(env.GITHUB_TOKEN) ?? nonEmpty(env.GH_TOKEN),
    apiUrl: apiUrl ? parseHttpUrl(apiUrl, "GITHUB_API_URL").replace(/\/+$/, "") : DEFAULT_GITHUB_API_URL,
    webSearchUrl: searchUrl ? parseHttpUrl(searchUrl, "ML_INTERN_WEB_SEARCH_URL") : DEFAULT_WEB_SEARCH_URL,
    notifyDestinations: notifyDestinationsFromEnv(env),
    userAgent: DEFAULT_USER_AGENT,
    maxRetryAfterSeconds: Number.isFinite(maxRetry) && maxRetry >= 0 ? maxRetry : 60,
  };
}
