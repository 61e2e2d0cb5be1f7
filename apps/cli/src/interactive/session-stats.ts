import type { AgentEvent } from "@ml-intern/core";

export interface SessionStats {
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
  cost: number;
  costUnknown: boolean;
  calls: number;
  /** Tokens of the main conversation as of its latest model call (after compaction: the compacted size). */
  contextTokens: number;
  /** The model of that call, whose window the context counts against. */
  contextModel: string;
}

/** Token, call and spend totals of an interactive session, kept from its events (both terminal UIs use it). */
export function createSessionStats(model: string) {
  const stats: SessionStats = {
    input: 0,
    output: 0,
    cacheRead: 0,
    cacheWrite: 0,
    cost: 0,
    costUnknown: false,
    calls: 0,
    contextTokens: 0,
    contextModel: model,
  };
  return {
    /** Counts the event; true when the totals changed (the status line needs redrawing). */
    record(event: AgentEvent): boolean {
      switch (event.type) {
        case "llm_call":
          stats.calls++;
          stats.input += event.input_tokens;
          stats.output += event.output_tokens;
          stats.cacheRead += event.cache_read_tokens;
          stats.cacheWrite += event.cache_write_tokens;
          if (event.cost_usd === null) stats.costUnknown = true;
          else stats.cost += event.cost_usd;
          if (event.kind === "main" && !event.agent_id) {
            stats.contextTokens =
              event.input_tokens + event.cache_read_tokens + event.cache_write_tokens + event.output_tokens;
            stats.contextModel = event.model;
          }
          return true;
        case "compacted":
          stats.contextTokens = event.new_tokens;
          return true;
        case "new_complete":
          stats.contextTokens = 0;
          return true;
        default:
          return false;
      }
    },
    snapshot: (): SessionStats => ({ ...stats }),
  };
}
