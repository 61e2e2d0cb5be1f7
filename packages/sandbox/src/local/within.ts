/** Waits for the promise, at most ms (a drain or a grace period: no error when time runs out). */
export function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return Promise.race([promise.then(() => undefined), expired]).finally(() => clearTimeout(timer));
}
