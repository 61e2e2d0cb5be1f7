import { bodyMessage, headerOf, isGithubHttpError, rateLimitKind } from "./http-error.ts";

export interface ErrorSubject {
  /** What we were doing, e.g. "read huggingface/trl/README.md". */
  action: string;
  /** Whether the call carried a token. */
  hasToken: boolean;
  now: () => Date;
  /** Extra hint for a 404 (e.g. "check the path and ref"). */
  notFoundHint?: string;
}

function hhmm(date: Date): string {
  return `${String(date.getUTCHours()).padStart(2, "0")}:${String(date.getUTCMinutes()).padStart(2, "0")} UTC`;
}

/** Turns any failure of a GitHub call into a message the user or the model can act on. */
export function describeGithubError(error: unknown, subject: ErrorSubject): string {
  if (!isGithubHttpError(error)) {
    const message = error instanceof Error ? error.message : String(error);
    return `Could not ${subject.action}: ${message}. Check GITHUB_API_URL and the network, then retry.`;
  }
  const kind = rateLimitKind(error);
  const tokenHint = subject.hasToken
    ? ""
    : " Set GITHUB_TOKEN for a much higher limit (5,000 requests/hour instead of 60).";
  if (kind === "primary") {
    const reset = Number(headerOf(error, "x-ratelimit-reset"));
    const limit = headerOf(error, "x-ratelimit-limit");
    const resource = headerOf(error, "x-ratelimit-resource") ?? "core";
    if (Number.isFinite(reset) && reset > 0) {
      const at = new Date(reset * 1000);
      const minutes = Math.max(0, Math.ceil((at.getTime() - subject.now().getTime()) / 60_000));
      return `GitHub rate limit exhausted (${resource}${limit ? `, ${limit} requests` : ""}): rate limited until ${hhmm(at)} (in ${minutes} min). Could not ${subject.action}.${tokenHint}`;
    }
    return `GitHub rate limit exhausted; could not ${subject.action}.${tokenHint}`;
  }
  if (kind === "secondary") {
    const retryAfter = headerOf(error, "retry-after");
    const wait = retryAfter ? `after ${retryAfter} seconds` : "in a minute or more";
    return `GitHub secondary rate limit (too many requests in a short time): could not ${subject.action}. Retry ${wait}, and make fewer parallel calls.`;
  }
  const message = bodyMessage(error);
  switch (error.status) {
    case 401:
      if (/requires authentication|must be authenticated/i.test(message)) {
        return `GitHub requires authentication to ${subject.action}. Set GITHUB_TOKEN (a fine-grained token with public read access is enough).`;
      }
      return `GitHub rejected the token (${message}) when trying to ${subject.action}. Check that GITHUB_TOKEN is valid and not expired.`;
    case 403:
      return `GitHub refused access (${message}) when trying to ${subject.action}. The token may lack the needed scope or SSO authorisation.`;
    case 404: {
      const privateHint = subject.hasToken
        ? " If it is private, the token may not have access to it."
        : " If the repository is private, set GITHUB_TOKEN to a token with access: GitHub answers 404 for private repositories without one.";
      return `Not found: could not ${subject.action}.${subject.notFoundHint ? ` ${subject.notFoundHint}` : ""}${privateHint}`;
    }
    case 422:
      return `GitHub rejected the request (${message}) when trying to ${subject.action}. Fix the arguments and retry.`;
    default:
      return `GitHub error ${error.status} (${message}) when trying to ${subject.action}. Retry later.`;
  }
}
