const MiB = 1024 * 1024;

export interface MemoryGovernorOptions {
  /** A full collection runs when RSS is above this (default 128 MiB; idle RSS is about 70 MiB). */
  softLimitBytes?: number;
  /**
   * When a collection cannot bring RSS under the soft limit (many live sessions, big traces), the limit
   * becomes what remained plus this (default 32 MiB), until a later collection gets under it again. What
   * remained is read at the next check: the allocator gives freed pages back to the OS shortly after.
   */
  headroomBytes?: number;
  /** How often RSS is checked (default 500 ms). */
  intervalMs?: number;
  /** Checks to skip after a collection for the soft limit (default 3): at most one per 2 s under load. */
  cooldownTicks?: number;
  /** Current resident set size in bytes (default process.memoryUsage.rss). */
  rss?: () => number;
  /** A synchronous full garbage collection (default Bun.gc(true)). */
  collect?: () => void;
  log?: (message: string) => void;
}

export interface MemoryGovernor {
  /** Called for every request: a check after a busy period with no request collects once (load ended). */
  noteRequest(): void;
  /** One check (the timer calls it every intervalMs). Returns whether it collected. */
  tick(): boolean;
  /** How many collections ran. */
  collections(): number;
  /** The RSS above which the next check collects. */
  limit(): number;
  stop(): void;
}

/**
 * Keeps a busy server's RSS near its live size. Under a request load Bun's collector lets the JS heap and
 * the allocator's free pages grow well past the live data before collecting (measured on the MCP benchmark:
 * 20 MB live, RSS swinging between 110 and 170 MB), and what is freed late is returned to the OS late.
 * A full collection costs a few milliseconds on this heap, so it runs only when RSS crosses the soft limit,
 * and once when a load ends, which gives the memory back between loads instead of at the next load.
 */
export function createMemoryGovernor(options: MemoryGovernorOptions = {}): MemoryGovernor {
  const softLimit = options.softLimitBytes ?? 128 * MiB;
  const headroom = options.headroomBytes ?? 32 * MiB;
  const rss = options.rss ?? (() => process.memoryUsage.rss());
  const collect = options.collect ?? (() => Bun.gc(true));
  const cooldownTicks = options.cooldownTicks ?? 3;
  let limit = softLimit;
  let requests = 0;
  let busy = false;
  let count = 0;
  let cooldown = 0;
  let review = false;

  const runCollection = (why: string, current: number) => {
    collect();
    count++;
    review = true;
    options.log?.(`mcp: full collection (${why}) at RSS ${(current / MiB).toFixed(0)} MiB`);
  };

  const tick = () => {
    const active = requests > 0;
    requests = 0;
    const current = rss();
    if (review) {
      review = false;
      limit = current > softLimit ? current + headroom : softLimit;
    }
    if (cooldown > 0) cooldown--;
    else if (current > limit) {
      runCollection("RSS above the soft limit", current);
      cooldown = cooldownTicks;
      busy = active;
      return true;
    }
    if (active) {
      busy = true;
      return false;
    }
    if (busy) {
      busy = false;
      runCollection("load ended", current);
      return true;
    }
    return false;
  };

  const timer = setInterval(tick, options.intervalMs ?? 500);
  timer.unref?.();
  return {
    noteRequest: () => {
      requests++;
    },
    tick,
    collections: () => count,
    limit: () => limit,
    stop: () => clearInterval(timer),
  };
}
