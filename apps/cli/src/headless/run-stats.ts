import type { AgentEvent } from "@ml-intern/core";

export interface RunStats {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens: number;
  cache_write_tokens: number;
  total_tokens: number;
  /** Estimated dollars for model calls; null when a model's price is unknown. */
  cost_usd: number | null;
  llm_calls: number;
  tool_calls: number;
  tool_errors: number;
  duration_ms: number;
}

/** Accumulates usage, cost and tool counts from the agent's events. */
export function createStatsCollector(now: () => number = Date.now) {
  const started = now();
  const stats: Omit<RunStats, "duration_ms" | "total_tokens"> = {
    input_tokens: 0,
    output_tokens: 0,
    cache_read_tokens: 0,
    cache_write_tokens: 0,
    cost_usd: 0,
    llm_calls: 0,
    tool_calls: 0,
    tool_errors: 0,
  };
  let costKnown = true;
  return {
    observe(event: AgentEvent): void {
      if (event.type === "llm_call") {
        stats.llm_calls++;
        stats.input_tokens += event.input_tokens;
        stats.output_tokens += event.output_tokens;
        stats.cache_read_tokens += event.cache_read_tokens;
        stats.cache_write_tokens += event.cache_write_tokens;
        if (event.cost_usd === null) costKnown = false;
        else stats.cost_usd = (stats.cost_usd ?? 0) + event.cost_usd;
      } else if (event.type === "tool_output" && !event.agent_id) {
        stats.tool_calls++;
        if (!event.success) stats.tool_errors++;
      }
    },
    snapshot(): RunStats {
      return {
        ...stats,
        cost_usd: costKnown && stats.cost_usd !== null ? Math.round(stats.cost_usd * 1e6) / 1e6 : null,
        total_tokens:
          stats.input_tokens + stats.output_tokens + stats.cache_read_tokens + stats.cache_write_tokens,
        duration_ms: Math.max(0, now() - started),
      };
    },
  };
}
