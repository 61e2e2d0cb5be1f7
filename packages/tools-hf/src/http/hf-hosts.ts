import type { HfConfig } from "../config.ts";

/** Hosts (and their subdomains) that are Hugging Face itself: the Hub, its CDN and API hosts. */
const HF_HOST_SUFFIXES = ["huggingface.co", "hf.co"];
/** Spaces are served from `{owner}-{name}.hf.space`: user code, so not Hugging Face by default. */
const SPACE_SUFFIX = "hf.space";

export interface HfHostOptions {
  /** Origins that count as Hugging Face too (the configured Hub endpoint, the fakes in tests), any scheme. */
  origins?: readonly (string | undefined)[];
  /** Namespaces the token's owner controls (their user name and orgs): their Spaces count as Hugging Face. */
  spaceNamespaces?: readonly string[];
  /** Space hosts configured explicitly (e.g. the session's own sandbox Space), e.g. `alice-sandbox.hf.space`. */
  spaceHosts?: readonly string[];
}

function safeUrl(url: string | URL): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** The subdomain prefix of a namespace's Spaces: lower case, anything but letters and digits becomes `-`. */
export function spaceHostPrefix(namespace: string): string {
  return `${namespace.toLowerCase().replace(/[^a-z0-9]/g, "-")}-`;
}

/** True when the URL is served from `*.hf.space` (a Space). */
export function isSpaceUrl(url: string | URL): boolean {
  const host = safeUrl(url)?.hostname.toLowerCase();
  return host?.endsWith(`.${SPACE_SUFFIX}`) === true;
}

/**
 * The one check of whether a URL may receive the user's Hugging Face token: https on huggingface.co, hf.co
 * or their subdomains; one of `origins` (the configured Hub endpoint); or, on `*.hf.space`, only a Space of a
 * namespace the user owns or a Space host configured explicitly — never any Space.
 */
export function isHuggingFaceUrl(url: string | URL, options: HfHostOptions = {}): boolean {
  const parsed = safeUrl(url);
  if (!parsed) return false;
  for (const origin of options.origins ?? []) {
    if (origin && safeUrl(origin)?.origin === parsed.origin) return true;
  }
  if (parsed.protocol !== "https:") return false;
  const host = parsed.hostname.toLowerCase();
  if (HF_HOST_SUFFIXES.some((suffix) => host === suffix || host.endsWith(`.${suffix}`))) return true;
  if (!host.endsWith(`.${SPACE_SUFFIX}`)) return false;
  if ((options.spaceHosts ?? []).some((h) => h.toLowerCase() === parsed.host.toLowerCase())) return true;
  const sub = host.slice(0, -(SPACE_SUFFIX.length + 1));
  return (
    !sub.includes(".") && (options.spaceNamespaces ?? []).some((ns) => sub.startsWith(spaceHostPrefix(ns)))
  );
}

/** True when `url` is a Hugging Face host over https, or one of the configured HF base URLs' origins. */
export function isHfUrl(url: string, config: HfConfig): boolean {
  return isHuggingFaceUrl(url, {
    origins: [config.hubUrl, config.docsUrl, config.datasetsServerUrl, config.routerUrl],
  });
}

/** The web URL of a repo on the configured Hub. */
export function repoWebUrl(config: HfConfig, repoType: RepoKind, repoId: string): string {
  const prefix = repoType === "model" ? "" : `${repoType}s/`;
  return `${config.hubUrl}/${prefix}${repoId}`;
}

export type RepoKind = "model" | "dataset" | "space";
