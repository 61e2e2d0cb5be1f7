import type { HfConfig } from "../config.ts";

const HF_HOST_SUFFIXES = ["huggingface.co", "hf.co"];

function safeUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** Origins the configuration declares as Hugging Face services (the fakes in tests). */
function configuredHfOrigins(config: HfConfig): Set<string> {
  const origins = new Set<string>();
  for (const base of [config.hubUrl, config.docsUrl, config.datasetsServerUrl, config.routerUrl]) {
    const parsed = safeUrl(base);
    if (parsed) origins.add(parsed.origin);
  }
  return origins;
}

/** True when `url` is a Hugging Face host over https, or one of the configured HF base URLs' origins. */
export function isHfUrl(url: string, config: HfConfig): boolean {
  const parsed = safeUrl(url);
  if (!parsed) return false;
  if (configuredHfOrigins(config).has(parsed.origin)) return true;
  if (parsed.protocol !== "https:") return false;
  const host = parsed.hostname.toLowerCase();
  return HF_HOST_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`));
}

/** The web URL of a repo on the configured Hub. */
export function repoWebUrl(config: HfConfig, repoType: RepoKind, repoId: string): string {
  const prefix = repoType === "model" ? "" : `${repoType}s/`;
  return `${config.hubUrl}/${prefix}${repoId}`;
}

export type RepoKind = "model" | "dataset" | "space";
