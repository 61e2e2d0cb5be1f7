import { setTimeout as delay } from "node:timers/promises";
/** Waits `ms`, or rejects as soon as `signal` aborts. Injected so tests never wait for real. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/** The default Sleep: node:timers/promises, so an aborted wait rejects with an AbortError. */
export const abortableSleep: Sleep = (ms, signal) => delay(ms, undefined, signal ? { signal } : {});
