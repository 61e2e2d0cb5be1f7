/** One chat model the Hugging Face router serves with tool calling, with its price when the provider lists one. */
export interface RouterModel {
  id: string;
  provider: string;
  /** USD per million tokens. */
  input?: number;
  output?: number;
  contextLength?: number;
}

interface CatalogEntry {
  id?: unknown;
  providers?: {
    provider?: unknown;
    status?: unknown;
    supports_tools?: unknown;
    context_length?: unknown;
    pricing?: { input?: unknown; output?: unknown };
  }[];
}

/**
 * The router's catalogue (`GET {HF_ROUTER_URL}/models`): live providers that support tools, cheapest first per
 * model. Bounded by `timeoutMs`; an unreachable router gives an empty list (the picker keeps its built-in ids).
 */
export async function fetchRouterModels(options: {
  fetch: typeof fetch;
  baseUrl: string;
  token?: string;
  timeoutMs?: number;
  limit?: number;
}): Promise<RouterModel[]> {
  try {
    const res = await options.fetch(`${options.baseUrl.replace(/\/+$/, "")}/models`, {
      headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
      signal: AbortSignal.timeout(options.timeoutMs ?? 3000),
    });
    if (!res.ok) return [];
    const body = (await res.json()) as { data?: CatalogEntry[] };
    const out: RouterModel[] = [];
    for (const entry of body.data ?? []) {
      if (typeof entry.id !== "string") continue;
      const providers = (entry.providers ?? [])
        .filter((p) => typeof p.provider === "string" && p.status !== "error" && p.supports_tools !== false)
        .filter((p) => p.status === undefined || p.status === "live")
        .map((p) => ({
          id: entry.id as string,
          provider: p.provider as string,
          ...(typeof p.pricing?.input === "number" ? { input: p.pricing.input } : {}),
          ...(typeof p.pricing?.output === "number" ? { output: p.pricing.output } : {}),
          ...(typeof p.context_length === "number" ? { contextLength: p.context_length } : {}),
        }))
        .sort((a, b) => (a.input ?? Number.POSITIVE_INFINITY) - (b.input ?? Number.POSITIVE_INFINITY));
      const best = providers[0];
      if (best) out.push(best);
    }
    return out.slice(0, options.limit ?? 60);
  } catch {
    return [];
  }
}

/** "$0.60/$2.50 per M tokens · 256k ctx" (what is known). */
export function describeRouterModel(m: RouterModel): string {
  const price =
    m.input !== undefined && m.output !== undefined
      ? `$${m.input}/$${m.output} per M tokens`
      : "price not listed";
  return m.contextLength ? `${price} · ${Math.round(m.contextLength / 1000)}k ctx` : price;
}
