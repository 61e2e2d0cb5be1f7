/** A job this session started and has not seen finish, with a way to cancel it that does not need the call. */
export interface TrackedJob {
  id: string;
  namespace: string;
  url: string;
  /** Cancels the job on the Hub (bound to its own short timeout, not to the interrupted call's signal). */
  cancel(): Promise<void>;
}

/**
 * The jobs started in this session that are still running. Hosts call `cancelAll()` when the user interrupts a
 * turn (jobs started with follow are also cancelled by the call's own abort) and `forgetAll()` when a turn ends
 * normally, so that an interrupt only stops the jobs of the turn it interrupts.
 */
export interface JobTracker {
  track(job: TrackedJob): void;
  /** The job finished (or was cancelled): stop tracking it. */
  untrack(id: string): void;
  running(): readonly TrackedJob[];
  /** Cancels every tracked job; returns the ids whose cancellation the Hub accepted. */
  cancelAll(): Promise<string[]>;
  /** Forgets every tracked job without cancelling it (the turn ended; the jobs keep running on purpose). */
  forgetAll(): void;
  /** Resolves once every cancellation started by `cancelAll` has been answered (hosts await it before exiting). */
  settled(): Promise<void>;
}

export function createJobTracker(options: { log?: (message: string) => void } = {}): JobTracker {
  const jobs = new Map<string, TrackedJob>();
  const inflight = new Set<Promise<unknown>>();
  return {
    track: (job) => {
      jobs.set(job.id, job);
    },
    untrack: (id) => {
      jobs.delete(id);
    },
    running: () => [...jobs.values()],
    async cancelAll() {
      const pending = [...jobs.values()];
      jobs.clear();
      const all = Promise.all(
        pending.map(async (job) => {
          try {
            await job.cancel();
            options.log?.(`Cancelled HF job ${job.id} (${job.url}).`);
            return job.id;
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            options.log?.(`Could not cancel HF job ${job.id}: ${message}`);
            return undefined;
          }
        }),
      );
      inflight.add(all);
      const results = await all.finally(() => inflight.delete(all));
      return results.filter((id): id is string => id !== undefined);
    },
    forgetAll: () => {
      jobs.clear();
    },
    async settled() {
      await Promise.allSettled([...inflight]);
    },
  };
}
