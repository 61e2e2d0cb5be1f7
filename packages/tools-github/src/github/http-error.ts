/** The parts of an Octokit RequestError we read (duck-typed so we need not depend on @octokit/request-error). */
export interface GithubHttpError {
  status: number;
  message: string;
  response?: { headers: Record<string, string | number | undefined>; data?: unknown };
}

export function isGithubHttpError(error: unknown): error is GithubHttpError {
  return (
    typeof error === "object" &&
    error !== null &&
    "status" in error &&
    typeof (error as { status: unknown }).status === "number" &&
    error instanceof Error
  );
}

export function headerOf(error: GithubHttpError, name: string): string | undefined {
  const value = error.response?.headers?.[name];
  return value === undefined ? undefined : String(value);
}

/** GitHub's `message` from the error body, if any. */
export function bodyMessage(error: GithubHttpError): string {
  const data = error.response?.data;
  if (data && typeof data === "object" && "message" in data) {
    const message = (data as { message: unknown }).message;
    if (typeof message === "string") return message;
  }
  return error.message;
}

export type RateLimitKind = "primary" | "secondary";

/** Classifies a 403/429 as a primary limit (quota used up), a secondary limit (abuse detection), or neither. */
export function rateLimitKind(error: GithubHttpError): RateLimitKind | undefined {
  if (error.status !== 403 && error.status !== 429) return undefined;
  if (headerOf(error, "retry-after") !== undefined) return "secondary";
  if (/secondary rate limit/i.test(bodyMessage(error))) return "secondary";
  if (headerOf(error, "x-ratelimit-remaining") === "0") return "primary";
  if (error.status === 429) return "secondary";
  return undefined;
}
