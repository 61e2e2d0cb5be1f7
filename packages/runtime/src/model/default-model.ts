import type { ReasoningEffort } from "@ml-intern/core";

/** The model every host uses when neither a flag nor the configuration names one. */
export const DEFAULT_MODEL = "anthropic/claude-sonnet-5-5";

/**
 * The default when only a Hugging Face token is present: a tool-capable model through the HF Inference Router
 * (the original's default for free users), so HF_TOKEN alone is enough to start, as it was in the original.
 */
export const DEFAULT_ROUTER_MODEL = "moonshotai/Kimi-K2.6:novita";

/**
 * The default model for the credentials present, used only when the user named none (no --model, no
 * model_name in a config file, no ML_INTERN_DEFAULT_MODEL_ID): Anthropic when ANTHROPIC_API_KEY or
 * ANTHROPIC_AUTH_TOKEN is set, else the router model when HF_TOKEN or HUGGING_FACE_HUB_TOKEN is set, else
 * DEFAULT_MODEL (whose missing key then fails with a message naming both ways).
 */
export function chooseDefaultModel(env: Readonly<Record<string, string | undefined>>): string {
  if (env.ANTHROPIC_API_KEY || env.ANTHROPIC_AUTH_TOKEN) return DEFAULT_MODEL;
  if (env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN) return DEFAULT_ROUTER_MODEL;
  return DEFAULT_MODEL;
}

/** Reasoning effort (thinking) by default; the config's `reasoning_effort` overrides it. */
export const DEFAULT_REASONING_EFFORT: ReasoningEffort = "high";

/** The config value `off`/`null` disables reasoning; anything else is passed to the provider. */
export function effortOf(value: ReasoningEffort | "off" | null | undefined): ReasoningEffort | undefined {
  return value === null || value === undefined || value === "off" ? undefined : value;
}
