/** Polls a condition until it yields a value or the deadline passes (bounded; never a bare sleep). */
export async function waitFor<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  {
    timeoutMs,
    intervalMs = 100,
    abortIf,
  }: { timeoutMs: number; intervalMs?: number; abortIf?: () => string | undefined },
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  while (performance.now() < deadline) {
    const abort = abortIf?.();
    if (abort !== undefined) throw new Error(`gave up waiting for ${what}: ${abort}`);
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await Bun.sleep(intervalMs);
  }
  const reason = lastError instanceof Error ? `: ${lastError.message}` : "";
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${reason}`);
}
