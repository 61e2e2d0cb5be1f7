import type { ToolContext } from "@ml-intern/tool";
import type { GithubToolsConfig } from "../../src/config.ts";
import { DEFAULT_USER_AGENT } from "../../src/config.ts";

export interface TestContext extends ToolContext {
  logs: string[];
  progressCalls: Array<{ progress: number; total?: number; message?: string }>;
}

export function makeCtx(options: { githubToken?: string; signal?: AbortSignal } = {}): TestContext {
  const logs: string[] = [];
  const progressCalls: TestContext["progressCalls"] = [];
  return {
    signal: options.signal ?? new AbortController().signal,
    toolCallId: "call_1",
    sessionId: "session_1",
    progress: (progress, total, message) => progressCalls.push({ progress, total, message }),
    log: (message) => logs.push(message),
    ...(options.githubToken ? { auth: { githubToken: options.githubToken } } : {}),
    logs,
    progressCalls,
  };
}

export function makeConfig(overrides: Partial<GithubToolsConfig> & { apiUrl: string }): GithubToolsConfig {
  return {
    webSearchUrl: "http://127.0.0.1:1/html/",
    notifyDestinations: [],
    userAgent: DEFAULT_USER_AGENT,
    maxRetryAfterSeconds: 60,
    ...overrides,
  };
}

/** A sleep that records requested delays and returns at once. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms: number) => {
      delays.push(ms);
    },
  };
}
