import type { ReasoningEffort } from "@ml-intern/core";

/** The model every host uses when neither a flag nor the configuration names one. */
export const DEFAULT_MODEL = "anthropic/claude-sonnet-5-5";

/** Reasoning effort (thinking) by default; the config's `reasoning_effort` overrides it. */
export const DEFAULT_REASONING_EFFORT: ReasoningEffort = "high";

/** The config value `off`/`null` disables reasoning; anything else is passed to the provider. */
export function effortOf(value: ReasoningEffort | "off" | null | undefined): ReasoningEffort | undefined {
  return value === null || value === undefined || value === "off" ? undefined : value;
}
