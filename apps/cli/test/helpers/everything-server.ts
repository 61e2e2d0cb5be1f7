import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

/** Path of @modelcontextprotocol/server-everything's entry (the real server from npm). */
export const EVERYTHING_SERVER = require.resolve("@modelcontextprotocol/server-everything/dist/index.js");

/** A stdio server entry for the config that starts server-everything under Bun. */
export function everythingStdioConfig() {
  return {
    command: process.execPath,
    args: [EVERYTHING_SERVER, "stdio"],
    env: {},
    enabled: true,
  };
}
