import type { Env } from "@ml-intern/tool";
import { createAnthropicProvider } from "./anthropic-provider.ts";
import { classifyLlmError, LlmError, type LlmErrorContext } from "./llm-error.ts";
import { modelFacts } from "./model-catalog.ts";
import { type ResolvedModel, resolveModelId } from "./model-id.ts";
import { createOpenAIProvider } from "./openai-provider.ts";
import type { LlmProvider, ModelInfo } from "./provider.ts";

export interface CreateProviderOptions {
  env: Env;
  fetch?: typeof fetch;
  /** Overrides the catalog's context window (e.g. for local models). */
  contextWindow?: number;
  requestTimeoutMs?: number;
  /**
   * Where an environment variable's value was read from ("the environment", "/path/.env", ...), so errors can
   * say which file holds a rejected key or a wrong URL. Undefined when unknown.
   */
  envSource?: (name: string) => string | undefined;
}

/** The endpoint and credential of a resolved model, as error messages name them. */
export function errorContextFor(
  resolved: ResolvedModel,
  env: Env,
  envSource?: (name: string) => string | undefined,
): LlmErrorContext {
  const credential =
    resolved.kind === "anthropic" && !resolved.apiKey && env.ANTHROPIC_AUTH_TOKEN
      ? "ANTHROPIC_AUTH_TOKEN"
      : resolved.kind === "bedrock" || resolved.apiKey === "not-needed"
        ? undefined
        : resolved.apiKeyEnv;
  const describe = (name: string) => envSource?.(name);
  return {
    endpoint: resolved.endpoint,
    endpointSource: resolved.endpointEnv
      ? `${resolved.endpointEnv}${describe(resolved.endpointEnv) ? ` in ${describe(resolved.endpointEnv)}` : ""}`
      : "the built-in default",
    ...(credential ? { credential, credentialSource: describe(credential) } : {}),
  };
}

/** Every error a provider throws carries the endpoint and credential source (see describeLlmError). */
function withErrorContext(provider: LlmProvider, context: LlmErrorContext): LlmProvider {
  return {
    info: provider.info,
    async complete(request, call) {
      try {
        return await provider.complete(request, call);
      } catch (raw) {
        const error = classifyLlmError(raw, call.signal);
        error.context = { ...context, ...error.context };
        throw error;
      }
    },
  };
}

export function modelInfoFor(resolved: ResolvedModel, contextWindow?: number): ModelInfo {
  const facts = modelFacts(resolved.wireModel);
  return {
    id: resolved.id,
    provider: resolved.provider,
    wireModel: resolved.wireModel,
    contextWindow: contextWindow ?? facts.contextWindow,
    maxOutputTokens: facts.maxOutputTokens,
    supportsThinking: facts.supportsThinking,
  };
}

/**
 * Builds the provider for a model id. SDKs are imported lazily so commands that never call a model
 * (`--help`, `--version`, `mcp` without the agent tool) do not pay for loading them.
 */
export async function createProvider(modelId: string, options: CreateProviderOptions): Promise<LlmProvider> {
  const resolved = resolveModelId(modelId, options.env);
  const provider = await buildProvider(resolved, options);
  return withErrorContext(provider, errorContextFor(resolved, options.env, options.envSource));
}

async function buildProvider(resolved: ResolvedModel, options: CreateProviderOptions): Promise<LlmProvider> {
  const info = modelInfoFor(resolved, options.contextWindow);
  const timeout = options.requestTimeoutMs;

  if (resolved.kind === "anthropic") {
    if (!resolved.apiKey && !options.env.ANTHROPIC_AUTH_TOKEN) {
      throw new LlmError(
        "auth",
        "ANTHROPIC_API_KEY is not set. Export it or put it in .env, or set HF_TOKEN to use a Hugging Face router model (the default when no Anthropic key is present, or --model <org>/<model>), or choose another model with --model.",
      );
    }
    const { default: Anthropic } = await import("@anthropic-ai/sdk");
    const client = new Anthropic({
      apiKey: resolved.apiKey ?? null,
      authToken: resolved.apiKey ? null : (options.env.ANTHROPIC_AUTH_TOKEN ?? null),
      baseURL: resolved.baseURL ?? null,
      maxRetries: 0,
      fetch: options.fetch,
    });
    return createAnthropicProvider({ client, info, providerName: "anthropic", requestTimeoutMs: timeout });
  }

  if (resolved.kind === "bedrock") {
    const { AnthropicBedrock } = await import("@anthropic-ai/bedrock-sdk");
    const client = new AnthropicBedrock({
      awsRegion: resolved.region,
      ...(resolved.baseURL ? { baseURL: resolved.baseURL } : {}),
      maxRetries: 0,
      fetch: options.fetch,
    });
    return createAnthropicProvider({ client, info, providerName: "bedrock", requestTimeoutMs: timeout });
  }

  if (!resolved.apiKey) {
    throw new LlmError(
      "auth",
      `${resolved.apiKeyEnv} is not set, and ${resolved.id} needs it. Export it or put it in .env${resolved.provider === "hf-router" ? " (create a token at https://huggingface.co/settings/tokens)" : ""}.`,
    );
  }
  const { default: OpenAI } = await import("openai");
  const client = new OpenAI({
    apiKey: resolved.apiKey,
    baseURL: resolved.baseURL,
    maxRetries: 0,
    fetch: options.fetch,
  });
  const isRouter = resolved.provider === "hf-router";
  return createOpenAIProvider({
    client,
    info,
    requestTimeoutMs: timeout,
    sendReasoningEffort: isRouter || resolved.provider === "openai",
    headers: isRouter
      ? (request): Record<string, string> =>
          request.sessionId ? { "X-HF-Session-id": request.sessionId.slice(0, 256) } : {}
      : undefined,
  });
}
