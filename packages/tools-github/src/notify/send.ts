import { abortableSleep, type Sleep } from "../github/sleep.ts";
import type { NotifyDestination } from "./destinations.ts";
import { markdownToSlack } from "./slack-format.ts";

export type Severity = "info" | "success" | "warning" | "error";

export interface Notification {
  message: string;
  title?: string;
  severity: Severity;
  sessionId: string;
}

export interface SendDeps {
  fetch?: typeof fetch;
  sleep?: Sleep;
  now?: () => Date;
  /** Per-attempt timeout (default 10 s). */
  timeoutMs?: number;
  /** Delays between attempts for retryable failures (default 1, 2, 4 s). */
  retryDelaysMs?: readonly number[];
}

export type SendOutcome = { ok: true } | { ok: false; error: string };

function slackPayload(n: Notification): Record<string, unknown> {
  const head = `*[${n.severity.toUpperCase()}]${n.title ? ` ${markdownToSlack(n.title)}` : ""}*`;
  return {
    text: `${head}\n${markdownToSlack(n.message)}\n_session: ${n.sessionId}_`,
    mrkdwn: true,
    unfurl_links: false,
    unfurl_media: false,
  };
}

function genericPayload(n: Notification, now: Date): Record<string, unknown> {
  return {
    source: "ml-intern",
    title: n.title ?? null,
    message: n.message,
    severity: n.severity,
    session_id: n.sessionId,
    sent_at: now.toISOString(),
  };
}

function retryable(status: number): boolean {
  return status === 429 || status === 408 || status >= 500;
}

/** POSTs one notification, retrying timeouts, network errors, 429 and 5xx. Errors never include the URL. */
export async function sendNotification(
  destination: NotifyDestination,
  notification: Notification,
  signal: AbortSignal,
  deps: SendDeps = {},
): Promise<SendOutcome> {
  const doFetch = deps.fetch ?? fetch;
  const sleep = deps.sleep ?? abortableSleep;
  const delays = deps.retryDelaysMs ?? [1000, 2000, 4000];
  const body = JSON.stringify(
    destination.kind === "slack-webhook"
      ? slackPayload(notification)
      : genericPayload(notification, (deps.now ?? (() => new Date()))()),
  );
  let lastError = "unknown error";
  for (let attempt = 0; attempt <= delays.length; attempt++) {
    if (attempt > 0) await sleep(delays[attempt - 1] ?? 0, signal);
    let response: Response;
    try {
      response = await doFetch(destination.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...destination.headers },
        body,
        signal: AbortSignal.any([signal, AbortSignal.timeout(deps.timeoutMs ?? 10_000)]),
      });
    } catch (error) {
      if (signal.aborted) throw error;
      lastError = error instanceof Error && error.name === "TimeoutError" ? "timed out" : "network error";
      continue;
    }
    const text = (await response.text()).slice(0, 200);
    if (response.ok) return { ok: true };
    const detail = destination.kind === "slack-webhook" && text ? text.trim() : `HTTP ${response.status}`;
    lastError = detail === `HTTP ${response.status}` ? detail : `HTTP ${response.status} ${detail}`;
    if (!retryable(response.status)) return { ok: false, error: lastError };
  }
  return { ok: false, error: lastError };
}
