import type { Env } from "@ml-intern/tool";
/** Parses a model id into the provider that serves it, its endpoint and the credential it needs. */

export type ProviderKind = "anthropic" | "bedrock" | "openai-compatible";

export interface ResolvedModel {
  id: string;
  kind: ProviderKind;
  /** Short provider name for messages and pricing: anthropic, bedrock, hf-router, openai, ollama, vllm, lm_studio, llamacpp. */
  provider: string;
  wireModel: string;
  baseURL?: string;
  /** The endpoint calls go to (baseURL, or the provider's own default) — for messages. */
  endpoint: string;
  /** The variable the endpoint came from, when it was not the built-in default. */
  endpointEnv?: string;
  apiKey?: string;
  /** The environment variable that holds (or should hold) the key, for error messages. */
  apiKeyEnv?: string;
  region?: string;
}

export const DEFAULT_HF_ROUTER_URL = "https://router.huggingface.co/v1";

const LOCAL_DEFAULTS: Record<string, { env: string; url: string }> = {
  ollama: { env: "OLLAMA", url: "http://localhost:11434/v1" },
  vllm: { env: "VLLM", url: "http://localhost:8000/v1" },
  lm_studio: { env: "LM_STUDIO", url: "http://localhost:1234/v1" },
  llamacpp: { env: "LLAMACPP", url: "http://localhost:8080/v1" },
};

export class ModelIdError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ModelIdError";
  }
}

export function resolveModelId(id: string, env: Env): ResolvedModel {
  const trimmed = id.trim();
  const slash = trimmed.indexOf("/");
  if (slash <= 0 || slash === trimmed.length - 1) {
    throw new ModelIdError(
      `Unrecognised model id "${id}". Use anthropic/<model>, bedrock/<model>, openai/<model>, ollama/<model>, vllm/<model>, lm_studio/<model>, llamacpp/<model>, or a Hugging Face router id <org>/<model>[:provider].`,
    );
  }
  const prefix = trimmed.slice(0, slash);
  const rest = trimmed.slice(slash + 1);
  const hasRouterSuffix = rest.includes(":");

  if (prefix === "anthropic" && !hasRouterSuffix) {
    return {
      id: trimmed,
      kind: "anthropic",
      provider: "anthropic",
      wireModel: rest,
      baseURL: env.ANTHROPIC_BASE_URL || undefined,
      endpoint: env.ANTHROPIC_BASE_URL || "https://api.anthropic.com",
      endpointEnv: env.ANTHROPIC_BASE_URL ? "ANTHROPIC_BASE_URL" : undefined,
      apiKey: env.ANTHROPIC_API_KEY || undefined,
      apiKeyEnv: "ANTHROPIC_API_KEY",
    };
  }
  if (prefix === "bedrock") {
    return {
      id: trimmed,
      kind: "bedrock",
      provider: "bedrock",
      wireModel: rest,
      baseURL: env.BEDROCK_BASE_URL || undefined,
      endpoint:
        env.BEDROCK_BASE_URL ||
        `https://bedrock-runtime.${env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1"}.amazonaws.com`,
      endpointEnv: env.BEDROCK_BASE_URL ? "BEDROCK_BASE_URL" : undefined,
      region: env.AWS_REGION || env.AWS_DEFAULT_REGION || "us-east-1",
      apiKeyEnv: "AWS credentials (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE or an instance role)",
    };
  }
  if (prefix === "openai" && !hasRouterSuffix) {
    return {
      id: trimmed,
      kind: "openai-compatible",
      provider: "openai",
      wireModel: rest,
      baseURL: env.OPENAI_BASE_URL || "https://api.openai.com/v1",
      endpoint: env.OPENAI_BASE_URL || "https://api.openai.com/v1",
      endpointEnv: env.OPENAI_BASE_URL ? "OPENAI_BASE_URL" : undefined,
      apiKey: env.OPENAI_API_KEY || undefined,
      apiKeyEnv: "OPENAI_API_KEY",
    };
  }
  const local = LOCAL_DEFAULTS[prefix];
  if (local) {
    const urlEnv = env[`${local.env}_BASE_URL`]
      ? `${local.env}_BASE_URL`
      : env.LOCAL_LLM_BASE_URL
        ? "LOCAL_LLM_BASE_URL"
        : undefined;
    const baseURL = (urlEnv && env[urlEnv]) || local.url;
    return {
      id: trimmed,
      kind: "openai-compatible",
      provider: prefix,
      wireModel: rest,
      baseURL,
      endpoint: baseURL,
      endpointEnv: urlEnv,
      apiKey: env[`${local.env}_API_KEY`] || env.LOCAL_LLM_API_KEY || "not-needed",
      apiKeyEnv:
        !env[`${local.env}_API_KEY`] && env.LOCAL_LLM_API_KEY ? "LOCAL_LLM_API_KEY" : `${local.env}_API_KEY`,
    };
  }
  // Anything else is a Hugging Face Inference Router id: <org>/<model>[:provider|:fastest|:cheapest].
  return {
    id: trimmed,
    kind: "openai-compatible",
    provider: "hf-router",
    wireModel: trimmed.replace(/^huggingface\//, ""),
    baseURL: env.HF_ROUTER_URL || DEFAULT_HF_ROUTER_URL,
    endpoint: env.HF_ROUTER_URL || DEFAULT_HF_ROUTER_URL,
    endpointEnv: env.HF_ROUTER_URL ? "HF_ROUTER_URL" : undefined,
    apiKey: env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined,
    apiKeyEnv: !env.HF_TOKEN && env.HUGGING_FACE_HUB_TOKEN ? "HUGGING_FACE_HUB_TOKEN" : "HF_TOKEN",
  };
}
