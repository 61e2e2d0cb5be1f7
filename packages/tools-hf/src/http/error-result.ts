import { HubApiError } from "@huggingface/hub";
import { errorResult, type ToolResult } from "@ml-intern/tool";
import type { HfCall } from "../hf-call.ts";
import { type RepoKind, repoWebUrl } from "./hf-hosts.ts";
import { HfHttpError, retryAfterFromHeaders } from "./http-error.ts";

export interface ErrorSubject {
  /** What was being done, e.g. "list files of gpt2". */
  action: string;
  repoId?: string;
  repoType?: RepoKind;
}

interface Normalized {
  status: number;
  message: string;
  url: string;
  errorCode?: string;
  retryAfterSeconds?: number;
}

/** HF tokens are `hf_` + 30-40 letters and digits; tool names such as `hf_papers` must survive. */
const TOKEN_PATTERN = /(?<![A-Za-z0-9_])hf_[A-Za-z0-9]{30,}(?![A-Za-z0-9_])/g;

/** Removes anything token-shaped from a message before it reaches the model or a log. */
export function scrubTokens(text: string): string {
  return text.replace(TOKEN_PATTERN, "hf_***");
}

function normalize(error: unknown, call: HfCall): Normalized | undefined {
  if (error instanceof HfHttpError) {
    return {
      status: error.status,
      message: error.message,
      url: error.url,
      ...(error.errorCode ? { errorCode: error.errorCode } : {}),
      ...(error.retryAfterSeconds !== undefined ? { retryAfterSeconds: error.retryAfterSeconds } : {}),
    };
  }
  if (error instanceof HubApiError) {
    const failure = call.lastFailure();
    const headers = failure && failure.status === error.statusCode ? failure.headers : undefined;
    const retry = headers ? retryAfterFromHeaders(headers) : undefined;
    const code = headers?.get("x-error-code") ?? undefined;
    // The hub client appends ". URL: ... Request ID: ..." to messages; keep only the server's words.
    const message = error.message.replace(/\.\s*URL: .*$/s, "");
    return {
      status: error.statusCode,
      message,
      url: error.url,
      ...(code ? { errorCode: code } : {}),
      ...(retry !== undefined ? { retryAfterSeconds: retry } : {}),
    };
  }
  return undefined;
}

function isGated(n: Normalized): boolean {
  return (
    n.errorCode === "GatedRepo" || /gated|restricted|accept the conditions|awaiting a review/i.test(n.message)
  );
}

/**
 * The error facts (status, code, retry-after) go to host-only `meta`, not `structured`: a client that shows the model
 * structured content instead of text must still see the message and the advice.
 */
const withMeta = (result: ToolResult, error: Record<string, unknown>): ToolResult => ({
  ...result,
  meta: { error },
});

/** Turns any failure into an actionable error result for the model (never throws, never leaks the token). */
export function hfErrorResult(error: unknown, call: HfCall, subject: ErrorSubject): ToolResult {
  if (call.signal.aborted) return errorResult(`Cancelled while trying to ${subject.action}.`);
  const n = normalize(error, call);
  const structured: Record<string, unknown> = { action: subject.action };
  if (!n) {
    const message = error instanceof Error ? error.message : String(error);
    if (/starts? with "?hf_"?|must start with hf_|An access token must/i.test(message)) {
      return errorResult(
        `Could not ${subject.action}: the configured HF token is malformed (HF tokens start with "hf_"). Create one at https://huggingface.co/settings/tokens and set HF_TOKEN.`,
      );
    }
    return withMeta(errorResult(scrubTokens(`Could not ${subject.action}: ${message}`)), structured);
  }
  structured.status = n.status;
  if (n.errorCode) structured.errorCode = n.errorCode;
  const server = scrubTokens(n.message);
  const repoUrl = subject.repoId
    ? repoWebUrl(call.config, subject.repoType ?? "model", subject.repoId)
    : undefined;
  let advice: string;
  if (n.status === 401) {
    advice = call.token
      ? "The HF token was rejected (invalid or expired). Create a new token at https://huggingface.co/settings/tokens and set HF_TOKEN (or run `hf auth login`)."
      : `Authentication is required${subject.repoId ? ` (the repo may be private, gated or missing)` : ""}. Set HF_TOKEN to a token from https://huggingface.co/settings/tokens (or run \`hf auth login\`), then retry.`;
    if (!call.token && isGated(n) && repoUrl)
      advice += ` If the repo is gated, accept its licence at ${repoUrl}.`;
  } else if (n.status === 403 && isGated(n)) {
    advice = `This repo is gated. Open ${repoUrl ?? "the repo page"} while logged in, accept the licence/conditions, wait for approval if required, then retry with the same token.`;
    structured.gated = true;
  } else if (n.status === 403) {
    advice =
      "The token is not allowed to do this. Check it has write access (or the right fine-grained permissions) at https://huggingface.co/settings/tokens, and that you are a member of the namespace.";
  } else if (n.status === 404) {
    const what =
      n.errorCode === "EntryNotFound"
        ? "The file or path does not exist at this revision."
        : n.errorCode === "RevisionNotFound"
          ? "The branch, tag or revision does not exist."
          : subject.repoId
            ? `Repository ${subject.repoId} (${subject.repoType ?? "model"}) was not found — check the id and repo_type.`
            : "Not found — check the id.";
    advice = what;
  } else if (n.status === 409) {
    advice = "Conflict: it already exists or another operation is in progress.";
  } else if (n.status === 402) {
    advice =
      "Payment required: add credits or a payment method at https://huggingface.co/settings/billing, then retry.";
  } else if (n.status === 429) {
    const wait = n.retryAfterSeconds;
    advice = `Rate limited by Hugging Face. Retry after ${wait !== undefined ? `${wait} seconds` : "a minute"}; logging in (HF_TOKEN) raises the limit.`;
    if (wait !== undefined) structured.retryAfterSeconds = wait;
  } else if (n.status >= 500) {
    advice = "Hugging Face had a server error; this is usually transient. Retry in a minute.";
  } else {
    advice = "The request was rejected; fix the arguments and retry.";
  }
  structured.retryable = n.status === 429 || n.status >= 500;
  return withMeta(
    errorResult(
      `Could not ${subject.action} (HTTP ${n.status}${n.errorCode ? ` ${n.errorCode}` : ""}): ${server}\n${advice}`,
    ),
    structured,
  );
}
