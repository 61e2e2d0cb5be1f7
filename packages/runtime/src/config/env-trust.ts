import { mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Env } from "@ml-intern/core";

/**
 * Endpoint variables and the credentials each one receives. A launch directory's `.env` (a cloned repository's,
 * or one a sandboxed command appended to) must not be able to send credentials that came from elsewhere to a host
 * of its choosing.
 */
export const ENDPOINT_CREDENTIALS: Readonly<Record<string, readonly string[]>> = {
  ANTHROPIC_BASE_URL: ["ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"],
  OPENAI_BASE_URL: ["OPENAI_API_KEY"],
  HF_ENDPOINT: ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"],
  HF_ROUTER_URL: ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"],
  HF_DATASETS_SERVER_URL: ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"],
  ML_INTERN_HF_DOCS_URL: ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"],
  GITHUB_API_URL: ["GITHUB_TOKEN"],
  // Bedrock signs with the AWS credential chain (~/.aws too), so only keys in the same file make it safe.
  BEDROCK_BASE_URL: ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"],
};

/** Endpoints whose credentials can come from places we cannot see (the AWS chain): trusted only with keys beside them. */
const NEEDS_KEY_IN_SAME_FILE: Readonly<Record<string, string>> = { BEDROCK_BASE_URL: "AWS_ACCESS_KEY_ID" };

export interface UntrustedEndpoint {
  name: string;
  value: string;
  /** The credentials it would have received, and where each came from. */
  credentials: { name: string; from: string }[];
}

export interface EnvTrustStore {
  /** Whether the user said yes to `name=value` from this directory's `.env`. */
  isTrusted(dir: string, name: string, value: string): boolean;
  trust(dir: string, entries: readonly { name: string; value: string }[]): void;
  readonly path: string;
}

interface TrustFile {
  version: 1;
  dirs: Record<string, Record<string, string>>;
}

const canonical = (dir: string): string => {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
};

/** `$XDG_CONFIG_HOME/ml-intern/trusted-env.json`: per directory, the exact endpoint values the user trusted. */
export function createEnvTrustStore(env: Env, homeDir: string): EnvTrustStore {
  const path = join(env.XDG_CONFIG_HOME?.trim() || join(homeDir, ".config"), "ml-intern", "trusted-env.json");
  const read = (): TrustFile => {
    try {
      const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<TrustFile>;
      if (parsed && typeof parsed.dirs === "object" && parsed.dirs) return { version: 1, dirs: parsed.dirs };
    } catch {
      // Missing or unreadable: nothing is trusted.
    }
    return { version: 1, dirs: {} };
  };
  return {
    path,
    isTrusted: (dir, name, value) => read().dirs[canonical(dir)]?.[name] === value,
    trust(dir, entries) {
      const file = read();
      const key = canonical(dir);
      const vars = { ...file.dirs[key] };
      for (const e of entries) vars[e.name] = e.value;
      file.dirs[key] = vars;
      mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
      renameSync(tmp, path);
    },
  };
}

export interface EnvTrustInput {
  /** The merged environment (process over launch `.env` over the user's saved keys). */
  env: Env;
  /** What the launch directory's `.env` holds. */
  launchEnv: Readonly<Record<string, string>>;
  launchDir: string;
  /** Where a variable of `env` came from (for the message). */
  sourceOf(name: string): string | undefined;
  /** The value to fall back to when the `.env`'s endpoint is ignored (process env or user's saved file). */
  fallback(name: string): string | undefined;
  store: EnvTrustStore;
  /** The user said, outside the directory (ML_INTERN_TRUST_DOTENV=1), to trust it now: remembered. */
  trustNow?: boolean;
}

export interface EnvTrustResult {
  env: Env;
  /** Endpoints ignored (not trusted with credentials from elsewhere). */
  ignored: UntrustedEndpoint[];
  /** Endpoints honoured because they were trusted now. */
  trustedNow: UntrustedEndpoint[];
  /** One line per decision, for stderr. */
  notices: string[];
}

/**
 * Drops endpoint variables that come from the launch directory's `.env` when the credentials they would
 * receive come from somewhere else (the environment, the user's saved keys, the AWS chain), unless the user
 * trusted exactly that value for that directory. Keys in the same file make the endpoint the file's own business.
 */
export function applyEnvTrust(input: EnvTrustInput): EnvTrustResult {
  const env: Record<string, string | undefined> = { ...input.env };
  const ignored: UntrustedEndpoint[] = [];
  const trustedNow: UntrustedEndpoint[] = [];
  const dotenv = join(input.launchDir, ".env");
  for (const [name, credentialNames] of Object.entries(ENDPOINT_CREDENTIALS)) {
    const value = input.launchEnv[name];
    if (value === undefined || env[name] !== value) continue; // not from the .env (or overridden by the environment)
    const foreign = credentialNames
      .filter((c) => env[c] !== undefined && input.launchEnv[c] !== env[c])
      .map((c) => ({ name: c, from: input.sourceOf(c) ?? "elsewhere" }));
    const sameFileKey = NEEDS_KEY_IN_SAME_FILE[name];
    if (sameFileKey && input.launchEnv[sameFileKey] === undefined && foreign.length === 0) {
      foreign.push({ name: "the AWS credential chain", from: "~/.aws or the environment" });
    }
    if (foreign.length === 0) continue;
    const entry = { name, value, credentials: foreign };
    if (input.store.isTrusted(input.launchDir, name, value)) continue;
    if (input.trustNow) {
      trustedNow.push(entry);
      continue;
    }
    ignored.push(entry);
    const fallback = input.fallback(name);
    if (fallback === undefined) delete env[name];
    else env[name] = fallback;
  }
  if (trustedNow.length) input.store.trust(input.launchDir, trustedNow);
  const notices = [
    ...ignored.map(
      (e) =>
        `ml-intern: ignored ${e.name}=${e.value} from ${dotenv}: it would receive ${e.credentials
          .map((c) => `${c.name} (from ${c.from})`)
          .join(", ")}. Put the key in the same .env, or trust this folder's value with ` +
        `ML_INTERN_TRUST_DOTENV=1 (remembered in ${input.store.path}).`,
    ),
    ...trustedNow.map(
      (e) => `ml-intern: trusting ${e.name}=${e.value} from ${dotenv} (remembered in ${input.store.path}).`,
    ),
  ];
  return { env, ignored, trustedNow, notices };
}
