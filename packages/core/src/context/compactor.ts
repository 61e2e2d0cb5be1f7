import type { ToolSchema } from "@ml-intern/tool";
import type { Message } from "../llm/messages.ts";
import { type PruneOptions, pruneToolOutputs } from "./prune.ts";
import { applySummary, planSummaryCompaction, type SummaryPlanOptions } from "./summary.ts";
import { estimateContextTokens, type UsageAnchor } from "./tokens.ts";

export const DEFAULT_CONTEXT_WINDOW = 200_000;
export const DEFAULT_COMPACTION_THRESHOLD = 0.9;

export interface CompactorOptions {
  /** Summarises the middle of the conversation (an LLM call; see buildSummaryRequest). */
  summarize: (messages: readonly Message[], signal?: AbortSignal) => Promise<string>;
  /** Model context window in tokens (default 200,000 when unknown). */
  contextWindow?: number;
  /** Fraction of the window that triggers compaction (default 0.9). */
  threshold?: number;
  /** Automatic compaction; false disables both the threshold and the provider-overflow paths. */
  auto: boolean;
  spill: PruneOptions["spill"];
  /** Batch spill (one file per prune pass); preferred over `spill` when given. */
  spillMany?: PruneOptions["spillMany"];
  keepRecentToolTokens?: number;
  keepRecentTokens?: SummaryPlanOptions["keepRecentTokens"];
  /** Circuit breaker: compactions allowed per user turn before giving up (default 3). */
  maxCompactionsPerTurn?: number;
}

export type CompactionReason = "threshold" | "overflow" | "manual";

export interface CompactionInput {
  system: string;
  tools: readonly ToolSchema[];
  messages: readonly Message[];
  anchor?: UsageAnchor;
  /** threshold: before a request; overflow: the provider rejected the context; manual: the compact operation. */
  reason?: CompactionReason;
  signal?: AbortSignal;
}

export type CompactionOutcome =
  | {
      status: "skipped";
      tokens: number;
      limit: number;
      why: "under_threshold" | "disabled" | "nothing_to_compact";
    }
  | {
      status: "compacted";
      strategy: "prune" | "summary";
      old_tokens: number;
      new_tokens: number;
      limit: number;
      messages: Message[];
      pruned: number;
    }
  | {
      status: "failed";
      old_tokens: number;
      new_tokens: number;
      limit: number;
      /** User-facing explanation for the compaction_failed error event. */
      error: string;
    };

export interface Compactor {
  readonly limit: number;
  /** Current context size (usage-anchored when the anchor is still valid). */
  tokens(input: Omit<CompactionInput, "reason" | "signal">): number;
  maybeCompact(input: CompactionInput): Promise<CompactionOutcome>;
  /** Resets the per-turn circuit breaker. */
  newTurn(): void;
}

export function createCompactor(options: CompactorOptions): Compactor {
  const window =
    options.contextWindow && options.contextWindow > 0 ? options.contextWindow : DEFAULT_CONTEXT_WINDOW;
  const limit = Math.floor(window * (options.threshold ?? DEFAULT_COMPACTION_THRESHOLD));
  const maxPerTurn = options.maxCompactionsPerTurn ?? 3;
  let thisTurn = 0;

  const measure = (
    input: Omit<CompactionInput, "reason" | "signal">,
    messages = input.messages,
    anchored = true,
  ) =>
    estimateContextTokens({
      system: input.system,
      tools: input.tools,
      messages,
      ...(anchored && input.anchor ? { anchor: input.anchor } : {}),
    });

  const failure = (old: number, now: number, why: string): CompactionOutcome => ({
    status: "failed",
    old_tokens: old,
    new_tokens: now,
    limit,
    error:
      `${why} The conversation is ~${now.toLocaleString("en-US")} tokens; the limit is ${limit.toLocaleString("en-US")} ` +
      `(${Math.round((limit / window) * 100)}% of a ${window.toLocaleString("en-US")}-token window). ` +
      "Your work is saved: start a new session to keep going, or resume this one and undo the last turn.",
  });

  return {
    limit,
    tokens: (input) => measure(input),
    newTurn() {
      thisTurn = 0;
    },
    async maybeCompact(input) {
      const reason = input.reason ?? "threshold";
      let old = measure(input);
      if (reason === "overflow") old = Math.max(old, window + 1);
      // Calibrate estimates of rewritten histories against the reported (or overflow-implied) size.
      const raw = measure(input, input.messages, false);
      const scale = raw > 0 ? Math.min(20, Math.max(0.25, old / raw)) : 1;
      const measureNew = (messages: readonly Message[]): number =>
        Math.ceil(measure(input, messages, false) * scale);
      if (reason !== "manual" && !options.auto)
        return { status: "skipped", tokens: old, limit, why: "disabled" };
      if (reason === "threshold" && old <= limit)
        return { status: "skipped", tokens: old, limit, why: "under_threshold" };
      if (thisTurn >= maxPerTurn) {
        return failure(
          old,
          old,
          `Compaction already ran ${thisTurn} times this turn and the context keeps overflowing.`,
        );
      }
      thisTurn++;

      const pruned = await pruneToolOutputs(input.messages, {
        spill: options.spill,
        ...(options.spillMany ? { spillMany: options.spillMany } : {}),
        ...(options.keepRecentToolTokens !== undefined
          ? { keepRecentToolTokens: options.keepRecentToolTokens }
          : {}),
      });
      const afterPrune = pruned.prunedCount > 0 ? measureNew(pruned.messages) : old;
      const pruneOutcome: CompactionOutcome = {
        status: "compacted",
        strategy: "prune",
        old_tokens: old,
        new_tokens: afterPrune,
        limit,
        messages: pruned.messages,
        pruned: pruned.prunedCount,
      };
      if (pruned.prunedCount > 0 && afterPrune <= limit && reason !== "manual") return pruneOutcome;

      const plan = planSummaryCompaction(pruned.messages, {
        ...(options.keepRecentTokens !== undefined ? { keepRecentTokens: options.keepRecentTokens } : {}),
      });
      if (!plan) {
        if (afterPrune <= limit) {
          return pruned.prunedCount > 0
            ? pruneOutcome
            : { status: "skipped", tokens: old, limit, why: "nothing_to_compact" };
        }
        return failure(old, afterPrune, "Compaction found nothing left to summarise.");
      }

      let summary: string;
      try {
        summary = (await options.summarize(plan.middle, input.signal)).trim();
      } catch (error) {
        if (input.signal?.aborted) throw error;
        const message = error instanceof Error ? error.message : String(error);
        if (afterPrune <= limit && pruned.prunedCount > 0) return pruneOutcome;
        return failure(old, afterPrune, `The summary call failed (${message.slice(0, 200)}).`);
      }
      const summarised = summary === "" ? undefined : applySummary(plan, summary);
      const afterSummary = summarised ? measureNew(summarised) : afterPrune;
      if (!summarised || afterSummary >= afterPrune) {
        // A summary that does not shrink the context is rejected.
        if (afterPrune <= limit && pruned.prunedCount > 0) return pruneOutcome;
        if (afterPrune <= limit) return { status: "skipped", tokens: old, limit, why: "nothing_to_compact" };
        return failure(old, afterPrune, "The summary did not make the conversation smaller.");
      }
      if (afterSummary > limit)
        return failure(old, afterSummary, "Compaction could not bring the context under the limit.");
      return {
        status: "compacted",
        strategy: "summary",
        old_tokens: old,
        new_tokens: afterSummary,
        limit,
        messages: summarised,
        pruned: pruned.prunedCount,
      };
    },
  };
}
