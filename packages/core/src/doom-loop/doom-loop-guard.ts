import type { Message } from "../llm/messages.ts";
import { detectMalformedStreak } from "./malformed-streak.ts";
import { type CallSignature, callSignatures } from "./signature.ts";

export interface DoomLoopGuardOptions {
  enabled: boolean;
  /** How many trailing messages are inspected (default 30). */
  window?: number;
  /** Identical consecutive calls that count as a loop (default 3). */
  identicalThreshold?: number;
  /** Longest repeated cycle looked for (default 5; the shortest is 2). */
  maxCycleLength?: number;
}

export interface DoomLoopDetection {
  kind: "identical" | "cycle";
  /** The repeated tool (identical) or the first tool of the cycle. */
  tool: string;
  /** Tool names of the repeated cycle, in call order (a single name for identical runs). */
  pattern: string[];
  /** Corrective text to inject as a synthetic user message. */
  message: string;
  /** Stable identity of the loop (rotation-independent for cycles). */
  signatureKey: string;
  /** The same loop continued after its nudge: stop the turn with a loop_detected error. */
  escalate: boolean;
}

export interface DoomLoopGuard {
  /** Inspects the conversation before an LLM call; null when there is nothing new to act on. */
  check(messages: readonly Message[]): DoomLoopDetection | null;
  /** Nudge text for consecutive malformed-argument calls to one tool (null when none, or disabled). */
  malformed(messages: readonly Message[]): string | null;
  /** Forgets the loops nudged so far (call at the start of every user turn). */
  reset(): void;
}

const DEFAULT_WINDOW = 30;

/** Every repetition note starts with this (so old notes can be recognised, e.g. on resume). */
export const REPETITION_NOTE_PREFIX = "[SYSTEM: REPETITION GUARD]";
const SIGNATURE_CACHE_LIMIT = 2_000;

function identicalMessage(tool: string, count: number): string {
  return (
    `${REPETITION_NOTE_PREFIX} '${tool}' was called ${count} times in a row with the same arguments and ` +
    "returned the same result each time, so another identical call will not change it. Take a different " +
    "step: another tool, substantially different arguments, a look at the state that blocks you, or a " +
    "message to the user that explains the blocker."
  );
}

function cycleMessage(pattern: readonly string[]): string {
  return (
    `${REPETITION_NOTE_PREFIX} The same cycle of tool calls [${pattern.join(" → ")}] has repeated with the ` +
    "same results. Take a different step: reconsider the problem, split it differently, use other tools, " +
    "or explain the blocker to the user."
  );
}

/** Index of the newest message the user typed (not a synthetic harness note) at or after `from`, or -1. */
function lastUserMessage(messages: readonly Message[], from: number): number {
  for (let i = messages.length - 1; i >= from; i--) {
    const m = messages[i]!;
    if (m.role === "user" && !m.synthetic) return i;
  }
  return -1;
}

/** Rotation-independent identity of a cycle, so A→B and B→A name the same loop. */
function canonicalCycleKey(keys: readonly string[]): string {
  let best: string | undefined;
  for (let i = 0; i < keys.length; i++) {
    const rotated = [...keys.slice(i), ...keys.slice(0, i)].join("\n");
    if (best === undefined || rotated < best) best = rotated;
  }
  return `cycle:${best ?? ""}`;
}

function trailingIdenticalRun(sigs: readonly CallSignature[]): number {
  const last = sigs[sigs.length - 1];
  if (!last) return 0;
  let n = 1;
  for (let i = sigs.length - 2; i >= 0 && sigs[i]!.key === last.key; i--) n++;
  return n;
}

/** Smallest L in [2, max] whose last two L-blocks are equal and not all one call; 0 when none. */
function trailingCycleLength(sigs: readonly CallSignature[], maxLength: number): number {
  const n = sigs.length;
  for (let len = 2; len <= maxLength && 2 * len <= n; len++) {
    let equal = true;
    let varied = false;
    for (let i = 0; i < len; i++) {
      const a = sigs[n - len + i]!.key;
      if (a !== sigs[n - 2 * len + i]!.key) {
        equal = false;
        break;
      }
      if (a !== sigs[n - len]!.key) varied = true;
    }
    if (equal && varied) return len;
  }
  return 0;
}

/**
 * Detects a model repeating itself. Only loops that reach the newest call count, so a loop the model
 * already broke out of is not reported again. Each loop is nudged once; if the model carries on with
 * the same loop after the nudge, the next detection is flagged `escalate`.
 */
export function createDoomLoopGuard(options: DoomLoopGuardOptions): DoomLoopGuard {
  const window = options.window ?? DEFAULT_WINDOW;
  const threshold = Math.max(2, options.identicalThreshold ?? 3);
  const maxCycle = Math.max(2, options.maxCycleLength ?? 5);
  const cache = new Map<string, CallSignature>();
  /** Loop identity → id of the newest call when it was nudged. */
  const nudged = new Map<string, string>();

  const decide = (
    base: Omit<DoomLoopDetection, "escalate">,
    newestCallId: string,
  ): DoomLoopDetection | null => {
    const nudgedAt = nudged.get(base.signatureKey);
    if (nudgedAt === undefined) {
      nudged.set(base.signatureKey, newestCallId);
      return { ...base, escalate: false };
    }
    // Nothing was called since the nudge: the nudge is still pending, do not repeat it.
    if (nudgedAt === newestCallId) return null;
    return { ...base, escalate: true };
  };

  return {
    check(messages) {
      if (!options.enabled) return null;
      if (cache.size > SIGNATURE_CACHE_LIMIT) cache.clear();
      // Only this turn counts: the window starts at the latest message the user typed (a resumed session's
      // earlier turns, and the calls before a new user message, are never a loop of this turn).
      const windowStart = Math.max(messages.length - window, 0);
      const start = Math.max(lastUserMessage(messages, windowStart) + 1, windowStart);
      const recent = start > 0 ? messages.slice(start) : messages;
      const sigs = callSignatures(recent, cache);
      const newest = sigs[sigs.length - 1];
      if (!newest || sigs.length < threshold) return null;

      const run = trailingIdenticalRun(sigs);
      if (run >= threshold) {
        return decide(
          {
            kind: "identical",
            tool: newest.tool,
            pattern: [newest.tool],
            message: identicalMessage(newest.tool, run),
            signatureKey: `identical:${newest.key}`,
          },
          newest.toolCallId,
        );
      }
      const len = trailingCycleLength(sigs, maxCycle);
      if (len > 0) {
        const block = sigs.slice(sigs.length - len);
        const pattern = block.map((s) => s.tool);
        return decide(
          {
            kind: "cycle",
            tool: pattern[0]!,
            pattern,
            message: cycleMessage(pattern),
            signatureKey: canonicalCycleKey(block.map((s) => s.key)),
          },
          newest.toolCallId,
        );
      }
      return null;
    },
    malformed(messages) {
      if (!options.enabled) return null;
      return detectMalformedStreak(messages)?.message ?? null;
    },
    reset() {
      nudged.clear();
    },
  };
}
