import type { AnyToolDefinition, Env } from "@ml-intern/core";
import type { MlInternAgent, MlInternAgentOptions } from "@ml-intern/runtime/agent";
import type { OpenAgent } from "./session-runner.ts";

/** Agent settings that come from the configuration (approval rules, filters, limits, reasoning effort). */
export type MlInternAgentSettings = Partial<
  Pick<
    MlInternAgentOptions,
    | "filter"
    | "approvalRules"
    | "yolo"
    | "spendCapUsd"
    | "maxIterations"
    | "researchModel"
    | "researchMaxParallel"
    | "effort"
    | "autoCompact"
    | "doomLoop"
    | "persist"
  >
>;

/** The part of the runtime's MlInternAgentOptions this server sets. */
export type MlInternAgentRequest = Pick<
  MlInternAgentOptions,
  "model" | "env" | "tools" | "cwd" | "headless" | "resume" | "persist" | "secrets" | "fetch" | "auth"
> &
  MlInternAgentSettings;

export type MlInternAgentHandle = Pick<MlInternAgent, "agent" | "sessionId" | "dispose">;

/** The runtime's createMlInternAgent, or a stand-in with the same contract (tests). */
export type CreateMlInternAgent = (options: MlInternAgentRequest) => Promise<MlInternAgentHandle>;

/** The runtime's createMlInternAgent, loaded lazily (it pulls in the agent runtime). */
export async function loadCreateMlInternAgent(): Promise<CreateMlInternAgent> {
  const { createMlInternAgent } = await import("@ml-intern/runtime/agent");
  return createMlInternAgent;
}

export interface DefaultOpenAgentOptions {
  create: CreateMlInternAgent;
  model: string;
  env: Env;
  tools: AnyToolDefinition[];
  cwd: string;
  fetch?: typeof fetch;
  /** From the configuration; sessions are persisted unless `persist` is false. */
  settings?: MlInternAgentSettings;
  /**
   * `--max-spend`: the spend cap of every run. Runs no human can approve (no elicitation) spend nothing
   * without it: money needs a human yes or this explicit cap, never the configuration's default cap.
   */
  maxSpendUsd?: number;
}

/** The spend cap of a run: the explicit one, else the configuration's when a human answers, else nothing. */
export function spendCapFor(
  interactive: boolean,
  options: Pick<DefaultOpenAgentOptions, "maxSpendUsd" | "settings">,
): number {
  if (options.maxSpendUsd !== undefined) return options.maxSpendUsd;
  return interactive ? (options.settings?.spendCapUsd ?? 0) : 0;
}

/**
 * Opens agents with core's runtime: headless (auto-approve within the spend cap, refuse beyond; the cap is
 * 0 unless `--max-spend` set one) unless the client can answer approvals through elicitation; sessions
 * persisted so they can be resumed.
 */
export function createDefaultOpenAgent(options: DefaultOpenAgentOptions): OpenAgent {
  const serverSecrets = [options.env.HF_TOKEN, options.env.GITHUB_TOKEN].filter(
    (s): s is string => typeof s === "string" && s.length > 0,
  );
  return async ({ sessionId, interactive, auth }) => {
    const secrets = [...serverSecrets, ...(auth?.hfToken ? [auth.hfToken] : [])];
    const request: MlInternAgentRequest = {
      ...options.settings,
      model: options.model,
      env: options.env,
      tools: options.tools,
      cwd: options.cwd,
      headless: !interactive,
      spendCapUsd: spendCapFor(interactive, options),
      secrets,
    };
    if (sessionId) request.resume = sessionId;
    if (auth) request.auth = auth;
    if (options.fetch) request.fetch = options.fetch;
    const handle = await options.create(request);
    return { agent: handle.agent, dispose: () => handle.dispose() };
  };
}
