/** A local HTTP server on 127.0.0.1 (port 0) that records every request, for the real clients to talk to. */

export interface RecordedRequest {
  method: string;
  url: URL;
  path: string;
  headers: Headers;
  body: string;
}

export type FakeHandler = (request: Request, recorded: RecordedRequest) => Response | Promise<Response>;

export interface FakeServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Requests whose path starts with the prefix. */
  requestsTo(pathPrefix: string): RecordedRequest[];
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = Bun.serve({
    hostname: "127.0.0.1",
    port: 0,
    idleTimeout: 0,
    async fetch(request) {
      const url = new URL(request.url);
      const body = request.method === "GET" || request.method === "HEAD" ? "" : await request.clone().text();
      const recorded: RecordedRequest = {
        method: request.method,
        url,
        path: url.pathname,
        headers: request.headers,
        body,
      };
      requests.push(recorded);
      try {
        return await handler(request, recorded);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return new Response(JSON.stringify({ error: `fake server error: ${message}` }), { status: 500 });
      }
    },
  });
  const url = `http://127.0.0.1:${server.port}`;
  const close = async () => {
    await server.stop(true);
  };
  return {
    url,
    port: server.port ?? 0,
    requests,
    requestsTo: (prefix) => requests.filter((r) => r.path.startsWith(prefix)),
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** Server-sent events from a list of frames, optionally paced, dropped or hung. */
export interface SseScript {
  frames: string[];
  /** Milliseconds between frames. */
  delayMs?: number;
  /** Close the connection abruptly (a network error for the client) after this many frames. */
  dropAfter?: number;
  /** Stop sending but keep the connection open after this many frames. */
  hangAfter?: number;
}

export interface SimpleInit {
  status?: number;
  headers?: Record<string, string> | Headers;
}

export function sseResponse(script: SseScript, init: SimpleInit = {}): Response {
  const encoder = new TextEncoder();
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      for (let i = 0; i < script.frames.length; i++) {
        if (cancelled) return;
        if (script.dropAfter !== undefined && i >= script.dropAfter) {
          controller.error(new Error("connection dropped by fake server"));
          return;
        }
        if (script.hangAfter !== undefined && i >= script.hangAfter) return;
        controller.enqueue(encoder.encode(script.frames[i]));
        if (script.delayMs) await Bun.sleep(script.delayMs);
      }
      if (script.dropAfter !== undefined && script.dropAfter >= script.frames.length) {
        controller.error(new Error("connection dropped by fake server"));
        return;
      }
      if (script.hangAfter === undefined) controller.close();
    },
    cancel() {
      cancelled = true;
    },
  });
  const headers = new Headers(init.headers);
  headers.set("content-type", "text/event-stream; charset=utf-8");
  headers.set("cache-control", "no-cache");
  return new Response(stream, { status: init.status, headers });
}

export function jsonResponse(body: unknown, init: SimpleInit = {}): Response {
  const headers = new Headers(init.headers);
  headers.set("content-type", "application/json");
  return new Response(JSON.stringify(body), { status: init.status, headers });
}
