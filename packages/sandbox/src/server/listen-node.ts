import type { AddressInfo } from "node:net";
import type { FetchHandler, HttpListener, ListenOptions } from "./http-listener.ts";

/**
 * node:http through @hono/node-server (loaded only here, so Bun never needs it). Global Request/Response
 * are left alone: the host process (an agent embedding the sandbox) keeps its own.
 */
export async function listenWithNode(fetch: FetchHandler, options: ListenOptions): Promise<HttpListener> {
  const { createAdaptorServer } = await import("@hono/node-server");
  const server = createAdaptorServer({ fetch, hostname: options.hostname, overrideGlobalObjects: false });
  if (!("closeAllConnections" in server))
    throw new Error("Expected an HTTP/1 server from @hono/node-server.");
  // Replies come when the command ends, possibly hours later: no request or socket deadline.
  server.requestTimeout = 0;
  server.setTimeout(0);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    port: address.port,
    stop() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
