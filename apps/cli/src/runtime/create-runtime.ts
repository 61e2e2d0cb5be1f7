import type { Agent, AgentEvent, AnyToolDefinition, ReasoningEffort } from "@ml-intern/core";
import pkg from "../../package.json" with { type: "json" };
import { CliError } from "../cli/exit-codes.ts";
import type { SandboxMode } from "../cli/parse-args.ts";
import type { MlInternConfig } from "../config/schema.ts";
import type { Env } from "../config/types.ts";
import type { McpServerStatus } from "../mcp-client/mcp-manager.ts";
import { createInterimApprovalGate } from "./interim-approval-gate.ts";
import systemPromptTemplate from "./system-prompt.txt" with { type: "text" };
import { loadToolCatalog } from "./tool-catalog.ts";

export interface RuntimeOptions {
  config: MlInternConfig;
  env: Env;
  cwd: string;
  model: string;
  headless: boolean;
  yolo: boolean;
  maxIterations: number;
  stream: boolean;
  sandbox: SandboxMode;
  resume?: string;
  fetch?: typeof fetch;
  /** Subscribed as soon as the agent exists, so the first events (`ready`) are seen. */
  onEvent?: (event: AgentEvent) => void;
  warn: (message: string) => void;
}

export interface CliRuntime {
  agent: Agent;
  sessionId: string;
  model: string;
  tools: readonly AnyToolDefinition[];
  mcp: readonly McpServerStatus[];
  setYolo(on: boolean): void;
  isYolo(): boolean;
  /** Swaps the model (validated by building its provider first). */
  switchModel(model: string): Promise<void>;
  interruptTools(): Promise<void>;
  dispose(): Promise<void>;
}

export function effortOf(value: MlInternConfig["reasoning_effort"]): ReasoningEffort | undefined {
  return value === null || value === "off" ? undefined : value;
}

/** Maps provider construction failures (bad id, missing key) to CLI errors with the right exit code. */
async function buildProvider(model: string, env: Env, fetchImpl?: typeof fetch) {
  const core = await import("@ml-intern/core");
  try {
    return await core.createProvider(model, { env, fetch: fetchImpl });
  } catch (error) {
    if (error instanceof core.ModelIdError) throw new CliError("usage", error.message);
    if (error instanceof core.LlmError && error.kind === "auth") throw new CliError("auth", error.message);
    throw error;
  }
}

/** Assembles tools (built-in + MCP) and the agent for one CLI session. */
export async function createRuntime(options: RuntimeOptions): Promise<CliRuntime> {
  const { config, env } = options;
  const core = await import("@ml-intern/core");
  const provider = await buildProvider(options.model, env, options.fetch);
  if (options.resume !== undefined) {
    throw new CliError(
      "usage",
      "Resuming sessions needs the durable session store, which this build does not include yet.",
    );
  }

  const servers = Object.keys(config.mcpServers).length;
  const { createMcpManager } = await import("../mcp-client/mcp-manager.ts");
  const mcp = createMcpManager({
    servers: config.mcpServers,
    env,
    hfToken: env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined,
    hubUrl: env.HF_ENDPOINT,
    fetch: options.fetch,
    clientVersion: pkg.version,
    warn: options.warn,
  });
  const [catalog, mcpResult] = await Promise.all([
    loadToolCatalog({
      env,
      cwd: options.cwd,
      sandbox: options.sandbox,
      fetch: options.fetch,
      warn: options.warn,
    }).catch((error: unknown) => {
      void mcp.close();
      throw new CliError("config", error instanceof Error ? error.message : String(error));
    }),
    servers ? mcp.start() : Promise.resolve({ tools: [], statuses: [] }),
  ]);
  const tools = [...catalog.tools, ...mcpResult.tools];

  const gate = createInterimApprovalGate({
    rules: config.approval_rules,
    yolo: options.yolo,
    headless: options.headless,
  });
  const registry = core.createToolRegistry({
    tools,
    filter: {
      toolsets: config.toolsets,
      tools: config.tools,
      excludeTools: config.exclude_tools,
      readOnly: config.read_only,
    },
  });
  const systemPrompt = systemPromptTemplate
    .replace("{{cwd}}", options.cwd)
    .replace("{{date}}", new Date().toISOString().slice(0, 10));
  const agent = core.createAgent({
    provider,
    tools: registry,
    systemPrompt,
    maxIterations: options.maxIterations,
    stream: options.stream,
    effort: provider.info.supportsThinking ? effortOf(config.reasoning_effort) : undefined,
    approval: gate,
    confirmCpuJobs: config.confirm_cpu_jobs,
    auth: { hfToken: env.HF_TOKEN, githubToken: env.GITHUB_TOKEN },
  });
  if (options.onEvent) agent.subscribe(options.onEvent);
  const eventLog = env.ML_INTERN_EVENT_LOG?.trim();
  if (eventLog) {
    const { appendFileSync } = await import("node:fs");
    agent.subscribe((event) => appendFileSync(eventLog, `${JSON.stringify(event)}\n`));
  }

  return {
    agent,
    get sessionId() {
      return agent.sessionId;
    },
    get model() {
      return agent.model;
    },
    tools: registry.list(),
    mcp: mcpResult.statuses,
    setYolo: gate.setYolo,
    isYolo: gate.isYolo,
    async switchModel(model) {
      agent.setModel(await buildProvider(model, env, options.fetch));
    },
    interruptTools: () => catalog.interrupt(),
    async dispose() {
      await agent.close().catch(() => {});
      await Promise.all([catalog.dispose().catch(() => {}), mcp.close()]);
    },
  };
}
