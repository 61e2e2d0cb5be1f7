/** What we know about model families: context window, output cap and list prices (USD per million tokens). */
export interface ModelFacts {
  contextWindow: number;
  maxOutputTokens: number;
  supportsThinking: boolean;
  price?: { input: number; output: number; cacheRead: number; cacheWrite: number };
}

const claude = (input: number, output: number, maxOut = 32_000): ModelFacts => ({
  contextWindow: 200_000,
  maxOutputTokens: maxOut,
  supportsThinking: true,
  price: { input, output, cacheRead: input * 0.1, cacheWrite: input * 1.25 },
});

/** Ordered: the first pattern that matches the wire model name wins. */
const CATALOG: [RegExp, ModelFacts][] = [
  [/claude-(opus-4-[5-9]|opus-4\.[5-9]|opus-5)/i, claude(5, 25, 64_000)],
  [/claude-opus/i, claude(15, 75)],
  [/claude-(sonnet|3-7-sonnet)/i, claude(3, 15, 64_000)],
  [/claude-(haiku-4|4-5-haiku|haiku-4-5)/i, claude(1, 5)],
  [/claude-3-5-haiku|claude-haiku/i, claude(0.8, 4, 8192)],
  [/claude/i, claude(3, 15)],
  [
    /gpt-5/i,
    {
      contextWindow: 400_000,
      maxOutputTokens: 128_000,
      supportsThinking: true,
      price: { input: 1.25, output: 10, cacheRead: 0.125, cacheWrite: 1.25 },
    },
  ],
  [
    /gpt-4\.1/i,
    {
      contextWindow: 1_000_000,
      maxOutputTokens: 32_768,
      supportsThinking: false,
      price: { input: 2, output: 8, cacheRead: 0.5, cacheWrite: 2 },
    },
  ],
  [
    /gpt-4o/i,
    {
      contextWindow: 128_000,
      maxOutputTokens: 16_384,
      supportsThinking: false,
      price: { input: 2.5, output: 10, cacheRead: 1.25, cacheWrite: 2.5 },
    },
  ],
  [/kimi-k2/i, { contextWindow: 256_000, maxOutputTokens: 32_768, supportsThinking: true }],
  [
    /glm-|deepseek|minimax|qwen/i,
    { contextWindow: 128_000, maxOutputTokens: 32_768, supportsThinking: true },
  ],
];

export const DEFAULT_MODEL_FACTS: ModelFacts = {
  contextWindow: 200_000,
  maxOutputTokens: 16_384,
  supportsThinking: false,
};

export function modelFacts(wireModel: string): ModelFacts {
  return CATALOG.find(([pattern]) => pattern.test(wireModel))?.[1] ?? DEFAULT_MODEL_FACTS;
}

/** Dollars for one call, or null when the model's price is unknown. */
export function estimateLlmCost(
  wireModel: string,
  usage: { inputTokens: number; outputTokens: number; cacheReadTokens: number; cacheWriteTokens: number },
): number | null {
  const price = modelFacts(wireModel).price;
  if (!price) return null;
  const dollars =
    (usage.inputTokens * price.input +
      usage.outputTokens * price.output +
      usage.cacheReadTokens * price.cacheRead +
      usage.cacheWriteTokens * price.cacheWrite) /
    1_000_000;
  return Math.round(dollars * 1_000_000) / 1_000_000;
}
