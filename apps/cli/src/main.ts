#!/usr/bin/env -S bun --no-env-file
/**
 * Entry point. Kept tiny on purpose: `--version` and `--help` answer without loading anything else;
 * every other command loads its own modules lazily.
 */
import pkg from "../package.json" with { type: "json" };
import help from "./help.txt" with { type: "text" };

const argv = process.argv.slice(2);
const first = argv[0];
const delegated = first === "mcp" || first === "sandbox";
const beforeDashDash = argv.indexOf("--") === -1 ? argv : argv.slice(0, argv.indexOf("--"));

if (!delegated && (beforeDashDash.includes("--version") || beforeDashDash.includes("-v"))) {
  process.stdout.write(`${pkg.version}\n`);
} else if (!delegated && (beforeDashDash.includes("--help") || beforeDashDash.includes("-h"))) {
  process.stdout.write(help);
} else {
  // `bun run ml-intern` / `npm run ml-intern` start the script in the checkout's root; the workspace is the folder
  // the user launched it from (npm, pnpm and yarn set INIT_CWD; Bun sets npm_config_local_prefix to it).
  const env = process.env;
  const launchDir =
    env.npm_lifecycle_event === "ml-intern" ? env.INIT_CWD || env.npm_config_local_prefix : undefined;
  if (launchDir && launchDir !== process.cwd()) process.chdir(launchDir);
  const { runCli } = await import("./cli/run-cli.ts");
  const code = await runCli(argv, { env, cwd: process.cwd() });
  // Stray handles (MCP children, sockets) must not keep a finished command alive.
  process.exit(code);
}
