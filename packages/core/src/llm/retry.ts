import { classifyLlmError, type LlmError } from "./llm-error.ts";

export interface RetryOptions {
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal: AbortSignal;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  onRetry?: (error: LlmError, attempt: number, delayMs: number) => void;
}

export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason ?? new Error("aborted"));
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason ?? new Error("aborted"));
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Retries transient provider failures (429, 5xx, 529/overloaded, dropped connections, also mid-stream) with
 * exponential backoff and jitter, honouring retry-after. Context overflow, auth, quota and unknown-model
 * errors are never retried.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 1000;
  const cap = options.maxDelayMs ?? 60_000;
  const sleep = options.sleep ?? abortableSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (raw) {
      const error = classifyLlmError(raw, options.signal);
      if (!error.retryable || attempt >= maxAttempts || options.signal.aborted) throw error;
      const backoff = Math.min(cap, base * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);
      const delay = Math.min(cap, error.retryAfterMs ?? backoff);
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, options.signal);
    }
  }
}
