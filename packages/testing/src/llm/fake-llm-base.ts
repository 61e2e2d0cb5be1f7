import { type FakeServer, type RecordedRequest, startFakeServer } from "../http/fake-server.ts";
import type { FakeReply, FakeResponder } from "./fake-reply.ts";

export interface FakeLlm {
  url: string;
  server: FakeServer;
  /** Model requests received so far (JSON bodies), in order. */
  bodies: Record<string, unknown>[];
  requests: RecordedRequest[];
  /** Queue replies; consumed one per model request. */
  enqueue(...replies: FakeReply[]): void;
  /** Used when the queue is empty. Without one, an empty queue answers HTTP 500. */
  respondWith(responder: FakeResponder): void;
  /** Resolves once `count` model requests have arrived (bounded by timeoutMs). */
  waitForRequests(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export type ReplyRenderer = (reply: FakeReply, body: Record<string, unknown>, index: number) => Response;

/** Answers a request that is not a model call (token counting, probes), or undefined for the default 404. */
export type SideRoute = (request: Request, recorded: RecordedRequest) => Response | undefined;

export async function startFakeLlm(
  modelPath: (path: string) => boolean,
  render: ReplyRenderer,
  side?: SideRoute,
): Promise<FakeLlm> {
  const queue: FakeReply[] = [];
  const bodies: Record<string, unknown>[] = [];
  let responder: FakeResponder | undefined;
  const waiters: { count: number; resolve: () => void }[] = [];

  const server = await startFakeServer(async (request, recorded) => {
    const answered = side?.(request, recorded);
    if (answered) return answered;
    if (!modelPath(recorded.path) || request.method !== "POST") {
      return new Response(JSON.stringify({ error: { message: `not found: ${recorded.path}` } }), {
        status: 404,
      });
    }
    const body = JSON.parse(recorded.body || "{}") as Record<string, unknown>;
    const index = bodies.length;
    bodies.push(body);
    for (const w of waiters.filter((w) => bodies.length >= w.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    const reply = queue.shift() ?? (responder ? await responder(body, index) : undefined);
    if (!reply) {
      return new Response(JSON.stringify({ error: { message: "fake LLM: no scripted reply left" } }), {
        status: 500,
        headers: { "content-type": "application/json", "x-should-retry": "false" },
      });
    }
    return render(reply, body, index);
  });

  return {
    url: server.url,
    server,
    bodies,
    requests: server.requests,
    enqueue: (...replies) => queue.push(...replies),
    respondWith: (r) => {
      responder = r;
    },
    waitForRequests(count, timeoutMs = 10_000) {
      if (bodies.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`fake LLM: waited ${timeoutMs} ms for ${count} requests, got ${bodies.length}`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () => server.close(),
    [Symbol.asyncDispose]: () => server.close(),
  };
}

export function httpErrorResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json", ...headers },
  });
}
