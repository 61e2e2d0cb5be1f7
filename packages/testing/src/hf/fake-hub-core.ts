/** Shared plumbing for the fake Hugging Face servers: routing, auth, Hub-style errors and headers. */

export interface FakeHubUser {
  name: string;
  fullname?: string;
  email?: string;
  orgs?: string[];
  isPro?: boolean;
  /** Token role reported by whoami-v2; "read" tokens cannot write. */
  role?: "read" | "write" | "fineGrained";
}

export interface HubRequest {
  request: Request;
  url: URL;
  /** Origin of the fake, used to build absolute URLs (Link headers, commit URLs). */
  base: string;
  body: string;
  token: string | undefined;
  /** The user the token belongs to; undefined for anonymous requests. */
  user: FakeHubUser | undefined;
}

export type RouteHandler = (req: HubRequest, match: RegExpExecArray) => Response | Promise<Response>;

export interface Route {
  method: string;
  pattern: RegExp;
  handle: RouteHandler;
}

export interface FailureRule {
  method?: string;
  /** A path prefix, or a regular expression tested against the pathname. */
  path: string | RegExp;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** How many matching requests fail (default 1). */
  times?: number;
}

let requestCounter = 0;

export function hubHeaders(extra: Record<string, string> = {}): Headers {
  requestCounter += 1;
  const headers = new Headers({
    "x-request-id": `Root=1-fake-${requestCounter}`,
    ratelimit: '"api";r=999;t=120',
    "ratelimit-policy": '"fixed window";"api";q=1000;w=300',
  });
  for (const [k, v] of Object.entries(extra)) headers.set(k, v);
  return headers;
}

export function hubJson(body: unknown, status = 200, extra: Record<string, string> = {}): Response {
  const headers = hubHeaders({ "content-type": "application/json; charset=utf-8", ...extra });
  return new Response(JSON.stringify(body), { status, headers });
}

export function hubText(body: string, status = 200, contentType = "text/plain; charset=utf-8"): Response {
  return new Response(body, { status, headers: hubHeaders({ "content-type": contentType }) });
}

/** A Hub-style error: JSON `{"error"}` plus `X-Error-Code` / `X-Error-Message`. */
export function hubError(
  status: number,
  message: string,
  code?: string,
  extra: Record<string, string> = {},
): Response {
  return hubJson({ error: message }, status, {
    "x-error-message": message,
    ...(code ? { "x-error-code": code } : {}),
    ...extra,
  });
}

export function rateLimitedResponse(retryAfterSeconds: number): Response {
  return hubError(
    429,
    `You have exceeded our hourly quotas for action 'api'. Retry after ${retryAfterSeconds} seconds.`,
    undefined,
    {
      "retry-after": String(retryAfterSeconds),
      ratelimit: `"api";r=0;t=${retryAfterSeconds}`,
      "ratelimit-policy": '"fixed window";"api";q=1000;w=300',
    },
  );
}

/** Matches injected failures; returns the response to send, consuming one use of the rule. */
export function takeFailure(rules: FailureRule[], method: string, path: string): Response | undefined {
  const index = rules.findIndex(
    (r) =>
      (!r.method || r.method.toUpperCase() === method) &&
      (typeof r.path === "string" ? path.startsWith(r.path) : r.path.test(path)),
  );
  if (index === -1) return undefined;
  const rule = rules[index]!;
  rule.times = (rule.times ?? 1) - 1;
  if (rule.times <= 0) rules.splice(index, 1);
  if (rule.status === 429 && rule.body === undefined) {
    const retry = Number(rule.headers?.["retry-after"] ?? 30);
    return rateLimitedResponse(retry);
  }
  const message =
    typeof rule.body === "object" && rule.body && "error" in rule.body
      ? String(rule.body.error)
      : `HTTP ${rule.status}`;
  return hubJson(rule.body ?? { error: message }, rule.status, rule.headers ?? {});
}

/** Resolves the bearer token; `invalid` is true when a token was given but is unknown (the Hub answers 401). */
export function authenticate(
  request: Request,
  users: Map<string, FakeHubUser>,
): { token?: string; user?: FakeHubUser; invalid: boolean } {
  const header = request.headers.get("authorization");
  if (!header) return { invalid: false };
  const token = header.replace(/^Bearer\s+/i, "").trim();
  const user = users.get(token);
  return user ? { token, user, invalid: false } : { token, invalid: true };
}

export function route(method: string, pattern: RegExp, handle: RouteHandler): Route {
  return { method, pattern, handle };
}

export function dispatch(routes: Route[], req: HubRequest): Promise<Response> | Response | undefined {
  const method = req.request.method === "HEAD" ? ["HEAD", "GET"] : [req.request.method];
  for (const m of method) {
    for (const r of routes) {
      if (r.method !== m) continue;
      const match = r.pattern.exec(req.url.pathname);
      if (match) return r.handle(req, match);
    }
  }
  return undefined;
}

/** Decodes path segments like `refs%2Fpr%2F1`. */
export function decode(segment: string | undefined): string {
  return decodeURIComponent(segment ?? "");
}

export function sha40(seed: string): string {
  const hasher = new Bun.CryptoHasher("sha1");
  hasher.update(seed);
  return hasher.digest("hex");
}

export function pageLink(req: HubRequest, cursor: number): string {
  const next = new URL(req.url.pathname, req.base);
  for (const [k, v] of req.url.searchParams) if (k !== "cursor") next.searchParams.append(k, v);
  next.searchParams.set("cursor", Buffer.from(String(cursor)).toString("base64"));
  return `<${next.toString()}>; rel="next"`;
}

export function cursorOf(url: URL): number {
  const cursor = url.searchParams.get("cursor");
  return cursor ? Number(Buffer.from(cursor, "base64").toString()) || 0 : 0;
}
