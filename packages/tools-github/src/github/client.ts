import { Octokit } from "@octokit/rest";
import { headerOf, isGithubHttpError, rateLimitKind } from "./http-error.ts";
import { abortableSleep, type Sleep } from "./sleep.ts";

export interface GithubClientOptions {
  apiUrl: string;
  token?: string;
  fetch?: typeof fetch;
  userAgent: string;
  /** A secondary limit asking to wait longer than this is reported, not waited out. */
  maxRetryAfterSeconds: number;
  /** Retries after secondary limits (default 2). */
  maxRetries?: number;
  sleep?: Sleep;
  /** Informational messages (e.g. "waiting 3 s"), never to stdout. */
  log?: (message: string) => void;
}

export type GithubClient = Octokit;

const quiet = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/**
 * An Octokit for one caller's token. Every request (pagination included) goes through a hook that
 * retries a secondary rate limit after its `retry-after` (bounded, abortable) and lets every other
 * failure, including an exhausted primary limit, surface at once so a tool can report it.
 */
export function createGithubClient(options: GithubClientOptions): GithubClient {
  const sleep = options.sleep ?? abortableSleep;
  const maxRetries = options.maxRetries ?? 2;
  const octokit = new Octokit({
    auth: options.token,
    baseUrl: options.apiUrl.replace(/\/+$/, ""),
    userAgent: options.userAgent,
    log: quiet,
    request: { fetch: options.fetch ?? fetch },
  });
  const apiOrigin = new URL(options.apiUrl).origin;
  octokit.hook.wrap("request", async (request, requestOptions) => {
    // Pagination follows absolute `Link` URLs: the token must never leave the configured API host.
    if (/^https?:\/\//i.test(requestOptions.url) && new URL(requestOptions.url).origin !== apiOrigin) {
      throw new Error(
        `Refusing to send a GitHub request to ${new URL(requestOptions.url).origin}: it is not ${apiOrigin}.`,
      );
    }
    const signal = requestOptions.request?.signal as AbortSignal | undefined;
    for (let attempt = 0; ; attempt++) {
      try {
        return await request(requestOptions);
      } catch (error) {
        if (!isGithubHttpError(error) || rateLimitKind(error) !== "secondary" || attempt >= maxRetries) {
          throw error;
        }
        const retryAfter = Number(headerOf(error, "retry-after"));
        if (!Number.isFinite(retryAfter) || retryAfter > options.maxRetryAfterSeconds) throw error;
        options.log?.(`GitHub secondary rate limit: retrying in ${retryAfter}s`);
        await sleep(Math.max(0, retryAfter) * 1000, signal);
      }
    }
  });
  return octokit;
}
