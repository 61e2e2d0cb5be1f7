import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import type { Env } from "@ml-intern/core";
import { RuntimeError } from "../errors.ts";
import { deepMerge, isPlainObject } from "./deep-merge.ts";
import builtinConfig from "./default-config.json" with { type: "json" };
import { parseEnvFile } from "./env-file.ts";
import { applyEnvTrust, createEnvTrustStore, type UntrustedEndpoint } from "./env-trust.ts";
import { configSchema, type MlInternConfig } from "./schema.ts";
import { SubstitutionError, substituteEnv } from "./substitute.ts";

/** How the shipped defaults appear in `sources` (they are bundled into the package, not read from disk). */
export const BUILTIN_CONFIG_SOURCE = "(built-in defaults)";

/** The configuration shipped inside this package (src/config/default-config.json). */
export function builtinConfigObject(): Record<string, unknown> {
  return structuredClone(builtinConfig) as Record<string, unknown>;
}

export interface LoadConfigOptions {
  /** The process environment. */
  env: Env;
  /** Launch directory: its `.env` is read and relative paths resolve against it. */
  cwd: string;
  /** `--config <file>`. */
  configFile?: string;
  /** Replaces the shipped defaults (tests, embedders with their own base configuration). */
  builtin?: Record<string, unknown>;
  homeDir?: string;
}

export interface LoadedConfig {
  config: MlInternConfig;
  /** The process environment with `.env` values filled in underneath (the environment wins). */
  env: Env;
  /** Files that were read, in merge order. */
  sources: string[];
  /** Where a variable of `env` came from: "the environment" or the `.env` file's path (undefined when unset). */
  envSource(name: string): string | undefined;
  /**
   * Endpoint variables of the launch directory's `.env` that were ignored because the credentials they would
   * receive come from elsewhere (see applyEnvTrust), and one stderr line per decision for the host to print.
   */
  ignoredEndpoints: UntrustedEndpoint[];
  envNotices: string[];
  /**
   * True when a config file or ML_INTERN_DEFAULT_MODEL_ID named the model; false when `config.model_name` is
   * only the schema default, so a host should use chooseDefaultModel(env) instead (see default-model.ts).
   */
  modelNamed: boolean;
}

function configError(message: string): RuntimeError {
  return new RuntimeError("config", message);
}

