import { createMcpHttpApp, type McpHttpApp, type McpHttpAppDeps } from "./http-app.ts";

export interface ServeHttpOptions extends Omit<McpHttpAppDeps, "bindHost" | "accessToken"> {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Bearer token clients must send (required on non-loopback hosts). */
  token?: string;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  http: McpHttpApp;
  stop(): Promise<void>;
}

/** Serves the MCP app with Bun.serve; the idle timeout is raised above the SSE keep-alive so streams survive. */
export function serveHttp(options: ServeHttpOptions): RunningHttpServer {
  const { host, port, token, ...rest } = options;
  const http = createMcpHttpApp({ ...rest, bindHost: host, ...(token ? { accessToken: token } : {}) });
  const server = Bun.serve({ hostname: host, port, idleTimeout: 255, fetch: http.fetch });
  const actualPort = server.port ?? port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${actualPort}/mcp`,
    port: actualPort,
    http,
    async stop() {
      await http.close();
      await server.stop(true);
    },
  };
}
