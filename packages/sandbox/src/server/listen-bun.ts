import type { FetchHandler, HttpListener, ListenOptions } from "./http-listener.ts";

/** Bun.serve with no idle timeout: a command may run for hours before its reply. */
export function listenWithBun(fetch: FetchHandler, options: ListenOptions): HttpListener {
  if (typeof Bun === "undefined") throw new Error("The Bun HTTP listener needs the Bun runtime.");
  const server = Bun.serve({ hostname: options.hostname, port: options.port, idleTimeout: 0, fetch });
  return {
    port: server.port ?? options.port,
    async stop() {
      await server.stop(true);
    },
  };
}
