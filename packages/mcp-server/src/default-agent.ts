import type { Agent, AnyToolDefinition, ToolAuth, ToolFilter } from "@ml-intern/core";
import type { OpenAgent } from "./session-runner.ts";

/** The subset of core's createMlInternAgent options this server sets. */
export interface MlInternAgentRequest {
  model: string;
  env: Readonly<Record<string, string | undefined>>;
  tools: AnyToolDefinition[];
  filter?: ToolFilter;
  cwd: string;
  headless: boolean;
  resume?: string;
  persist?: boolean;
  secrets?: string[];
  fetch?: typeof fetch;
  auth?: ToolAuth;
}

export interface MlInternAgentHandle {
  agent: Agent;
  sessionId: string;
  dispose(): Promise<void>;
}

export type CreateMlInternAgent = (options: MlInternAgentRequest) => Promise<MlInternAgentHandle>;

/** core's createMlInternAgent, when this build of core has it (loaded lazily: it pulls in the LLM SDKs). */
export async function loadCreateMlInternAgent(): Promise<CreateMlInternAgent | undefined> {
  const core = (await import("@ml-intern/core")) as unknown as { createMlInternAgent?: CreateMlInternAgent };
  return typeof core.createMlInternAgent === "function" ? core.createMlInternAgent : undefined;
}

export interface DefaultOpenAgentOptions {
  create: CreateMlInternAgent;
  model: string;
  env: Readonly<Record<string, string | undefined>>;
  tools: AnyToolDefinition[];
  cwd: string;
  fetch?: typeof fetch;
}

/**
 * Opens agents with core's runtime: headless (auto-approve within the spend cap, refuse beyond)
 * unless the client can answer approvals through elicitation; sessions persisted so they can be resumed.
 */
export function createDefaultOpenAgent(options: DefaultOpenAgentOptions): OpenAgent {
  const serverSecrets = [options.env.HF_TOKEN, options.env.GITHUB_TOKEN].filter(
    (s): s is string => typeof s === "string" && s.length > 0,
  );
  return async ({ sessionId, interactive, auth }) => {
    const secrets = [...serverSecrets, ...(auth?.hfToken ? [auth.hfToken] : [])];
    const request: MlInternAgentRequest = {
      model: options.model,
      env: options.env,
      tools: options.tools,
      cwd: options.cwd,
      headless: !interactive,
      persist: true,
      secrets,
    };
    if (sessionId) request.resume = sessionId;
    if (auth) request.auth = auth;
    if (options.fetch) request.fetch = options.fetch;
    const handle = await options.create(request);
    return { agent: handle.agent, dispose: () => handle.dispose() };
  };
}
