import { homedir } from "node:os";
import type { Agent, AgentEvent, AnyToolDefinition, Env, Redactor, SessionSummary } from "@ml-intern/core";
import type { SpendSummary } from "@ml-intern/runtime/agent";
import type { SessionTools } from "@ml-intern/runtime/catalog";
import { isStdioServer, type MlInternConfig } from "@ml-intern/runtime/config";
import { RuntimeError } from "@ml-intern/runtime/errors";
import type { McpServerStatus } from "@ml-intern/runtime/mcp-client";
import { effortOf } from "@ml-intern/runtime/model";
import pkg from "../../package.json" with { type: "json" };
import { CliError } from "../cli/exit-codes.ts";
import type { SandboxMode } from "../cli/parse-args.ts";

export { effortOf };

export interface RuntimeOptions {
  config: MlInternConfig;
  env: Env;
  /** Where a variable of `env` was read from, for error messages ("the environment", a `.env` path). */
  envSource?: (name: string) => string | undefined;
  cwd: string;
  model: string;
  headless: boolean;
  yolo: boolean;
  /** The spend cap for this run (`--max-spend`); default the config's spend_cap_usd. */
  spendCapUsd?: number | null;
  maxIterations: number;
  stream: boolean;
  sandbox: SandboxMode;
  /** The local sandbox's network (the --network flag); `config.sandbox_network` otherwise. */
  network?: "on" | "off" | readonly string[];
  resume?: string;
  fetch?: typeof fetch;
  /** Subscribed as soon as the agent exists. */
  onEvent?: (event: AgentEvent) => void;
  warn: (message: string) => void;
}

export interface CliRuntime {
  agent: Agent;
  readonly sessionId: string;
  readonly model: string;
  tools: readonly AnyToolDefinition[];
  mcp: readonly McpServerStatus[];
  setYolo(on: boolean): void;
  isYolo(): boolean;
  /** Spend so far against the cap (model estimate + tools). */
  spend(): SpendSummary;
  /** Swaps the model (validated by building its provider first). */
  switchModel(model: string): Promise<void>;
  /** Saved sessions, newest first (empty when sessions are not saved). */
  listSessions(): SessionSummary[];
  /** Uploads the session's redacted trace now; returns a line for the user. */
  shareTraceNow(): Promise<string>;
  /** Upload at session end on/off. */
  setShareTraces(on: boolean): void;
  isSharingTraces(): boolean;
  interruptTools(): Promise<void>;
  dispose(): Promise<void>;
}

/**
 * Redacts what the CLI prints or logs (headless stdout/stderr, the event log): the same secret values the
 * session files are cleaned of, plus every token shape the redactor knows.
 */
export async function createOutputRedactor(env: Env, config: MlInternConfig): Promise<Redactor> {
  const [{ createRedactor }, { secretValuesFrom }] = await Promise.all([
    import("@ml-intern/core"),
    import("@ml-intern/runtime/agent"),
  ]);
  return createRedactor({ secrets: secretValuesFrom(env, configSecrets(config)) });
}

/** Configured header and env values that look like credentials, to redact from session files. */
function configSecrets(config: MlInternConfig): string[] {
  return Object.values(config.mcpServers).flatMap((server) =>
    Object.values(isStdioServer(server) ? server.env : server.headers).filter((v) => v.length >= 8),
  );
}

