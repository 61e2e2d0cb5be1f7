/**
 * Estimated spend of auto-approved calls. Reservations are made synchronously while a batch of calls is
 * classified, so parallel calls in one batch cannot jointly exceed the cap.
 */
export interface SpendLedger {
  /** Cap in dollars, or null when uncapped. */
  readonly capUsd: number | null;
  /** Dollars spent or reserved so far. */
  totalUsd(): number;
  /** Cap minus total (never negative); Infinity when uncapped. */
  remainingUsd(): number;
  /** Whether `amountUsd` more fits under the cap. */
  fits(amountUsd: number): boolean;
  /** Records an estimate under `id` (usually the tool-call id), replacing an earlier one. */
  reserve(id: string, amountUsd: number): void;
  /** Drops a reservation (the call failed or was rejected); returns what was released. */
  release(id: string): number;
  /**
   * Replaces the estimate with the actual cost. An actual of 0 keeps the estimate unless `allowZero`
   * (a tool that cannot report its cost returns 0; jobs and teardown know theirs).
   */
  reconcile(id: string, actualUsd: number, options?: { allowZero?: boolean }): void;
  /** Adds spend that had no reservation (e.g. observed LLM cost). */
  addSpend(amountUsd: number): void;
  has(id: string): boolean;
}

const round4 = (n: number): number => Math.round(n * 10_000) / 10_000;
const EPSILON = 1e-9;

export function createSpendLedger(options: { capUsd: number | null; initialSpendUsd?: number }): SpendLedger {
  const entries = new Map<string, number>();
  let base = round4(options.initialSpendUsd ?? 0);
  const total = (): number => {
    let sum = base;
    for (const v of entries.values()) sum += v;
    return round4(sum);
  };
  return {
    capUsd: options.capUsd,
    totalUsd: total,
    remainingUsd: () =>
      options.capUsd === null ? Number.POSITIVE_INFINITY : round4(Math.max(0, options.capUsd - total())),
    fits: (amount) => options.capUsd === null || total() + amount <= options.capUsd + EPSILON,
    reserve(id, amount) {
      entries.set(id, round4(Math.max(0, amount)));
    },
    release(id) {
      const v = entries.get(id) ?? 0;
      entries.delete(id);
      return v;
    },
    reconcile(id, actual, opts) {
      if (!entries.has(id)) {
        if (actual > 0) entries.set(id, round4(actual));
        return;
      }
      if (actual === 0 && !opts?.allowZero) return;
      entries.set(id, round4(Math.max(0, actual)));
    },
    addSpend(amount) {
      if (amount > 0) base = round4(base + amount);
    },
    has: (id) => entries.has(id),
  };
}
