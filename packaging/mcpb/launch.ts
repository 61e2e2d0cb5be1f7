/**
 * How the bundle's server starts under Claude Desktop: the environment its `mcp_config` produced, read the
 * way `ml-intern mcp` expects it.
 */
import { join } from "node:path";

/** The folder the server runs in (its workspace: the `.env` it reads, the agent's cwd). */
export const WORKSPACE_ENV = "ML_INTERN_WORKSPACE";
/** The folder name under the home directory used when no workspace was chosen. */
export const DEFAULT_WORKSPACE_DIR = "ml-intern";

/**
 * Claude Desktop leaves `${user_config.key}` in place when an optional field has no value and no default
 * (`replaceVariables` in @anthropic-ai/mcpb keeps variables it has no value for).
 */
export function isUnsubstituted(value: string): boolean {
  return /^\$\{user_config\.[^}]*\}$/.test(value.trim());
}

export interface BundleLaunch {
  /** The environment without unsubstituted `${user_config.*}` values, nor empty ones. */
  env: Record<string, string>;
  workspace: string;
}

/** The server's environment and workspace from the process environment Claude Desktop gave the bundle. */
export function resolveBundleLaunch(options: {
  env: Readonly<Record<string, string | undefined>>;
  homeDir: string;
}): BundleLaunch {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(options.env)) {
    if (value === undefined || value.trim() === "" || isUnsubstituted(value)) continue;
    env[key] = value;
  }
  const workspace = env[WORKSPACE_ENV]?.trim() || join(options.homeDir, DEFAULT_WORKSPACE_DIR);
  return { env, workspace };
}
