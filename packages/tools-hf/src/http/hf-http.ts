import type { HfConfig } from "../config.ts";
import { isHfUrl } from "./hf-hosts.ts";
import { httpErrorFromResponse } from "./http-error.ts";

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

export interface HttpRequestOptions {
  method?: string;
  query?: Record<string, string | number | boolean | undefined | readonly string[]>;
  headers?: Record<string, string>;
  body?: unknown;
  /** Only follow redirects to hosts this predicate accepts (default: same rule as the first URL). */
  allowRedirect?: (url: string) => boolean;
}

export interface HttpClient {
  request(url: string, options?: HttpRequestOptions): Promise<Response>;
  json<T>(url: string, options?: HttpRequestOptions): Promise<T>;
  text(url: string, options?: HttpRequestOptions): Promise<string>;
  /**
   * For mutations whose success body nobody reads (tag, merge, settings, cancel): any 2xx succeeds, whether the body
   * is JSON, empty or the text `OK`. Returns the parsed JSON when there is some, else undefined.
   */
  send(url: string, options?: HttpRequestOptions): Promise<unknown>;
}

export interface HttpClientDeps {
  fetch: FetchLike;
  config: HfConfig;
  signal: AbortSignal;
  /** Sent as a Bearer token, but only to Hugging Face hosts. */
  hfToken?: string;
  /** Extra headers for a given URL (e.g. an S2 key for the S2 host only). */
  headersFor?: (url: string) => Record<string, string>;
}

export function withQuery(url: string, query: HttpRequestOptions["query"]): string {
  if (!query) return url;
  const u = new URL(url);
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) u.searchParams.append(key, String(v));
    else u.searchParams.set(key, String(value));
  }
  return u.toString();
}

const MAX_REDIRECTS = 5;

/**
 * A thin fetch client for the HF endpoints `@huggingface/hub` does not cover. The HF token is attached only to
 * Hugging Face hosts, and redirects are followed by hand so a token never follows a redirect off HF.
 */
export function createHttpClient(deps: HttpClientDeps): HttpClient {
  const request = async (url: string, options: HttpRequestOptions = {}): Promise<Response> => {
    let current = withQuery(url, options.query);
    const allowRedirect =
      options.allowRedirect ?? ((next: string) => isHfUrl(next, deps.config) === isHfUrl(url, deps.config));
    const hasBody = options.body !== undefined;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      const headers: Record<string, string> = {
        accept: "application/json",
        ...(deps.headersFor?.(current) ?? {}),
        ...(options.headers ?? {}),
      };
      if (hasBody) headers["content-type"] = "application/json";
      if (deps.hfToken && isHfUrl(current, deps.config)) headers.authorization = `Bearer ${deps.hfToken}`;
      const response = await deps.fetch(current, {
        method: options.method ?? "GET",
        headers,
        ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
        redirect: "manual",
        signal: deps.signal,
      });
      if (response.status >= 300 && response.status < 400 && response.headers.get("location")) {
        const next = new URL(response.headers.get("location") ?? "", current).toString();
        await response.body?.cancel();
        if (!allowRedirect(next))
          throw new Error(`Refusing to follow a redirect from ${current} to ${next}.`);
        current = next;
        continue;
      }
      return response;
    }
    throw new Error(`Too many redirects starting at ${url}.`);
  };

  const ok = async (url: string, options?: HttpRequestOptions): Promise<Response> => {
    const response = await request(url, options);
    if (!response.ok) throw await httpErrorFromResponse(response, response.url || url);
    return response;
  };

  return {
    request,
    json: async <T>(url: string, options?: HttpRequestOptions) =>
      (await (await ok(url, options)).json()) as T,
    text: async (url: string, options?: HttpRequestOptions) => (await ok(url, options)).text(),
    send: async (url: string, options?: HttpRequestOptions) => {
      const body = await (await ok(url, options)).text();
      try {
        return body.trim() ? (JSON.parse(body) as unknown) : undefined;
      } catch {
        return undefined;
      }
    },
  };
}