function readJsonObject(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw configError(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw configError(`Config file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(value)) throw configError(`Config file ${path} must contain a JSON object.`);
  return value;
}

/** `ML_INTERN_CLI_CONFIG` (must exist), else `$XDG_CONFIG_HOME/ml-intern/config.json` if present. */
export function userConfigPath(env: Env, homeDir: string): string | undefined {
  const explicit = env.ML_INTERN_CLI_CONFIG?.trim();
  if (explicit) {
    if (!existsSync(explicit))
      throw configError(`ML_INTERN_CLI_CONFIG points at ${explicit}, which does not exist.`);
    return explicit;
  }
  const base = env.XDG_CONFIG_HOME?.trim() || join(homeDir, ".config");
  const path = join(base, "ml-intern", "config.json");
  return existsSync(path) ? path : undefined;
}

/** `$XDG_CONFIG_HOME/ml-intern/.env`: keys the interactive CLI saved for you (below the launch dir's `.env`). */
export function userEnvPath(env: Env, homeDir: string): string {
  return join(env.XDG_CONFIG_HOME?.trim() || join(homeDir, ".config"), "ml-intern", ".env");
}

export function loadDotEnv(cwd: string): Record<string, string> {
  return readEnvFile(join(cwd, ".env"));
}

function readEnvFile(path: string): Record<string, string> {
  if (!existsSync(path)) return {};
  try {
    return parseEnvFile(readFileSync(path, "utf8"));
  } catch (error) {
    throw configError(`Cannot read ${path}: ${(error as Error).message}`);
  }
}

/**
 * Loads, merges, substitutes and validates the configuration every host uses: the shipped defaults, then
 * the user's file, then `--config <file>`. Throws RuntimeError("config").
 */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const processEnv = stripUndefined(options.env);
  const homeDir = options.homeDir ?? processEnv.HOME ?? homedir();
  // Precedence: the environment, then the launch directory's .env, then the user's saved keys.
  const userEnvFile = userEnvPath(processEnv, homeDir);
  const userEnv = readEnvFile(userEnvFile);
  const launchEnv = loadDotEnv(options.cwd);
  const merged0: Env = { ...userEnv, ...launchEnv, ...processEnv };
  // Bun itself may have loaded the launch directory's .env into the process environment, so a value equal to
  // the file's is attributed to the file: that is where the user would change it.
  const sourceIn =
    (env: Env) =>
    (name: string): string | undefined => {
      const value = env[name];
      if (value === undefined) return undefined;
      if (launchEnv[name] === value) return join(options.cwd, ".env");
      if (processEnv[name] !== undefined) return "the environment";
      return userEnv[name] === value ? userEnvFile : undefined;
    };
  // The launch .env may not point credentials from elsewhere at a host of its choosing.
  const trusted = applyEnvTrust({
    env: merged0,
    launchEnv,
    launchDir: options.cwd,
    sourceOf: sourceIn(merged0),
    fallback: (name) =>
      processEnv[name] !== undefined && processEnv[name] !== launchEnv[name]
        ? processEnv[name]
        : userEnv[name],
    store: createEnvTrustStore(processEnv, homeDir),
    // Only an answer given outside the directory counts (a .env cannot trust itself).
    trustNow: processEnv.ML_INTERN_TRUST_DOTENV === "1" && launchEnv.ML_INTERN_TRUST_DOTENV === undefined,
  });
  const env = trusted.env;
  const envSource = sourceIn(env);
  const sources: string[] = [BUILTIN_CONFIG_SOURCE];
  let merged = options.builtin ?? builtinConfigObject();
  const user = userConfigPath(env, homeDir);
  if (user) {
    merged = deepMerge(merged, readJsonObject(user));
    sources.push(user);
  }
  if (options.configFile) {
    const path = resolve(options.cwd, options.configFile);
    if (!existsSync(path)) throw configError(`--config ${options.configFile}: file not found (${path}).`);
    merged = deepMerge(merged, readJsonObject(path));
    sources.push(path);
  }

  // ML_INTERN_DEFAULT_MODEL_ID changes the default model, below every file that names one.
  const defaultModel = env.ML_INTERN_DEFAULT_MODEL_ID?.trim();
  if (defaultModel && merged.model_name === undefined) merged = { ...merged, model_name: defaultModel };
  const modelNamed = merged.model_name !== undefined;

  let substituted: unknown;
  try {
    substituted = substituteEnv(merged, env);
  } catch (error) {
    if (error instanceof SubstitutionError) throw configError(error.message);
    throw error;
  }

  const parsed = configSchema.safeParse(substituted);
  if (!parsed.success) {
    const issues = flattenIssues(parsed.error.issues, []).map(({ path, message }) => {
      return `  ${path.length ? path.join(".") : "(root)"}: ${message}`;
    });
    const from = sources.length ? ` (from ${sources.join(", ")})` : "";
    throw configError(`Invalid configuration${from}:\n${issues.join("\n")}`);
  }
  return {
    config: parsed.data,
    env,
    sources,
    envSource,
    ignoredEndpoints: trusted.ignored,
    envNotices: trusted.notices,
    modelNamed,
  };
}

function stripUndefined(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v;
  return out;
}

interface FlatIssue {
  path: PropertyKey[];
  message: string;
}

interface IssueLike {
  code: string;
  path: PropertyKey[];
  message: string;
  errors?: IssueLike[][];
}

/** Union failures are replaced by the issues of the closest alternative, so errors name the real field. */
function flattenIssues(issues: readonly IssueLike[], prefix: PropertyKey[]): FlatIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path];
    if (issue.code === "invalid_union" && issue.errors?.length) {
      const closest = [...issue.errors].sort((a, b) => a.length - b.length)[0]!;
      if (closest.length) return flattenIssues(closest, path);
    }
    return [{ path, message: issue.message }];
  });
}
