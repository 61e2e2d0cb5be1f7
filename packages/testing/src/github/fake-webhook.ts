/** A webhook receiver (Slack incoming webhook or generic JSON webhook) that records payloads and can fail on demand. */
import { type FakeServer, startFakeServer } from "../http/fake-server.ts";

export interface FakeWebhookOptions {
  /** "slack" answers `ok` / Slack error strings as text; "generic" answers JSON. */
  flavor: "slack" | "generic";
  /** Status codes for the first requests, in order (e.g. [500, 429]); later requests succeed. */
  failures?: number[];
}

export interface FakeWebhook extends FakeServer {
  /** Parsed JSON bodies of every POST received, in order. */
  payloads(): unknown[];
  /** Resolves when at least `count` payloads arrived; rejects after `timeoutMs`. */
  waitForPayloads(count: number, timeoutMs?: number): Promise<unknown[]>;
}

const SLACK_ERRORS: Record<number, string> = {
  400: "invalid_payload",
  403: "invalid_token",
  404: "no_service",
  410: "channel_is_archived",
  429: "rate_limited",
  500: "rollup_error",
};

export async function startFakeWebhook(options: FakeWebhookOptions): Promise<FakeWebhook> {
  const failures = [...(options.failures ?? [])];
  const received: unknown[] = [];
  const waiters: Array<() => void> = [];
  const server = await startFakeServer(async (request) => {
    if (request.method !== "POST") return new Response("method not allowed", { status: 405 });
    const status = failures.shift();
    if (status !== undefined) {
      const headers: Record<string, string> = status === 429 ? { "retry-after": "1" } : {};
      return options.flavor === "slack"
        ? new Response(SLACK_ERRORS[status] ?? "error", { status, headers })
        : Response.json({ error: `failure ${status}` }, { status, headers });
    }
    let body: unknown;
    try {
      body = await request.json();
    } catch {
      return options.flavor === "slack"
        ? new Response("invalid_payload", { status: 400 })
        : Response.json({ error: "invalid json" }, { status: 400 });
    }
    received.push(body);
    for (const wake of waiters.splice(0)) wake();
    return options.flavor === "slack" ? new Response("ok") : Response.json({ ok: true });
  });
  return {
    ...server,
    payloads: () => [...received],
    async waitForPayloads(count, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        const remaining = deadline - Date.now();
        if (remaining <= 0) throw new Error(`expected ${count} webhook payloads, got ${received.length}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, remaining);
          waiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      return [...received];
    },
  };
}
