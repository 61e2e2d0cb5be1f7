import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type Env, resolveModelId } from "@ml-intern/core";
import { chooseDefaultModel } from "./default-model.ts";

/**
 * The model the user last picked with /model, kept in the state home so the next session starts with it
 * (when neither --model nor a configured model_name names one and its credentials are still present).
 */
export function lastModelFile(stateHome: string): string {
  return join(stateHome, "last-model.json");
}

const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/-]{2,199}$/;

/** The remembered model id, or undefined (no file, unreadable, or not a model id). */
export function readLastModel(stateHome: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(lastModelFile(stateHome), "utf8"));
    const model = (parsed as { model?: unknown } | null)?.model;
    return typeof model === "string" && MODEL_ID.test(model) ? model : undefined;
  } catch {
    return undefined;
  }
}

/** Remembers `model` (atomic write, 0600). Best effort: a read-only home only loses the memory. */
export function rememberModel(stateHome: string, model: string, now: Date = new Date()): boolean {
  if (!MODEL_ID.test(model)) return false;
  const file = lastModelFile(stateHome);
  const temp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(temp, `${JSON.stringify({ model, at: now.toISOString() })}\n`, { mode: 0o600 });
    renameSync(temp, file);
    return true;
  } catch {
    return false;
  }
}

/** True when `env` holds what `model` needs to be called (its key, AWS for Bedrock, nothing for local servers). */
export function hasModelCredentials(model: string, env: Env): boolean {
  try {
    const resolved = resolveModelId(model, env);
    if (resolved.kind === "bedrock" || resolved.apiKey) return true;
    return resolved.kind === "anthropic" && Boolean(env.ANTHROPIC_AUTH_TOKEN);
  } catch {
    return false;
  }
}

/** Where a session's model came from: a flag or model_name, the last /model pick, or the keys present. */
export type ModelSource = "named" | "last-pick" | "credentials";

/**
 * The model a session starts with: the one named (flag, variable or model_name), else the last /model pick
 * while its credentials are present, else the default for the keys present (chooseDefaultModel).
 */
export function pickStartModel(
  named: string | undefined,
  env: Env,
  stateHome: string,
): { model: string; source: ModelSource } {
  if (named) return { model: named, source: "named" };
  const last = readLastModel(stateHome);
  if (last && hasModelCredentials(last, env)) return { model: last, source: "last-pick" };
  return { model: chooseDefaultModel(env), source: "credentials" };
}
