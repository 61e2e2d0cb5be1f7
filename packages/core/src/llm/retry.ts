import { setTimeout as delay } from "node:timers/promises";
import { classifyLlmError, isLoopbackUrl, type LlmError } from "./llm-error.ts";

export interface RetryOptions {
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  signal: AbortSignal;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  onRetry?: (error: LlmError, attempt: number, delayMs: number) => void;
}

/** Attempts and longest delay for a refused connection to a loopback endpoint: one quick retry, then fail. */
export const LOOPBACK_REFUSED_ATTEMPTS = 2;
const LOOPBACK_REFUSED_DELAY_MS = 250;

/** A local server that refuses connections is not running: fail fast instead of backing off like a cloud API. */
function refusedOnLoopback(error: LlmError): boolean {
  return error.connectionRefused && isLoopbackUrl(error.context?.endpoint);
}

/**
 * Retries transient provider failures (429, 5xx, 529/overloaded, dropped connections, also mid-stream) with
 * exponential backoff and jitter, honouring retry-after. Context overflow, auth, quota and unknown-model
 * errors are never retried. A refused connection to a loopback endpoint is retried once, quickly.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const maxAttempts = options.maxAttempts ?? 5;
  const base = options.baseDelayMs ?? 1000;
  const cap = options.maxDelayMs ?? 60_000;
  // An aborted wait rejects with an AbortError (node:timers/promises), like every other wait in the repo.
  const sleep = options.sleep ?? ((ms: number, signal: AbortSignal) => delay(ms, undefined, { signal }));
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (raw) {
      const error = classifyLlmError(raw, options.signal);
      const local = refusedOnLoopback(error);
      const limit = local ? Math.min(maxAttempts, LOOPBACK_REFUSED_ATTEMPTS) : maxAttempts;
      if (!error.retryable || attempt >= limit || options.signal.aborted) throw error;
      const backoff = Math.min(cap, base * 2 ** (attempt - 1)) * (0.8 + Math.random() * 0.4);
      const delay = local
        ? Math.min(LOOPBACK_REFUSED_DELAY_MS, backoff)
        : Math.min(cap, error.retryAfterMs ?? backoff);
      options.onRetry?.(error, attempt, delay);
      await sleep(delay, options.signal);
    }
  }
}
