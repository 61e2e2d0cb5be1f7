/** Provider failures, classified once so the loop can decide: retry, compact, or tell the user what to do. */
export type LlmErrorKind =
  | "rate_limit"
  | "overloaded"
  | "server"
  | "connection"
  | "timeout"
  | "context_overflow"
  | "auth"
  | "quota"
  | "model_not_found"
  | "bad_request"
  | "aborted";

export class LlmError extends Error {
  readonly kind: LlmErrorKind;
  readonly status?: number;
  readonly retryAfterMs?: number;

  constructor(
    kind: LlmErrorKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "LlmError";
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }

  get retryable(): boolean {
    return (
      this.kind === "rate_limit" ||
      this.kind === "overloaded" ||
      this.kind === "server" ||
      this.kind === "connection" ||
      this.kind === "timeout"
    );
  }
}

const OVERFLOW_PATTERNS = [
  "context window exceeded",
  "maximum context length",
  "max context length",
  "prompt is too long",
  "context length exceeded",
  "too many input tokens",
  "input is too long",
  "model_context_window_exceeded",
  "context_length_exceeded",
];
const QUOTA_PATTERNS = [
  "insufficient_quota",
  "out of monthly credits",
  "exhausted monthly credits",
  "quota exceeded",
  "credit balance is too low",
  "payment required",
];

interface ErrorLike {
  status?: unknown;
  headers?: unknown;
  message?: unknown;
  name?: unknown;
  error?: unknown;
  code?: unknown;
}

function headerValue(headers: unknown, name: string): string | null {
  if (headers instanceof Headers) return headers.get(name);
  if (headers && typeof headers === "object") {
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === "string" ? value : null;
  }
  return null;
}

/** Milliseconds from `retry-after-ms` or `retry-after` (seconds or an HTTP date). */
export function retryAfterMs(headers: unknown, now = Date.now()): number | undefined {
  const ms = headerValue(headers, "retry-after-ms");
  if (ms && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const value = headerValue(headers, "retry-after");
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Math.max(0, Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function nestedErrorType(error: unknown): string {
  if (!error || typeof error !== "object") return "";
  const record = error as Record<string, unknown>;
  const inner = record.error;
  if (inner && typeof inner === "object") {
    const type = (inner as Record<string, unknown>).type;
    if (typeof type === "string") return type;
  }
  return typeof record.type === "string" ? record.type : "";
}

/** Maps any error thrown by the Anthropic/OpenAI SDKs or fetch into an LlmError. */
export function classifyLlmError(error: unknown, signal?: AbortSignal): LlmError {
  if (error instanceof LlmError) return error;
  const e = (error ?? {}) as ErrorLike;
  const message = typeof e.message === "string" ? e.message : String(error);
  const lower = message.toLowerCase();
  const name = typeof e.name === "string" ? e.name : "";
  const status = typeof e.status === "number" ? e.status : undefined;
  const type = nestedErrorType(e.error) || nestedErrorType(e);
  const retryAfter = retryAfterMs(e.headers);
  const make = (kind: LlmErrorKind) =>
    new LlmError(kind, message, { status, retryAfterMs: retryAfter, cause: error });

  if (signal?.aborted || name === "AbortError" || name === "APIUserAbortError") return make("aborted");
  if (OVERFLOW_PATTERNS.some((p) => lower.includes(p)) || type === "request_too_large" || status === 413) {
    return make("context_overflow");
  }
  if (status === 402 || QUOTA_PATTERNS.some((p) => lower.includes(p))) return make("quota");
  if (status === 401 || status === 403 || type === "authentication_error" || type === "permission_error") {
    return make("auth");
  }
  if (status === 404 || type === "not_found_error" || lower.includes("model_not_found"))
    return make("model_not_found");
  if (status === 429 || type === "rate_limit_error") return make("rate_limit");
  if (status === 529 || type === "overloaded_error" || lower.includes("overloaded"))
    return make("overloaded");
  if (status === 408 || name.includes("Timeout") || lower.includes("timed out")) return make("timeout");
  if (status !== undefined && status >= 500) return make("server");
  if (type === "api_error") return make("server");
  if (status !== undefined && status >= 400) return make("bad_request");
  // No HTTP status: the connection failed or dropped (before or during the stream).
  return make("connection");
}

/** A message that tells the user what to do next. */
export function describeLlmError(error: LlmError, model: string, providerHint: string): string {
  switch (error.kind) {
    case "auth":
      return `Authentication failed for ${model}: ${error.message}. Check ${providerHint} (set it in your environment or .env), or pick another model with --model or /model.`;
    case "quota":
      return `Your credits or quota for ${model} appear to be exhausted: ${error.message}. Add credits with the provider (for the Hugging Face router: https://huggingface.co/settings/billing), or switch models with /model.`;
    case "model_not_found":
      return `Model "${model}" was not found or is not served by this provider: ${error.message}. Check the id (drop a ":provider" suffix to let the router choose), or pick another with /model.`;
    case "context_overflow":
      return `The conversation no longer fits the context window of ${model}. Run /compact, start a /new session, or enable automatic compaction.`;
    default:
      return `Model call failed (${error.kind}${error.status ? ` ${error.status}` : ""}): ${error.message}`;
  }
}
