import { createMcpHttpApp, type McpHttpApp, type McpHttpAppDeps } from "./http-app.ts";
import { createMemoryGovernor, type MemoryGovernor, type MemoryGovernorOptions } from "./memory-governor.ts";

export interface ServeHttpOptions extends Omit<McpHttpAppDeps, "bindHost" | "accessToken"> {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Bearer token clients must send (required on non-loopback hosts). */
  token?: string;
  /** RSS soft limit and idle collection (see createMemoryGovernor); false turns it off. */
  memory?: MemoryGovernorOptions | false;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  http: McpHttpApp;
  memory?: MemoryGovernor;
  stop(): Promise<void>;
}

/**
 * Serves the MCP app with Bun.serve; the idle timeout is raised above the SSE keep-alive so streams survive,
 * and a memory governor keeps RSS near the live size under load and gives memory back when a load ends.
 */
export function serveHttp(options: ServeHttpOptions): RunningHttpServer {
  const { host, port, token, memory, ...rest } = options;
  const http = createMcpHttpApp({ ...rest, bindHost: host, ...(token ? { accessToken: token } : {}) });
  const governor = memory === false ? undefined : createMemoryGovernor(memory);
  const server = Bun.serve({
    hostname: host,
    port,
    idleTimeout: 255,
    fetch(request, bun) {
      governor?.noteRequest();
      // Looked up only when read (a new session's limits), not on every request.
      return http.fetch(request, {
        get address() {
          return bun.requestIP(request)?.address;
        },
      });
    },
  });
  const actualPort = server.port ?? port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${actualPort}/mcp`,
    port: actualPort,
    http,
    ...(governor ? { memory: governor } : {}),
    async stop() {
      governor?.stop();
      await http.close();
      await server.stop(true);
    },
  };
}
