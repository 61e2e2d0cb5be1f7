/** A non-2xx answer from an HF (or research) service, with what is needed to explain it. */
export class HfHttpError extends Error {
  readonly status: number;
  readonly url: string;
  readonly errorCode: string | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(init: {
    status: number;
    url: string;
    message: string;
    errorCode?: string;
    retryAfterSeconds?: number;
  }) {
    super(init.message);
    this.name = "HfHttpError";
    this.status = init.status;
    this.url = init.url;
    this.errorCode = init.errorCode;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }
}

/** Seconds to wait before retrying, from `Retry-After` or the IETF `RateLimit: "api";r=0;t=55` header. */
export function retryAfterFromHeaders(headers: Headers): number | undefined {
  const retryAfter = headers.get("retry-after");
  if (retryAfter && /^\d+$/.test(retryAfter.trim())) return Number(retryAfter.trim());
  const rateLimit = headers.get("ratelimit");
  const t = rateLimit ? /[;,\s]t=(\d+)/.exec(rateLimit) : null;
  return t ? Number(t[1]) : undefined;
}

/** Reads an error body (`{"error": ...}`, `{"message": ...}`, or text) into one line. */
export async function httpErrorFromResponse(response: Response, url: string): Promise<HfHttpError> {
  let message = response.headers.get("x-error-message") ?? "";
  const text = await response.text().catch(() => "");
  if (!message && text) {
    try {
      const body = JSON.parse(text) as { error?: unknown; message?: unknown; detail?: unknown };
      const raw = body.error ?? body.message ?? body.detail;
      if (typeof raw === "string") message = raw;
      else if (raw && typeof raw === "object" && "message" in raw && typeof raw.message === "string") {
        message = raw.message;
      } else if (raw !== undefined) message = JSON.stringify(raw);
    } catch {
      message = text.slice(0, 300);
    }
  }
  const errorCode = response.headers.get("x-error-code") ?? undefined;
  const retryAfterSeconds = retryAfterFromHeaders(response.headers);
  return new HfHttpError({
    status: response.status,
    url,
    message: message || `HTTP ${response.status}`,
    ...(errorCode ? { errorCode } : {}),
    ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}),
  });
}
