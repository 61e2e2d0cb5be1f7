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

/** Where a failed call went and which credential it used, so messages can name what to fix. */
export interface LlmErrorContext {
  /** The endpoint the call went to, e.g. "http://127.0.0.1:9" or "https://api.anthropic.com". */
  endpoint?: string;
  /** Where the endpoint came from, e.g. "ANTHROPIC_BASE_URL (environment)" or "the built-in default". */
  endpointSource?: string;
  /** The variable holding the credential, e.g. "ANTHROPIC_API_KEY". */
  credential?: string;
  /** Where that credential was read from, e.g. "/home/me/project/.env" or "the environment". */
  credentialSource?: string;
}

export class LlmError extends Error {
  readonly kind: LlmErrorKind;
  readonly status?: number;
  readonly retryAfterMs?: number;
  /** Filled in by the provider wrapper (createProvider); absent for errors raised elsewhere. */
  context?: LlmErrorContext;

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

  /** The TCP connection was refused (nothing listens there): retrying rarely helps. */
  get connectionRefused(): boolean {
    if (this.kind !== "connection") return false;
    for (let e: unknown = this.cause, depth = 0; e && depth < 4; depth++) {
      const record = e as { code?: unknown; message?: unknown; cause?: unknown };
      if (record.code === "ECONNREFUSED" || record.code === "ConnectionRefused") return true;
      if (typeof record.message === "string" && /ECONNREFUSED|connection refused/i.test(record.message))
        return true;
      e = record.cause;
    }
    return /ECONNREFUSED|connection refused/i.test(this.message);
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

/** True for localhost, 127.0.0.0/8, ::1 and 0.0.0.0 URLs (a local model server, a fake, a proxy). */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  host = host.replace(/^\[|\]$/g, "");
  return (
    host === "localhost" ||
    host.endsWith(".localhost") ||
    host === "::1" ||
    host === "0.0.0.0" ||
    /^127(\.\d{1,3}){3}$/.test(host)
  );
}

function endpointClause(context: LlmErrorContext | undefined): string {
  if (!context?.endpoint) return "";
  return ` Endpoint: ${context.endpoint}${context.endpointSource ? ` (from ${context.endpointSource})` : ""}.`;
}

function credentialClause(context: LlmErrorContext | undefined, providerHint: string): string {
  if (context?.credential) {
    const from = context.credentialSource ? `, read from ${context.credentialSource}` : "";
    return ` The key is ${context.credential}${from}: check or replace it there (or unset it to fall back to another source).`;
  }
  return ` Check ${providerHint} (set it in your environment or .env).`;
}

function clause(message: string): string {
  return message.trim().replace(/[.\s]+$/, "");
}

/** A message that tells the user what to do next: the endpoint, where the credential came from, the flag to change. */
export function describeLlmError(error: LlmError, model: string, providerHint: string): string {
  const context = error.context;
  switch (error.kind) {
    case "auth":
      return `Authentication failed for ${model}: ${clause(error.message)}.${credentialClause(context, providerHint)}${endpointClause(context)} Or pick another model with --model (config key model_name; /model in a session).`;
    case "quota":
      return `Your credits or quota for ${model} appear to be exhausted: ${clause(error.message)}. Add credits with the provider (for the Hugging Face router: https://huggingface.co/settings/billing), or switch models with --model or /model.`;
    case "model_not_found":
      return `Model "${model}" was not found or is not served by this provider: ${clause(error.message)}.${endpointClause(context)} Check the id (drop a ":provider" suffix to let the router choose), or pick another with --model (config key model_name; /model in a session).`;
    case "context_overflow":
      return `The conversation no longer fits the context window of ${model}. Run /compact, start a /new session, or enable automatic compaction.`;
    case "connection":
    case "timeout": {
      const what =
        error.kind === "timeout"
          ? "timed out"
          : error.connectionRefused
            ? "could not connect (connection refused)"
            : "could not connect";
      const where = context?.endpoint ? ` to ${context.endpoint}` : "";
      const source = context?.endpointSource ? ` (from ${context.endpointSource})` : "";
      const fix = context?.endpoint
        ? isLoopbackUrl(context.endpoint)
          ? " Is the local server running? Start it, or change the URL"
          : " Check your network, or change the URL"
        : " Check your network and the provider's status";
      const variable = context?.endpointSource?.split(" ")[0];
      const change = variable && /^[A-Z][A-Z0-9_]*$/.test(variable) ? ` in ${variable}` : "";
      return `Model call for ${model} ${what}${where}${source}: ${clause(error.message)}.${fix}${context?.endpoint ? change : ""}.`;
    }
    default:
      return `Model call failed (${error.kind}${error.status ? ` ${error.status}` : ""}): ${clause(error.message)}.${endpointClause(context)}`;
  }
}
