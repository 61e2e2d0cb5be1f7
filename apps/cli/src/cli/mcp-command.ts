import type { Env } from "../config/types.ts";
import { CliError } from "./exit-codes.ts";

type RunMcpCommand = (argv: readonly string[], env: Env) => Promise<number>;

/** `ml-intern mcp ...` is @ml-intern/mcp-server's own command line. */
export async function runMcpSubcommand(argv: readonly string[], env: Env): Promise<number> {
  // Resolved at run time so the CLI builds before the server package exports its entry point.
  const specifier = "@ml-intern/mcp-server";
  let mod: Record<string, unknown>;
  try {
    mod = (await import(specifier)) as Record<string, unknown>;
  } catch (error) {
    throw new CliError("error", `The MCP server is not available in this build: ${(error as Error).message}`);
  }
  const run = mod.runMcpCommand;
  if (typeof run !== "function") throw new CliError("error", "The MCP server package has no runMcpCommand.");
  return (run as RunMcpCommand)(argv, env);
}
