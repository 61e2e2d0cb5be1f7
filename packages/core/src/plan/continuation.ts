import type { PlanItem } from "../agent/events.ts";

/** Nudges after a text-only answer allowed per turn while the plan is unfinished; tool calls never refill it. */
export const MAX_CONTINUATION_NUDGES = 2;

/** Every continuation note starts with this (so old notes can be recognised, e.g. on resume). */
export const CONTINUATION_NOTE_PREFIX = "[SYSTEM: CONTINUATION GUARD]";

/**
 * The corrective message for a text-only answer while plan items are unfinished, or null when the plan
 * is complete (or empty).
 */
export function continuationNudge(plan: readonly PlanItem[], maxListed = 4): string | null {
  const open = plan.filter((item) => item.status !== "completed");
  if (open.length === 0) return null;
  const listed = open
    .slice(0, maxListed)
    .map((item) => `${item.id}. ${item.content} [${item.status}]`)
    .join("; ");
  const more = open.length > maxListed ? `; ... and ${open.length - maxListed} more` : "";
  return (
    `${CONTINUATION_NOTE_PREFIX} Your last message had no tool calls, and the plan still has open items: ` +
    `${listed}${more}. If there is work left, continue with the next item now (with a tool call). If the ` +
    "work is finished or an item cannot be done, update the plan with plan_tool (completed, or say why it " +
    "cannot be done); your previous message stays the answer the user sees, so do not repeat or shorten it."
  );
}

export interface ContinuationGuard {
  /** The nudge to inject after a text-only answer, or null (plan done, or this turn's nudges used up). */
  onTextOnly(plan: readonly PlanItem[]): string | null;
  /** The model made tool calls. The budget is per turn: tool calls do not refill it. */
  onToolCalls(): void;
  /** A new user turn. */
  reset(): void;
}

export function createContinuationGuard(maxNudges = MAX_CONTINUATION_NUDGES): ContinuationGuard {
  let used = 0;
  return {
    onTextOnly(plan) {
      if (used >= maxNudges) return null;
      const nudge = continuationNudge(plan);
      if (nudge) used++;
      return nudge;
    },
    onToolCalls() {},
    reset() {
      used = 0;
    },
  };
}

export interface PlanSourceHandle {
  unfinished(): PlanItem[];
  nudge(items: PlanItem[]): string;
  /** Starts a new turn's budget (call on every user message, undo, new and resume). */
  reset(): void;
}

/**
 * Adapts a plan store to the agent loop's PlanSource hook with a hard cap of nudges per turn: once it is used,
 * the plan reads as finished to the loop until `reset`, whatever tool calls happen in between.
 */
export function createPlanSource(
  store: { unfinished(): PlanItem[] },
  maxNudges = MAX_CONTINUATION_NUDGES,
): PlanSourceHandle {
  let used = 0;
  return {
    unfinished: () => (used >= maxNudges ? [] : store.unfinished()),
    nudge: (items: PlanItem[]): string => {
      used++;
      return continuationNudge(items) ?? "";
    },
    reset() {
      used = 0;
    },
  };
}

/** A harness note of an earlier turn (continuation or repetition guard, malformed-call streak). */
export function isGuardNote(message: { role: string; content?: unknown; synthetic?: boolean }): boolean {
  return (
    message.role === "user" &&
    message.synthetic === true &&
    typeof message.content === "string" &&
    GUARD_NOTE_PREFIXES.some((p) => (message.content as string).startsWith(p))
  );
}

const GUARD_NOTE_PREFIXES = [
  CONTINUATION_NOTE_PREFIX,
  "[SYSTEM: REPETITION GUARD]",
  "[SYSTEM: MALFORMED ARGUMENTS]",
];
