/**
 * The server of the Claude Desktop bundle (bundled for Node into server/index.mjs): `ml-intern mcp` over
 * stdio, run in the workspace the user chose (ML_INTERN_WORKSPACE, else ~/ml-intern, created when missing).
 */
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { runMcpCommand } from "@ml-intern/mcp-server/command";
import { resolveBundleLaunch } from "./launch.ts";

async function main(): Promise<number> {
  const { env, workspace } = resolveBundleLaunch({ env: process.env, homeDir: homedir() });
  mkdirSync(workspace, { recursive: true });
  process.chdir(workspace);
  return runMcpCommand(process.argv.slice(2), env, { cwd: workspace });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `ml-intern (Claude Desktop bundle): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
