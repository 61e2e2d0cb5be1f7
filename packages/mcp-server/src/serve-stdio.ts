import type { Readable, Writable } from "node:stream";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createMcpServer, type McpServerDeps } from "./server.ts";

export interface StdioServing {
  /** Resolves when the client disconnects (stdin closes). */
  closed: Promise<void>;
  close(): Promise<void>;
}

export interface StdioDeps extends Omit<McpServerDeps, "tools"> {
  /** The tools, or a promise of them: messages wait (buffered on stdin) until they are loaded. */
  tools: McpServerDeps["tools"] | Promise<McpServerDeps["tools"]>;
}

/**
 * Serves one MCP session over stdin/stdout (stdout carries JSON-RPC only; logs go to stderr). The server
 * connects once the tools are loaded, so the SDK's tools/call handler always finds them. When loading
 * fails it never connects; the caller observes the rejection of `deps.tools`.
 */
export async function serveStdio(
  deps: StdioDeps,
  io: { stdin?: Readable; stdout?: Writable } = {},
): Promise<StdioServing> {
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => {
    resolveClosed = r;
  });
  let server: McpServer | undefined;
  try {
    server = createMcpServer({ ...deps, tools: await deps.tools });
  } catch {
    return { closed, close: async () => resolveClosed() };
  }
  const transport = new StdioServerTransport(io.stdin, io.stdout);
  transport.onclose = () => resolveClosed();
  await server.connect(transport);
  const stdin = io.stdin ?? process.stdin;
  stdin.once("end", () => {
    void server.close().finally(resolveClosed);
  });
  return {
    closed,
    async close() {
      await server.close();
      resolveClosed();
    },
  };
}
