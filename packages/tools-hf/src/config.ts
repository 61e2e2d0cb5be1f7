import type { Env } from "@ml-intern/tool";
/** Everything the HF tools need to reach Hugging Face (and the research services around it). */
export interface HfConfig {
  /** Default token; a per-call `ctx.auth.hfToken` overrides it. */
  token?: string;
  /** The Hub (HF_ENDPOINT), without a trailing slash. */
  hubUrl: string;
  /** Where documentation lives (`/api/docs`, `/docs/<slug>/llms.txt`); defaults to the Hub. */
  docsUrl: string;
  /** The dataset viewer API (HF_DATASETS_SERVER_URL). */
  datasetsServerUrl: string;
  /** The inference router (HF_ROUTER_URL); an HF host, so it may receive the token. */
  routerUrl: string;
  /** Semantic Scholar API (ML_INTERN_S2_URL); never receives the HF token. */
  s2Url: string;
  /** Optional Semantic Scholar key (S2_API_KEY), sent as `x-api-key` to S2 only. */
  s2ApiKey?: string;
  /** arXiv (ML_INTERN_ARXIV_URL) for paper HTML; never receives the HF token. */
  arxivUrl: string;
  /** Gradio documentation (ML_INTERN_GRADIO_DOCS_URL); never receives the HF token. */
  gradioDocsUrl: string;
}

export const DEFAULT_HF_CONFIG: Readonly<HfConfig> = {
  hubUrl: "https://huggingface.co",
  docsUrl: "https://huggingface.co",
  datasetsServerUrl: "https://datasets-server.huggingface.co",
  routerUrl: "https://router.huggingface.co/v1",
  s2Url: "https://api.semanticscholar.org",
  arxivUrl: "https://arxiv.org",
  gradioDocsUrl: "https://www.gradio.app",
};

const trimSlash = (url: string): string => url.replace(/\/+$/, "");

function pick(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

/** Builds the config from environment variables; every base URL is overridable. */
export function hfConfigFromEnv(env: Env): HfConfig {
  const hubUrl = trimSlash(pick(env, "HF_ENDPOINT") ?? DEFAULT_HF_CONFIG.hubUrl);
  const config: HfConfig = {
    hubUrl,
    docsUrl: trimSlash(pick(env, "ML_INTERN_HF_DOCS_URL") ?? hubUrl),
    datasetsServerUrl: trimSlash(pick(env, "HF_DATASETS_SERVER_URL") ?? DEFAULT_HF_CONFIG.datasetsServerUrl),
    routerUrl: trimSlash(pick(env, "HF_ROUTER_URL") ?? DEFAULT_HF_CONFIG.routerUrl),
    s2Url: trimSlash(pick(env, "ML_INTERN_S2_URL") ?? DEFAULT_HF_CONFIG.s2Url),
    arxivUrl: trimSlash(pick(env, "ML_INTERN_ARXIV_URL") ?? DEFAULT_HF_CONFIG.arxivUrl),
    gradioDocsUrl: trimSlash(pick(env, "ML_INTERN_GRADIO_DOCS_URL") ?? DEFAULT_HF_CONFIG.gradioDocsUrl),
  };
  const token = pick(env, "HF_TOKEN") ?? pick(env, "HUGGING_FACE_HUB_TOKEN");
  if (token) config.token = token;
  const s2Key = pick(env, "S2_API_KEY");
  if (s2Key) config.s2ApiKey = s2Key;
  return config;
}

/** Builds a config from partial overrides (tests, embedders). */
export function createHfConfig(overrides: Partial<HfConfig> = {}): HfConfig {
  const hubUrl = trimSlash(overrides.hubUrl ?? DEFAULT_HF_CONFIG.hubUrl);
  return {
    ...DEFAULT_HF_CONFIG,
    ...overrides,
    hubUrl,
    docsUrl: trimSlash(overrides.docsUrl ?? hubUrl),
  };
}