/** Assembles tools (catalog + MCP servers) and the agent for one CLI session. */
export async function createRuntime(options: RuntimeOptions): Promise<CliRuntime> {
  const { config, env } = options;
  const [core, prompts, agentModule] = await Promise.all([
    import("@ml-intern/core"),
    import("@ml-intern/runtime/prompts"),
    import("@ml-intern/runtime/agent"),
  ]);
  const stateHome = core.resolveStateHome({ env, homeDir: env.HOME ?? homedir() });
  // whoami runs while the provider, MCP servers and tools start (cached per token for later runs).
  const hubIdentity = prompts.resolveHubIdentity({
    token: env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN,
    hubUrl: env.HF_ENDPOINT,
    fetch: options.fetch,
    cacheFile: agentModule.hubIdentityCacheFile(stateHome),
  });
  const mapError = (error: unknown): unknown => {
    if (error instanceof RuntimeError) return new CliError(error.kind, error.message);
    if (error instanceof core.ModelIdError) return new CliError("usage", error.message);
    if (error instanceof core.LlmError && error.kind === "auth") return new CliError("auth", error.message);
    return error;
  };
  // Validate the model and its credentials before connecting anything.
  const provider = await core
    .createProvider(options.model, {
      env,
      fetch: options.fetch,
      envSource: options.envSource,
    })
    .catch((e) => {
      throw mapError(e);
    });

  const [{ createMcpManager }, { loadSessionTools }, { createMlInternAgent }] = await Promise.all([
    import("@ml-intern/runtime/mcp-client"),
    import("@ml-intern/runtime/catalog"),
    import("@ml-intern/runtime/agent"),
  ]);
  const mcp = createMcpManager({
    servers: config.mcpServers,
    env,
    hfToken: env.HF_TOKEN || env.HUGGING_FACE_HUB_TOKEN || undefined,
    hubUrl: env.HF_ENDPOINT,
    // A `*.hf.space` server gets the HF token only when the Space is the user's (or one of their orgs').
    spaceNamespaces: async () => {
      const identity = await hubIdentity;
      return identity.status === "resolved" ? [identity.user, ...identity.orgs] : [];
    },
    fetch: options.fetch,
    clientVersion: pkg.version,
    warn: options.warn,
  });
  const mcpResult = Object.keys(config.mcpServers).length ? await mcp.start() : { tools: [], statuses: [] };
  let catalog: SessionTools;
  try {
    catalog = await loadSessionTools({
      env,
      cwd: options.cwd,
      sandbox: options.sandbox,
      network: options.network ?? config.sandbox_network,
      confirmCpuJobs: config.confirm_cpu_jobs,
      extraTools: mcpResult.tools,
      fetch: options.fetch,
      warn: options.warn,
    });
  } catch (error) {
    await mcp.close();
    throw mapError(error);
  }

  let shareAtEnd = config.share_traces;
  const uploadTrace = async (sessionId: string, jsonl: string): Promise<string> => {
    const { uploadSessionTrace, hfConfigFromEnv } = await import("@ml-intern/tools-hf");
    const result = await uploadSessionTrace({
      config: hfConfigFromEnv(env),
      fetch: options.fetch,
      sessionId,
      jsonl,
    });
    return result.ok ? `Trace uploaded to ${result.url}` : `Trace not uploaded: ${result.error}`;
  };
  let handle: Awaited<ReturnType<typeof createMlInternAgent>>;
  try {
    handle = await createMlInternAgent({
      hubIdentity,
      model: options.model,
      provider,
      env,
      tools: catalog.tools,
      filter: {
        toolsets: config.toolsets,
        tools: config.tools,
        excludeTools: config.exclude_tools,
        readOnly: config.read_only,
      },
      cwd: options.cwd,
      headless: options.headless,
      yolo: options.yolo,
      spendCapUsd: options.spendCapUsd === undefined ? config.spend_cap_usd : options.spendCapUsd,
      raiseCapHint: (needed) =>
        `run again with --max-spend ${needed} or more (or set spend_cap_usd in the config; --yolo does not lift the cap)`,
      approvalRules: config.approval_rules,
      maxIterations: options.maxIterations,
      ...(config.research_model ? { researchModel: config.research_model } : {}),
      ...(config.research_max_parallel ? { researchMaxParallel: config.research_max_parallel } : {}),
      stream: options.stream,
      effort: provider.info.supportsThinking ? effortOf(config.reasoning_effort) : undefined,
      autoCompact: config.auto_compact,
      doomLoop: config.doom_loop,
      resume: options.resume,
      persist: config.save_sessions,
      secrets: configSecrets(config),
      fetch: options.fetch,
      onEvent: options.onEvent,
      shareTraces: async (sessionId, jsonl) => {
        if (shareAtEnd) options.warn(await uploadTrace(sessionId, jsonl));
      },
    });
  } catch (error) {
    await Promise.all([catalog.dispose().catch(() => {}), mcp.close()]);
    const mapped = mapError(error);
    if (mapped !== error) throw mapped;
    if (options.resume !== undefined) throw new CliError("usage", (error as Error).message);
    throw error;
  }
  const { agent } = handle;
  // Jobs started in a turn that ended normally keep running; only an interrupt of their own turn cancels them.
  agent.subscribe((event) => {
    if (event.type === "turn_complete") catalog.turnEnded();
  });
  const eventLog = env.ML_INTERN_EVENT_LOG?.trim();
  if (eventLog) {
    const { appendFileSync } = await import("node:fs");
    const redactor = await createOutputRedactor(env, config);
    agent.subscribe((event) => appendFileSync(eventLog, `${redactor.redact(JSON.stringify(event))}\n`));
  }

  return {
    agent,
    get sessionId() {
      return agent.sessionId;
    },
    get model() {
      return agent.model;
    },
    tools: handle.tools.list(),
    mcp: mcpResult.statuses,
    setYolo: (on) => handle.approval.setYolo(on),
    isYolo: () => handle.approval.isYolo(),
    spend: () => handle.spend(),
    async switchModel(model) {
      await handle.setModel(model).catch((e) => {
        throw mapError(e);
      });
      // The next session starts with it unless --model or model_name says otherwise.
      const { rememberModel } = await import("@ml-intern/runtime/model");
      rememberModel(stateHome, handle.agent.model);
    },
    listSessions: () => handle.store?.list() ?? [],
    async shareTraceNow() {
      const jsonl = handle.exportTrace();
      if (!jsonl)
        return "Nothing to share: sessions are not saved (save_sessions is off) or the session is empty.";
      return uploadTrace(agent.sessionId, jsonl);
    },
    setShareTraces: (on) => {
      shareAtEnd = on;
    },
    isSharingTraces: () => shareAtEnd,
    interruptTools: () => catalog.interrupt(),
    async dispose() {
      await handle.dispose().catch(() => {});
      await Promise.all([catalog.dispose().catch(() => {}), mcp.close()]);
    },
  };
}
