/** A fetch-style handler (hono's `app.fetch`). */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Which HTTP server runs the app: Bun.serve, or node:http through @hono/node-server. */
export type HttpRuntime = "bun" | "node";

export interface ListenOptions {
  hostname: string;
  /** 0 picks a free port. */
  port: number;
}

export interface HttpListener {
  /** The bound port. */
  port: number;
  /** Stops accepting requests and closes open connections. */
  stop(): Promise<void>;
}

/** Bun.serve under Bun, node:http everywhere else. */
export function detectHttpRuntime(): HttpRuntime {
  return typeof Bun !== "undefined" ? "bun" : "node";
}

/** Serves fetch on hostname:port; the runtime's server module is loaded only when it is used. */
export async function listen(
  fetch: FetchHandler,
  options: ListenOptions,
  runtime: HttpRuntime = detectHttpRuntime(),
): Promise<HttpListener> {
  if (runtime === "bun") return (await import("./listen-bun.ts")).listenWithBun(fetch, options);
  return (await import("./listen-node.ts")).listenWithNode(fetch, options);
}
