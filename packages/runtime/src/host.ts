import type { Readable, Writable } from "node:stream";
import type { Env } from "@ml-intern/core";

/** What a host command (such as the MCP server's `ml-intern mcp`) gets besides its arguments. */
export interface HostCommandIo {
  stdin?: Readable;
  stdout?: Writable;
  /** Log lines (stderr by default). */
  log?: (message: string) => void;
  cwd?: string;
  /** Stops a long-running server (defaults to SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Called once an HTTP server listens (tests, embedders), with the access token callers must send, if any. */
  onListening?: (url: string, token?: string) => void;
  fetch?: typeof fetch;
}

/** A host's command line: runs until done and returns the process exit code. */
export type HostCommand = (argv: readonly string[], env: Env, io?: HostCommandIo) => Promise<number>;

/**
 * The module a host publishes for `ml-intern <name>` to load without a package dependency between the
 * hosts: `ml-intern mcp` imports `@ml-intern/mcp-server/command` and calls its `runMcpCommand`.
 */
export interface McpHostModule {
  runMcpCommand: HostCommand;
}

/** The specifier of the MCP server's command entry (installed beside the CLI, not a dependency of it). */
export const MCP_HOST_ENTRY = "@ml-intern/mcp-server/command";
