import type { Readable, Writable } from "node:stream";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { createMcpServer, type McpServerDeps } from "./server.ts";

export interface StdioServing {
  /** Resolves when the client disconnects (stdin closes). */
  closed: Promise<void>;
  close(): Promise<void>;
}

/** Serves one MCP session over stdin/stdout (stdout carries JSON-RPC only; logs go to stderr). */
export async function serveStdio(
  deps: McpServerDeps,
  io: { stdin?: Readable; stdout?: Writable } = {},
): Promise<StdioServing> {
  const server = createMcpServer(deps);
  const transport = new StdioServerTransport(io.stdin, io.stdout);
  let resolveClosed!: () => void;
  const closed = new Promise<void>((r) => {
    resolveClosed = r;
  });
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
