import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Env } from "@ml-intern/core";
import { userEnvPath } from "@ml-intern/runtime/config";

/**
 * Saves an API key the user pasted into `$XDG_CONFIG_HOME/ml-intern/.env` (mode 0600), replacing an earlier
 * value of the same variable and keeping every other line. The config loader reads this file under the
 * launch directory's `.env` and the environment. Returns the file's path.
 */
export function saveUserKey(name: string, value: string, env: Env, homeDir: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`Invalid variable name ${name}.`);
  const clean = value.trim();
  if (!clean || /[\s"'\\]/.test(clean)) throw new Error(`That does not look like a key for ${name}.`);
  const path = userEnvPath(env, homeDir);
  const lines = existsSync(path)
    ? readFileSync(path, "utf8").split("\n")
    : ["# Keys saved by ml-intern (mode 0600)."];
  const assignment = new RegExp(`^\\s*(export\\s+)?${name}\\s*=`);
  const kept = lines.filter((line) => !assignment.test(line) && line !== "");
  kept.push(`${name}=${clean}`);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${kept.join("\n")}\n`, { mode: 0o600 });
  return path;
}
