import type { Env } from "../config/types.ts";

/** `ml-intern mcp ...` is @ml-intern/mcp-server's own command line (stdio or Streamable HTTP). */
export async function runMcpSubcommand(argv: readonly string[], env: Env, cwd: string): Promise<number> {
  const { runMcpCommand } = await import("@ml-intern/mcp-server/command");
  return runMcpCommand(argv, env, { cwd });
}
