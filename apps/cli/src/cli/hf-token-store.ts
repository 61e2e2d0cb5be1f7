import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Env } from "@ml-intern/core";

/** Where huggingface_hub and the `hf` CLI keep the token: HF_TOKEN_PATH, else $HF_HOME/token, else ~/.cache/huggingface/token. */
export function hfTokenPath(env: Env, homeDir: string): string {
  if (env.HF_TOKEN_PATH?.trim()) return env.HF_TOKEN_PATH.trim();
  const hfHome =
    env.HF_HOME?.trim() || join(env.XDG_CACHE_HOME?.trim() || join(homeDir, ".cache"), "huggingface");
  return join(hfHome, "token");
}

export function readStoredHfToken(env: Env, homeDir: string): string | undefined {
  const path = hfTokenPath(env, homeDir);
  if (!existsSync(path)) return undefined;
  try {
    const token = readFileSync(path, "utf8").trim();
    return token || undefined;
  } catch {
    return undefined;
  }
}

/** Saves the token where the Hugging Face tools look for it (file mode 0600). */
export function storeHfToken(token: string, env: Env, homeDir: string): string {
  const path = hfTokenPath(env, homeDir);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileSync(path, `${token.trim()}\n`, { mode: 0o600 });
  return path;
}
