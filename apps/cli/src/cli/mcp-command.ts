import type { Env } from "@ml-intern/core";
import { MCP_HOST_ENTRY, type McpHostModule } from "@ml-intern/runtime/host";
import { CliError } from "./exit-codes.ts";

/** True when `error` says that `specifier` itself (not something it imports) could not be found. */
function isMissing(error: unknown, specifier: string): boolean {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const notFound =
    code === "ERR_MODULE_NOT_FOUND" ||
    code === "MODULE_NOT_FOUND" ||
    /Cannot find (module|package)/.test(message);
  return notFound && message.includes(specifier.split("/").slice(0, 2).join("/"));
}

/**
 * `ml-intern mcp ...` runs the MCP server host's own command line (stdio or Streamable HTTP), which reads
 * the same configuration as this CLI through @ml-intern/runtime. The server is a sibling host, not a
 * dependency of the CLI: it is loaded from where it is installed beside ml-intern (the workspace root, a
 * global install, the Docker image), and the contract it implements is @ml-intern/runtime's McpHostModule.
 */
export async function runMcpSubcommand(argv: readonly string[], env: Env, cwd: string): Promise<number> {
  // A variable specifier: bundlers and the package graph must not turn this into a dependency.
  const specifier: string = MCP_HOST_ENTRY;
  let host: McpHostModule;
  try {
    host = (await import(specifier)) as McpHostModule;
  } catch (error) {
    if (!isMissing(error, specifier)) throw error;
    throw new CliError(
      "usage",
      "ml-intern mcp needs the MCP server package beside the CLI: npm install -g @ml-intern/mcp-server (or bun add -g). " +
        "It runs standalone too: npx @ml-intern/mcp-server [options].",
    );
  }
  return host.runMcpCommand(argv, env, { cwd });
}
